"""Shared fixtures: the app on SQLite or PostgreSQL, a client, and factories."""

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

from livinglab import create_app
from livinglab.accounts.models import User
from livinglab.accounts.services import register_user
from livinglab.accounts.signins import start_sign_in
from livinglab.clock import lab_today
from livinglab.commitments.models import Commitment
from livinglab.commitments.services import CommitmentInput, TargetInput, create_commitment
from livinglab.demo.services import load_reference_content
from livinglab.extensions import db, limiter
from livinglab.indicators.models import Aspect, Domain, Framework, Indicator
from livinglab.mail import wait_for_mail
from livinglab.pieces.models import Piece, PieceKind
from livinglab.pieces.services import PieceInput, archive_piece, create_piece, publish_piece
from livinglab.regencies.models import Province, Regency, RegencyKind
from livinglab.roles import Role
from livinglab.search.index import forget_searchers

TEST_PASSWORD = "kopi-tubruk-pagi-hari"


@contextmanager
def fresh_database(folder: Path, prefix: str) -> Iterator[str]:
    """The URL of a new empty database, dropped afterwards: SQLite in `folder`, or PostgreSQL when
    TEST_DATABASE_URL points at a server (a database of our own is created there, never reused)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{folder / f'{prefix}.db'}"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """The test session's database."""
    with fresh_database(tmp_path_factory.mktemp("db"), "livinglab_test") as url:
        yield url


def test_config(database_url: str, tmp_path_factory) -> dict:
    """Settings every test app shares."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("index")),
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SEARCH_DRAIN": "inline",
        "SEARCH_BUILD_PROCS": 1,  # a handful of pieces: starting indexing processes would cost more
    }


test_config.__test__ = False  # a helper, not a test


def _fresh_globals(sender: Flask, **extra) -> None:
    """Give each test request an empty `g`, as a real request would have.

    Tests keep one app context open for database access and Flask reuses it for client
    requests, so without this the locale and the signed-in user would leak between requests.
    """
    g.__dict__.clear()


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory) -> Iterator[Flask]:
    app = create_app(test_config(database_url, tmp_path_factory))
    request_started.connect(_fresh_globals, app)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def empty_tables() -> None:
    """Delete every row, children first (the search drain reads committed data, so no rollback tricks)."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_app: Flask, tmp_path) -> Iterator[Flask]:
    """The session's app in an app context, with a search index of this test's own; emptied afterwards."""
    _app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "search-index")
    with _app.app_context():
        yield _app
        wait_for_mail()
        empty_tables()
        db.session.remove()
    forget_searchers()
    limiter.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def content(app: Flask) -> None:
    """The shipped provinces, regencies and indicator frameworks."""
    load_reference_content()
    db.session.commit()


_counter = itertools.count(1)


@pytest.fixture
def make_regency(app: Flask) -> Callable[..., Regency]:
    def make(code: str | None = None, name: str | None = None, province_code: str = "99", **fields) -> Regency:
        if db.session.get(Province, province_code) is None:
            db.session.add(Province(code=province_code, name=f"Provinsi {province_code}"))
        number = next(_counter)
        code = code or f"{province_code}{number % 69 + 1:02d}"
        regency = Regency(
            code=code,
            name=name or f"Kabupaten Contoh {number}",
            code_kemendagri=f"{code[:2]}.{code[2:]}",
            kind=fields.pop("kind", RegencyKind.KABUPATEN),
            province_code=province_code,
            is_member=fields.pop("is_member", True),
            **fields,
        )
        db.session.add(regency)
        db.session.commit()
        return regency

    return make


@pytest.fixture
def make_user(app: Flask, make_regency) -> Callable[..., User]:
    def make(role: str = "peer", regency: Regency | None = None, **fields) -> User:
        number = next(_counter)
        if role == "official" and regency is None:
            regency = make_regency()
        user = register_user(
            fields.pop("email", f"user{number}@example.org"),
            fields.pop("name", f"Pengguna {number}"),
            fields.pop("password", TEST_PASSWORD),
            locale=fields.pop("locale", "id"),
            regency_code=regency.code if regency else None,
        )
        user.role = Role(role)
        for name, value in fields.items():
            setattr(user, name, value)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_indicator(app: Flask) -> Callable[..., Indicator]:
    """An indicator of a small default framework (created on first use)."""

    def make(code: str | None = None, **fields) -> Indicator:
        framework = db.session.scalars(select(Framework).filter_by(code="test-framework")).first()
        if framework is None:
            framework = Framework(code="test-framework", name_id="Kerangka Uji", name_en="Test framework",
                                  regulation="Permen Uji", first_year=2021, is_default=True)
            domain = Domain(
                framework=framework, number=1, name_id="Domain Uji", name_en="Test domain", weight_percent=100
            )
            Aspect(
                framework=framework,
                domain=domain,
                number=1,
                name_id="Aspek Uji",
                name_en="Test aspect",
                weight_percent=100,
            )
            db.session.add(framework)
            db.session.flush()
        number = next(_counter)
        indicator = Indicator(framework=framework, aspect=framework.aspects[0], code=code or f"T{number:02d}",
                              number=number, name_id=fields.pop("name_id", f"Indikator uji {number}"),
                              name_en=fields.pop("name_en", f"Test indicator {number}"),
                              weight_percent=fields.pop("weight_percent", 1), **fields)
        db.session.add(indicator)
        db.session.commit()
        return indicator

    return make


@pytest.fixture
def make_piece(app: Flask, make_user, make_indicator) -> Callable[..., Piece]:
    """A piece (published unless told otherwise) by an official of its regency."""

    def make(author: User | None = None, status: str = "published", indicators: list | None = None, **fields) -> Piece:
        author = author or make_user("official")
        data = PieceInput(
            kind=PieceKind(fields.pop("kind", "practice")),
            title=fields.pop("title", f"Praktik baik nomor {next(_counter)}"),
            summary=fields.pop("summary", "Ringkasan praktik baik."),
            body=fields.pop("body", "## Masalah\n\nIsi praktik baik."),
            language=fields.pop("language", "id"),
            indicator_ids=[i.id for i in (indicators if indicators is not None else [make_indicator()])],
            tags=fields.pop("tags", []),
            levels=fields.pop("levels", {}),
        )
        piece = create_piece(author, author.regency, data)
        if status in ("published", "archived"):
            publish_piece(piece, author)
        if status == "archived":
            archive_piece(piece, author)
        for name, value in fields.items():
            setattr(piece, name, value)
        db.session.commit()
        return piece

    return make


@pytest.fixture
def make_commitment(app: Flask, make_user, make_indicator) -> Callable[..., Commitment]:
    """A planned commitment of an official's regency, due in 180 days (override any field)."""

    def make(owner: User | None = None, indicators: list | None = None, **fields) -> Commitment:
        owner = owner or make_user("official")
        today = lab_today()
        starts_on = fields.pop("starts_on", today - timedelta(days=30))
        due_on = fields.pop("due_on", today + timedelta(days=180))
        baseline = fields.pop("baseline", 1)
        data = CommitmentInput(
            title=fields.pop("title", f"Komitmen uji nomor {next(_counter)}"),
            description=fields.pop("description", "Deskripsi komitmen."),
            starts_on=starts_on, due_on=max(due_on, today + timedelta(days=1)),
            targets=[TargetInput(i.id, baseline, fields.pop("target", 3))
                     for i in (indicators if indicators is not None else [make_indicator()])],
            source_piece_id=fields.pop("source_piece_id", None),
        )
        commitment = create_commitment(owner, data)
        commitment.due_on = due_on  # a commitment made back then may be due in the past
        for name, value in fields.items():
            setattr(commitment, name, value)
        db.session.commit()
        return commitment

    return make


@pytest.fixture
def count_queries(app: Flask):
    """Count the SQL statements a block runs: `with count_queries() as counter: ...; counter.count`."""

    class Counter:
        def __init__(self) -> None:
            self.count, self.statements = 0, []

        def __call__(self, _connection, _cursor, statement: str, *args, **kwargs) -> None:
            self.count += 1
            self.statements.append(statement)

    @contextmanager
    def counting() -> Iterator[Counter]:
        counter = Counter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    return counting


def sign_in_client(client: FlaskClient, user: User) -> FlaskClient:
    """Sign a test client (a browser) in as a user: a sign-in row plus Flask-Login's session entry."""
    start_sign_in(user, "pytest", remember=False)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.fixture
def login_as(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Sign the test client in as a user."""
    return lambda user: sign_in_client(client, user)
