"""Page panels and menu badges: no template global runs a query, each panel shows on its page, and only to those
who may see it."""

import enum
import inspect
import types
import typing
from datetime import date

import pytest
from flask import Flask
from flask_login import AnonymousUserMixin, login_user
from flask_wtf import FlaskForm
from sqlalchemy import event, func, select

from livinglab import panels
from livinglab.accounts.models import User
from livinglab.audit.models import AuditEvent
from livinglab.comments import services as comments
from livinglab.comments.moderation import moderation_badge
from livinglab.commitments.models import Commitment, CommitmentStatus, Outcome
from livinglab.extensions import db
from livinglab.indicators.models import Indicator
from livinglab.notifications.models import Notification, NotificationKind
from livinglab.pieces.models import Piece
from livinglab.results.models import Judgement

# Unsaved objects: reading them never reaches the database, so any statement counted comes from the global itself.
SAMPLES: dict[object, typing.Callable[[], object]] = {
    Commitment: lambda: Commitment(id=1, title="Komitmen", status=CommitmentStatus.ACHIEVED, percent=80,
                                   outcome=Outcome.MET, is_recorded_after=False, due_on=date(2026, 12, 31)),
    AuditEvent: lambda: AuditEvent(action="piece.published", object_type="piece", object_id="1",
                                   details={"before": {"status": "draft"}, "after": {"status": "published"}}),
    Judgement: lambda: Judgement(details=[{"indicator": "I05", "read_from": ["P14"]}]),
    Notification: lambda: Notification(kind=NotificationKind.COMMENT, subject_title="Praktik", detail=None),
    Piece: lambda: Piece(id=1, slug="praktik", title="Praktik"),
    FlaskForm: lambda: FlaskForm(meta={"csrf": False}),
    typing.Any: lambda: Indicator(code="I01", name_id="Indikator", name_en="Indicator"),
    str: lambda: "name",
    int: lambda: 1,
}


def sample(annotation: object) -> object:
    """An argument of the annotated type; fails the test for a type it does not know, so a new global gets one."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return sample(next(a for a in typing.get_args(annotation) if a is not type(None)))
    if typing.get_origin(annotation) is list:
        return [sample(typing.get_args(annotation)[0])]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation))
    if annotation not in SAMPLES:
        pytest.fail(f"No sample argument of type {annotation!r}: add one to SAMPLES in {__file__}.")
    return SAMPLES[annotation]()


def queries_run_by_globals(app: Flask) -> dict[str, int]:
    """Call every template global of Livinglab with sample arguments; the SQL statements each one ran."""
    ran: dict[str, int] = {}
    for name, value in sorted(app.jinja_env.globals.items()):
        if not callable(value) or not getattr(value, "__module__", "").startswith("livinglab"):
            continue
        hints = typing.get_type_hints(value)
        args = [sample(hints.get(p.name, typing.Any)) for p in inspect.signature(value).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        statements: list[str] = []

        def count(conn, cursor, statement, *rest, statements=statements) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            value(*args)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        if statements:
            ran[name] = len(statements)
    return ran


@pytest.mark.parametrize("role", [None, "peer", "coordinator"])
def test_no_template_global_runs_a_query(app, make_user, role):
    user = make_user(role) if role else None
    with app.test_request_context("/"):
        if user is not None:
            login_user(user)
        assert queries_run_by_globals(app) == {}


def test_the_check_catches_a_global_that_queries(app):
    app.jinja_env.globals["user_total"] = lambda: db.session.scalar(select(func.count(User.id)))
    app.jinja_env.globals["user_total"].__module__ = "livinglab.example"
    try:
        with app.test_request_context("/"):
            assert queries_run_by_globals(app) == {"user_total": 1}
    finally:
        del app.jinja_env.globals["user_total"]


def test_registry_orders_by_order_hides_none_and_refuses_a_second_name():
    app = Flask(__name__)
    panels.register(app, "page", "late", lambda subject, user: {"n": 2}, "late.html", order=20)
    panels.register(app, "page", "early", lambda subject, user: {"n": subject}, "early.html", order=10)
    panels.register(app, "page", "hidden", lambda subject, user: None, "hidden.html", order=15)
    panels.register(app, "page", "foot", lambda subject, user: {}, "foot.html", slot="end")
    with pytest.raises(ValueError):
        panels.register(app, "page", "late", lambda subject, user: {}, "again.html")
    with app.app_context():
        shown = panels.collect("page", 1, AnonymousUserMixin())
    assert [(p.name, p.template, dict(p.data)) for p in shown.slot()] == [
        ("early", "early.html", {"n": 1}), ("late", "late.html", {"n": 2})]
    assert shown.names() == ["early", "late", "foot"]


def _section_order(html: str, ids: list[str]) -> list[int]:
    return [html.index(f'id="{section}"') for section in ids]


def test_regency_page_shows_its_panels_in_order(client, make_user, make_piece, make_commitment):
    official = make_user("official", name="Siti Pejabat")
    make_piece(author=official, title="Praktik terbit")
    make_commitment(owner=official, title="Komitmen kabupaten")
    html = client.get(f"/regencies/{official.regency_code}").get_data(as_text=True)
    positions = _section_order(html, ["scores-title", "pieces-title", "commitments-title", "officials-title"])
    assert positions == sorted(positions)
    assert "Praktik terbit" in html and "Komitmen kabupaten" in html and "Siti Pejabat" in html


def test_regency_drafts_panel_only_for_those_who_may_edit(client, make_user, make_piece, login_as):
    official = make_user("official")
    make_piece(author=official, status="draft", title="Draf belum terbit")
    url = f"/regencies/{official.regency_code}"
    assert "Draf belum terbit" not in client.get(url).get_data(as_text=True)
    assert "Draf belum terbit" not in login_as(make_user("peer")).get(url).get_data(as_text=True)
    assert "Draf belum terbit" not in login_as(make_user("official")).get(url).get_data(as_text=True)  # elsewhere
    assert "Draf belum terbit" in login_as(official).get(url).get_data(as_text=True)


def test_the_replicate_button_shows_only_to_officials_of_another_regency(client, make_user, make_piece, login_as):
    author = make_user("official")
    piece = make_piece(author=author, title="Praktik untuk ditiru")
    url, button = f"/pieces/{piece.id}/{piece.slug}", "/commitments/new?source="
    assert button in login_as(make_user("official")).get(url).get_data(as_text=True)
    for refused in (make_user("peer"), make_user("official", regency=author.regency),
                    make_user("official", regency_code=None), make_user("coordinator")):
        assert button not in login_as(refused).get(url).get_data(as_text=True), refused.role


def test_indicator_and_person_pages_show_their_panels(client, make_user, make_indicator, make_piece, make_commitment):
    official = make_user("official")
    indicator = make_indicator()
    make_piece(author=official, indicators=[indicator], title="Praktik indikator")
    make_commitment(owner=official, indicators=[indicator], title="Komitmen indikator")
    html = client.get(f"/indicators/{indicator.code}").get_data(as_text=True)
    positions = _section_order(html, ["pieces-title", "spread-title", "committed-title"])
    assert positions == sorted(positions) and "Praktik indikator" in html and "Komitmen indikator" in html
    html = client.get(f"/people/{official.handle}").get_data(as_text=True)
    positions = _section_order(html, ["person-pieces-title", "person-commitments-title"])
    assert positions == sorted(positions) and "Praktik indikator" in html and "Komitmen indikator" in html


def test_replications_show_on_a_published_piece_only(client, make_user, make_piece, login_as):
    official = make_user("official")
    published, draft = make_piece(author=official), make_piece(author=official, status="draft")
    assert 'id="replications-title"' in client.get(f"/pieces/{published.id}/{published.slug}").get_data(as_text=True)
    html = login_as(official).get(f"/pieces/{draft.id}/{draft.slug}").get_data(as_text=True)
    assert 'id="discussion"' in html and 'id="replications-title"' not in html


def test_commitment_page_shows_outcome_and_discussion_panels(client, make_commitment):
    commitment = make_commitment()
    html = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert _section_order(html, ["outcome", "timeline", "discussion"]) == sorted(
        _section_order(html, ["outcome", "timeline", "discussion"]))


def _flagged_comment(make_piece, make_user):
    piece, reader = make_piece(), make_user("peer")
    comment = comments.add_comment(make_user("peer"), piece, "Komentar yang dilaporkan.")
    db.session.flush()
    comments.flag_comment(comment, reader, comments.FlagReason.SPAM)
    db.session.commit()


def test_moderation_badge_counts_for_coordinators_only(app, client, make_piece, make_user, login_as):
    _flagged_comment(make_piece, make_user)
    coordinator, official = make_user("coordinator"), make_user("official")
    assert moderation_badge(coordinator) == 1
    assert moderation_badge(official) is None
    assert "perlu ditinjau" in login_as(coordinator).get("/").get_data(as_text=True)
    assert "perlu ditinjau" not in login_as(official).get("/").get_data(as_text=True)


def test_menu_badges_run_no_query_for_guests(app, client, count_queries, make_user):
    with app.test_request_context("/"), count_queries() as counter:
        assert panels.menu_badges() == {"menu_badges": {}}
    assert counter.count == 0


def test_menu_badges_outside_a_request_are_empty(app):
    with app.app_context():
        assert panels.menu_badges() == {"menu_badges": {}}
