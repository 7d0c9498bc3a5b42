"""Every main page, in the states each role sees, renders well-formed HTML (and is saved for the Nu checker).

With NU_PAGES_DIR set, each page's HTML is written there; `.ci/nu-check` validates the folder with the Nu
HTML checker. Without it the test still renders every state and checks what can be checked in Python:
the status code, unique ids, and machine-readable dates that validators accept.
"""

import itertools
import os
import re
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.accounts.signins import start_sign_in
from livinglab.comments.models import Comment, Flag
from livinglab.commitments.models import Commitment, CommitmentStatus
from livinglab.demo.services import load_demo
from livinglab.extensions import db
from livinglab.pieces.models import Piece, PieceKind, PieceStatus
from livinglab.pieces.services import PieceInput, create_piece
from livinglab.roles import Role

# A valid HTML "date string", "global date and time string" or "local date and time string" (seconds at most
# three decimals, as the HTML standard allows), as the Nu checker reads <time datetime>.
MACHINE_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def _demo_user(role: Role, **where) -> User:
    query = select(User).where(User.role == role, User.email.endswith("@livinglab.example.org"))
    for name, value in where.items():
        query = query.where(getattr(User, name) == value)
    return db.session.scalars(query.order_by(User.id)).first()


@pytest.fixture
def site(app, content):
    """The demo content plus a draft, as the pages need them; returns the ids the URLs use."""
    load_demo()
    db.session.commit()
    open_statuses = [CommitmentStatus.IN_PROGRESS, CommitmentStatus.AT_RISK, CommitmentStatus.PLANNED]
    commitment = db.session.scalars(select(Commitment).join(Commitment.owner).where(
        Commitment.status.in_(open_statuses), User.role == Role.OFFICIAL).order_by(Commitment.id)).first()
    official = commitment.owner
    piece = db.session.scalars(select(Piece).where(Piece.regency_code == official.regency_code,
                                                   Piece.status == PieceStatus.PUBLISHED).order_by(Piece.id)).first()
    draft = create_piece(official, official.regency, PieceInput(
        kind=PieceKind.PRACTICE, title="Draf uji halaman", summary="", body="## Masalah\n", language="id",
        indicator_ids=[]))
    with_comments = select(Piece).join(Comment, Comment.piece_id == Piece.id).order_by(Piece.id)
    discussed = db.session.scalars(with_comments).first()
    flagged = db.session.scalars(select(Comment).join(Flag).order_by(Comment.id)).first()
    db.session.commit()
    return {
        "piece": piece, "discussed": discussed, "draft": draft, "commitment": commitment, "flagged": flagged,
        "official": official,
        "peer": _demo_user(Role.PEER), "coordinator": _demo_user(Role.COORDINATOR), "admin": _demo_user(Role.ADMIN),
    }


def _pages(site: dict) -> dict[str, list[tuple[str, int]]]:
    """Per role: (URL, expected status) of every page state worth validating."""
    piece, discussed, draft, commitment = site["piece"], site["discussed"], site["draft"], site["commitment"]
    indicator = piece.targets[0].indicator.code
    public = [
        ("/", 200), ("/search?q=layanan", 200), ("/search?q=layanan&kind=practice&page=2", 200),
        ("/search?q=qqqzzzx", 200), ("/search", 200), ("/pieces", 200), ("/pieces?kind=case_study", 200),
        (f"/pieces/{piece.id}/{piece.slug}", 200), (f"/pieces/{discussed.id}/{discussed.slug}", 200),
        (f"/pieces/{piece.id}/history", 200),
        (f"/pieces/{piece.id}/history/compare?from=1&to=2", 200), ("/indicators", 200),
        (f"/indicators/{indicator}", 200), ("/regencies", 200), (f"/regencies/{piece.regency_code}", 200),
        ("/commitments", 200), ("/commitments?status=at_risk", 200), (f"/commitments/{commitment.id}", 200),
        ("/impact", 200), (f"/people/{site['official'].handle}", 200),
    ]
    return {
        "anonymous": [
            *public,
            ("/login", 200),
            ("/register", 200),
            ("/password/forgot", 200),
            ("/no-such-page", 404),
            (f"/pieces/{draft.id}", 404),
        ],
        "peer": [
            ("/", 200),
            (f"/pieces/{discussed.id}/{discussed.slug}", 200),
            (f"/commitments/{commitment.id}", 200),
            ("/account", 200),
            ("/account/password", 200),
            ("/notifications", 200),
            ("/notifications?show=unread", 200),
            ("/pieces/new", 403),
            ("/coordinator", 403),
        ],
        "official": [
            ("/", 200),
            ("/pieces/new", 200),
            (f"/pieces/{piece.id}/edit", 200),
            (f"/pieces/{draft.id}/{draft.slug}", 200),
            (f"/pieces/{draft.id}/edit", 200),
            (f"/pieces/{piece.id}/{piece.slug}", 200),
            (f"/regencies/{piece.regency_code}", 200),
            ("/commitments/new", 200),
            ("/commitments", 200),
            (f"/commitments/{commitment.id}", 200),
            (f"/commitments/{commitment.id}/edit", 200),
            ("/notifications", 200),
            ("/account", 200),
        ],
        "coordinator": [
            ("/", 200),
            ("/coordinator", 200),
            ("/coordinator/import", 200),
            ("/coordinator/scores", 200),
            ("/moderation", 200),
            (f"/commitments/{commitment.id}", 200),
            (f"/comments/{site['flagged'].id}/moderate", 200),
            ("/impact", 200),
            (f"/pieces/{discussed.id}/{discussed.slug}", 200),
        ],
        "admin": [
            ("/", 200),
            ("/admin/users", 200),
            (f"/admin/users/{site['official'].id}", 200),
            ("/audit", 200),
            ("/audit?page=2", 200),
            ("/notifications", 200),
        ],
    }


def _posts(site: dict) -> list[tuple[str, str, dict, int]]:
    """Form states after a POST: (role, URL, form data, expected status)."""
    piece = site["piece"]
    return [
        ("anonymous", "/login", {"email": "bukan-email", "password": ""}, 200),
        ("anonymous", "/register", {"email": "x", "name": "", "password": "a"}, 200),
        ("official", "/pieces/new", {"action": "publish", "title": "Ab"}, 400),
        ("official", "/pieces/new", {"action": "preview", "kind": "practice", "title": "Pratinjau halaman",
                                     "body": "## Judul\n\nIsi *penting*.", "language": "id"}, 200),
        ("official", f"/pieces/{piece.id}/edit", {"action": "save", "kind": piece.kind.value, "title": piece.title,
                                                  "language": "id", "summary": "Ringkasan lain.", "body": "Isi lain.",
                                                  "indicators": [str(t.indicator_id) for t in piece.targets],
                                                  "version": "1"}, 409),
        ("official", "/commitments/new", {"title": ""}, 200),
        ("peer", "/account/password", {"current_password": "salah", "new_password": "a", "confirm": "b"}, 200),
    ]


def _save(name: str, html: str) -> None:
    folder = os.environ.get("NU_PAGES_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.html").write_text(html, encoding="utf-8")


def _problems(html: str) -> list[str]:
    """What the Nu checker would certainly reject, found without Java: duplicate ids, bad datetime values,
    skipped heading levels."""
    tree = lxml.html.document_fromstring(html)
    ids = [element.get("id") for element in tree.iter() if isinstance(element.tag, str) and element.get("id")]
    problems = [f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    problems += [f"bad datetime {t.get('datetime')!r}" for t in tree.iter("time")
                 if t.get("datetime") is not None and not MACHINE_DATE.match(t.get("datetime"))]
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    problems += [f"heading h{b} follows h{a}" for a, b in itertools.pairwise(levels) if b > a + 1]
    return problems


def _client(app, user: User | None):
    """A test client of its own, signed in as the user (or anonymous)."""
    client = app.test_client()
    if user:
        start_sign_in(user, "pytest", remember=False)
        session_id = user.get_id()
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
    return client


def _name(role: str, method: str, url: str) -> str:
    return f"{role}-{method}-" + (re.sub(r"[^A-Za-z0-9]+", "-", url).strip("-") or "home")


def test_every_page_state_renders_unique_ids_valid_dates_and_headings(app, site, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # forms render their CSRF fields, as in production
    users = {role: site.get(role) for role in ("peer", "official", "coordinator", "admin")}
    failures = []
    checked = 0
    for role, pages in _pages(site).items():
        client = _client(app, users.get(role))
        for url, expected in pages:
            response = client.get(url)
            html = response.get_data(as_text=True)
            _save(_name(role, "get", url), html)
            checked += 1
            if response.status_code != expected:
                failures.append(f"{role} GET {url}: {response.status_code}, expected {expected}")
            failures += [f"{role} GET {url}: {p}" for p in _problems(html)]
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # the posted forms carry no token
    for number, (role, url, data, expected) in enumerate(_posts(site)):
        response = _client(app, users.get(role)).post(url, data=data)
        html = response.get_data(as_text=True)
        _save(_name(role, f"post{number}", url), html)
        checked += 1
        if response.status_code != expected:
            failures.append(f"{role} POST {url}: {response.status_code}, expected {expected}")
        failures += [f"{role} POST {url}: {p}" for p in _problems(html)]
    assert checked > 50
    assert not failures, "\n".join(failures)
