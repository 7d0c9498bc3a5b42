"""The demo loader: every role, idempotent, labelled as demo."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from livinglab.accounts.models import User
from livinglab.clock import lab_today
from livinglab.comments.models import Comment
from livinglab.comments.queries import flagged_comments_count
from livinglab.commitments.models import Commitment, CommitmentStatus, Outcome
from livinglab.demo.services import demo_logins, load_demo
from livinglab.evaluations.models import Evaluation, EvaluationScore
from livinglab.extensions import db
from livinglab.notifications import services
from livinglab.notifications.models import Notification
from livinglab.pieces.models import Piece, PieceKind, PieceStatus
from livinglab.regencies.models import Regency
from livinglab.roles import Role


def test_demo_accounts_cover_every_role_and_loading_twice_changes_nothing(app, content):
    first = load_demo()
    db.session.commit()
    assert first["accounts"] >= 6 and first["members"] >= 20
    users = demo_logins()
    roles = [u.role for u in users]
    assert {Role.ADMIN, Role.COORDINATOR, Role.PEER} <= set(roles)
    officials = [u for u in users if u.role is Role.OFFICIAL]
    assert len({u.regency_code for u in officials}) >= 3
    assert all("(demo)" in u.name for u in users)
    assert all(r.cohort.startswith("Demo") for r in db.session.scalars(select(Regency).where(Regency.is_member)))
    users_before = db.session.scalar(select(func.count()).select_from(User))
    assert load_demo() == {"members": 0, "accounts": 0, "pieces": 0, "comments": 0, "commitments": 0, "evaluations": 0}
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before


def test_demo_pieces_are_many_varied_labelled_and_revised(app, content):
    load_demo()
    db.session.commit()
    pieces = db.session.scalars(select(Piece)).all()
    assert len(pieces) >= 40 and all(p.is_demo and p.status is PieceStatus.PUBLISHED for p in pieces)
    assert {p.kind for p in pieces} == set(PieceKind)
    assert len({p.regency_code for p in pieces}) >= 20
    assert len({t.indicator_id for p in pieces for t in p.targets}) >= 25
    languages = [p.language for p in pieces]
    assert languages.count("en") >= 3 and languages.count("id") > len(pieces) * 0.8
    assert all(len(p.revisions) == 2 for p in pieces)
    assert sum(len(p.attachments) for p in pieces) >= 3
    assert all(p.author.role.value == "official" and p.author.regency_code == p.regency_code for p in pieces)
    case_studies = [p for p in pieces if p.kind is PieceKind.CASE_STUDY]
    assert any(t.level_before and t.level_after for p in case_studies for t in p.targets)


def test_demo_discussions_are_threaded_mention_people_and_give_moderators_work(app, content):
    load_demo()
    db.session.commit()
    comments = db.session.scalars(select(Comment)).all()
    assert len(comments) >= 40 and len({c.piece_id for c in comments}) >= 10
    assert any(c.parent and c.parent.parent and c.parent.parent.parent for c in comments)  # four levels deep
    assert any('href="/u/' in c.body_html for c in comments) and any(c.edited_at for c in comments)
    assert all(c.author.email.endswith("@livinglab.example.org") for c in comments)
    assert flagged_comments_count() >= 1
    asep = db.session.scalars(select(User).where(User.email == "sumedang@livinglab.example.org")).one()
    assert db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == asep.id))
    assert services.send_immediate() == 0 and services.send_digests() == 0  # demo history is never mailed


def test_cli_commands_print_one_summary(runner, app):
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0 and "Content loaded" in result.output
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "Demo loaded" in result.output
    result = runner.invoke(args=["demo", "logins"])
    assert "koordinator@livinglab.example.org" in result.output and "livinglab-demo-2026" in result.output


def test_demo_commitments_cover_every_status_replicate_pieces_and_span_two_years(app, content):
    load_demo()
    db.session.commit()
    commitments = db.session.scalars(select(Commitment)).all()
    assert {c.status for c in commitments} == set(CommitmentStatus)
    assert all(c.is_demo for c in commitments) and len({c.regency_code for c in commitments}) >= 14
    assert sum(c.source_piece_id is not None for c in commitments) >= 10
    today = lab_today()
    assert any(c.is_overdue(today) for c in commitments) and any(c.is_stale(today) for c in commitments)
    assert min(c.starts_on for c in commitments) >= date(today.year - 2, 1, 1)  # judged ones ran from two years ago
    assert all(c.milestones for c in commitments) and sum(len(c.updates) for c in commitments) >= 50
    verified = [c for c in commitments if c.status is CommitmentStatus.VERIFIED]
    assert all(c.status_changes[-1].actor.email == "koordinator@livinglab.example.org" for c in verified)


def test_demo_evaluations_are_synthetic_and_judge_the_commitments_due_last_year(app, content):
    load_demo()
    db.session.commit()
    evaluations = db.session.scalars(select(Evaluation)).all()
    assert len(evaluations) == 30 * 5 and all(e.is_synthetic and "sintetis" in e.source for e in evaluations)
    last = lab_today().year - 1
    assert {e.year for e in evaluations} == set(range(last - 4, last + 1))
    judged = db.session.scalars(select(Commitment).where(Commitment.outcome.is_not(None))).all()
    told = {c.regency_code: c.outcome for c in judged if c.regency_code in ("3303", "1602", "5103")}
    assert told == {"3303": Outcome.MET, "1602": Outcome.IMPROVED, "5103": Outcome.UNCHANGED}
    assert all(c.due_on.year <= last for c in judged)  # early in a year, last year's other commitments join them


def test_demo_evaluations_agree_with_the_commitments_and_case_studies(app, content):
    load_demo()
    db.session.commit()
    scores = db.session.scalars(select(EvaluationScore).options(selectinload(EvaluationScore.evaluation),
                                                                selectinload(EvaluationScore.indicator)))
    level = {(s.evaluation.regency_code, s.evaluation.year, s.indicator.code): s.level for s in scores}
    last = lab_today().year - 1
    years = range(last - 4, last + 1)
    wrong = []
    for commitment in db.session.scalars(select(Commitment)):
        # the baseline is the last year evaluated before the start; while it runs, the level never falls below it
        year = max(y for y in years if y < commitment.starts_on.year)
        for target in commitment.targets:
            found = level[(commitment.regency_code, year, target.indicator.code)]
            if found != target.baseline_level:
                wrong.append((commitment.regency_code, target.indicator.code, year, target.baseline_level, found))
            for later in range(year + 1, min(commitment.due_on.year, last + 1)):
                found = level[(commitment.regency_code, later, target.indicator.code)]
                if not target.baseline_level <= found <= max(target.target_level, target.baseline_level):
                    wrong.append((commitment.regency_code, target.indicator.code, later, target.baseline_level, found))
    case_studies = db.session.scalars(select(Piece).where(Piece.kind == PieceKind.CASE_STUDY)).all()
    for piece in case_studies:
        for target in (t for t in piece.targets if t.level_before and t.level_after):
            for day, expected in (
                (piece.period_start_on, target.level_before),
                (piece.period_end_on, target.level_after),
            ):
                found = level.get((piece.regency_code, day.year, target.indicator.code), expected)
                if found != expected:
                    wrong.append((piece.regency_code, target.indicator.code, day.year, expected, found))
    assert wrong == []
    sumedang = next(p for p in case_studies if p.regency_code == "3211")  # "I01 naik dari level 1 ke 3"
    assert (sumedang.period_start_on.year, sumedang.period_end_on.year) == (2023, 2024)
    assert [level[("3211", year, "I01")] for year in (2023, 2024)] == [1, 3]
