"""Whole public pages kept per process for visitors who are not signed in, invalidated by any change.

A view opts in with `@public_page` (under its route and rate-limit decorators). For such a GET from a visitor
without a session worth keeping (not signed in, no message waiting), the page is looked up under (site generation,
the lab's date, language, scheme and host, path with query); a page rendered for such a visitor is kept when it is
a plain 200 HTML page that holds no CSRF token, left the session alone (a flash message) and set no cookie.
Settings and code change only with a restart, and a new process starts with nothing kept.

The site generation is one row, `site_generation`, that every committed transaction writing to any table
but the private ones (`PRIVATE_TABLES`) moves on in the same transaction, on every database and from every
process: a write is noticed at the level of SQL statements, so ORM flushes and bulk statements count alike.
Nothing is ever served from before the latest change. The row starts at a random value, so a database
created again never meets pages kept for the old one.

Kept pages carry a strong ETag (a repeat visit costs a 304) and `Cache-Control: no-cache` (browsers ask
again every time); the compressed forms of a kept page are kept beside it (Flask-Compress's cache backend).
"""

import functools
import hashlib
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import TypeVar

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_compress import Compress
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import BigInteger, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from livinglab import requestlocal
from livinglab.clock import lab_today
from livinglab.extensions import db
from livinglab.i18n import current_language

# Tables whose rows no kept page shows: sign-ins' last use, notifications, the audit log. (The search queue is not
# one of them: the drain that empties it is what changes search results, after the piece's own commit.)
PRIVATE_TABLES = frozenset({"sign_ins", "notifications", "audit_events", "site_generation"})
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_FLAG = "livinglab_site_changed"
T = TypeVar("T")
MIGRATING = "livinglab_migrating"  # set by migrations/env.py: schema changes bump nothing
_BUMP = {
    "qmark": "INSERT INTO site_generation (id, value) VALUES (1, ?) "
             "ON CONFLICT (id) DO UPDATE SET value = site_generation.value + 1",
    "pyformat": "INSERT INTO site_generation (id, value) VALUES (1, %s) "
                "ON CONFLICT (id) DO UPDATE SET value = site_generation.value + 1",
}
_BUMP["format"] = _BUMP["pyformat"]
VALUES = 10_000  # the most kept values (kept_value) per process


class SiteGeneration(db.Model):
    """The one row whose value changes with every committed change that a public page could show."""

    __tablename__ = "site_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(conn, cursor, statement: str, parameters, context, executemany) -> None:
    """Flag the connection when a statement writes to a table that public pages may show."""
    head = statement[:6].upper()
    if head in ("INSERT", "UPDATE", "DELETE") and not conn.info.get(MIGRATING):
        match = _WRITE.match(statement)
        if match is None or match.group(1).lower() not in PRIVATE_TABLES:
            conn.info[_FLAG] = True


@event.listens_for(Engine, "commit")
def _bump_on_commit(conn) -> None:
    """Move the generation on inside the transaction that is about to commit, when it wrote."""
    if conn.info.pop(_FLAG, False):
        dbapi_connection = conn.connection.dbapi_connection
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(_BUMP[conn.dialect.paramstyle], (secrets.randbelow(2**62),))
        finally:
            cursor.close()


@event.listens_for(Engine, "rollback")
def _forget_on_rollback(conn) -> None:
    conn.info.pop(_FLAG, None)


def current_generation() -> int | None:
    """The site generation, or None before the first change (nothing is kept then). A GET reads it once, before
    anything else (`_read_generation`): whatever it loads afterwards is at least as new as the generation it keeps
    things under, and what it writes itself (the last-seen time of a sign-in) is private."""
    reading = has_request_context() and request.method in ("GET", "HEAD")
    if reading and "site_generation" in (memo := requestlocal.found()):
        return memo["site_generation"]
    generation = db.session.execute(text("SELECT value FROM site_generation WHERE id = 1")).scalar()
    if reading:
        requestlocal.found()["site_generation"] = generation
    return generation


def _read_generation() -> None:
    """First of the request's hooks: a GET's generation, read before the signed-in user or anything else loads."""
    if request.endpoint != "static" and request.method in ("GET", "HEAD") and current_app.config["PAGE_CACHE_BYTES"]:
        current_generation()


def _keeping() -> bool:
    """Whether this request may keep what it computes: a GET with the page store on. A request that writes
    computes inside its own uncommitted transaction, which may yet roll back."""
    return bool(current_app.config["PAGE_CACHE_BYTES"]) and request.method in ("GET", "HEAD")


def public_page(view: Callable) -> Callable:
    """For a view whose page is the same for every visitor who is not signed in: answer such a visitor from the
    kept page when there is one. It runs inside the decorators above it (a rate limit still counts)."""

    @functools.wraps(view)
    def serve(*args, **kwargs):
        kept = serve_kept_page()
        return kept if kept is not None else view(*args, **kwargs)

    return serve


class PageStore:
    """Kept responses, least recently used dropped first beyond `limit` bytes; emptied when the generation moves."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size, self.generation = limit, 0, None
        self.items: OrderedDict[str, bytes] = OrderedDict()
        self.values: OrderedDict[str, object] = OrderedDict()  # kept_value's, at most VALUES of them
        self.lock = Lock()

    def _recent(self, kept: OrderedDict, key: str):
        """The kept entry, marked as just used; None when there is none."""
        with self.lock:
            value = kept.get(key)
            if value is not None:
                kept.move_to_end(key)
            return value

    def get(self, key: str) -> bytes | None:
        return self._recent(self.items, key)

    def set(self, key: str, value: bytes) -> None:
        """Keep `value` (keys without a page key, i.e. ending in ";", are not kept: Flask-Compress asks for all)."""
        if key.endswith(";") or len(value) > self.limit // 8:
            return
        with self.lock:
            old = self.items.pop(key, None)
            self.size += len(value) - (len(old) if old is not None else 0)
            self.items[key] = value
            while self.size > self.limit:
                _key, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)

    def get_value(self, key: str) -> object | None:
        return self._recent(self.values, key)

    def set_value(self, key: str, value: object) -> None:
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > VALUES:
                self.values.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.values.clear()
            self.size = 0

    def see_generation(self, generation: int) -> None:
        with self.lock:
            if generation != self.generation:
                self.items.clear()
                self.values.clear()
                self.size, self.generation = 0, generation


def store() -> PageStore:
    return current_app.extensions["page_cache"]


def _cacheable_request() -> bool:
    return request.method in ("GET", "HEAD") and "_flashes" not in session and not current_user.is_authenticated


def _address_key(generation: int) -> str:
    """What a kept page or fragment depends on besides the person: generation, lab date, language, address."""
    return f"{generation}|{lab_today().isoformat()}|{current_language()}|{request.host_url}|{request.full_path}"


def serve_kept_page() -> Response | None:
    """The kept page for this request, or None (then the view renders it, and `keep_page` may keep it)."""
    if not current_app.config["PAGE_CACHE_BYTES"] or not _cacheable_request():
        return None
    generation = current_generation()
    if generation is None:
        return None
    pages = store()
    pages.see_generation(generation)
    g.page_key = _address_key(generation)
    body = pages.get(f"page;{g.page_key}")
    if body is None:
        return None
    response = Response(body, mimetype="text/html")
    g.page_kept = True
    return response


def keep_page(response: Response) -> Response:
    """After the view: keep a page rendered for a visitor, and give every page a visitor may keep an ETag."""
    key = g.get("page_key")
    if key is None:
        return response
    if not g.get("page_kept"):
        if not _keepable(response):
            g.page_key = None  # nor its compressed forms
            return response
        store().set(f"page;{key}", response.get_data())
    response.set_etag(hashlib.blake2b(response.get_data(), digest_size=16).hexdigest())
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    return response.make_conditional(request)


def _keepable(response: Response) -> bool:
    """A plain HTML 200 that holds no CSRF token, left the session alone (a message) and set no cookie."""
    return (response.status_code == 200 and response.mimetype == "text/html" and not response.direct_passthrough
            and not response.is_streamed and not session.modified and "Set-Cookie" not in response.headers
            and current_app.config["WTF_CSRF_FIELD_NAME"] not in g)  # Flask-WTF keeps a token it printed in g


def kept_fragment(name: str, render: Callable[[], str]) -> Markup:
    """The part of a signed-in page that everyone allowed to see it sees alike (the coordinators' dashboard, the
    home's body), kept like a public page: under the site generation, the lab's date, the language and the
    address (scheme, host, path with query). `render` makes it when it is not kept; what it renders must not
    depend on who asks, and a fragment that printed a CSRF token is never kept."""
    return Markup(_fragment_html(name, render))  # nosec B704  # HTML rendered by an autoescaping Jinja template


def _fragment_html(name: str, render: Callable[[], str]) -> str:
    if not _keeping() or (generation := current_generation()) is None:
        return render()
    pages = store()
    pages.see_generation(generation)
    key = f"fragment;{name};{_address_key(generation)}"
    kept = pages.get(key)
    if kept is not None:
        return kept.decode()
    token = current_app.config["WTF_CSRF_FIELD_NAME"]
    printed_before = token in g  # then a token printed by the fragment could not be told apart: keep nothing
    html = render()
    if not printed_before and token not in g:
        pages.set(key, html.encode())
    return html


def kept_value(key: str, compute: Callable[[], T]) -> T:
    """A value computed from what public pages show (never from private tables), kept under the site generation:
    `compute()` when it is not kept. The key must name everything else the value depends on (a user's id, ids
    asked about); the value must not be changed by those who get it (a number, a frozenset, a tuple)."""
    if not has_request_context() or not _keeping() or (generation := current_generation()) is None:
        return compute()
    pages = store()
    pages.see_generation(generation)
    key = f"{generation}|{key}"  # as page keys: a request of an older generation in another thread keeps its own
    value = pages.get_value(key)
    if value is None:
        value = compute()
        pages.set_value(key, value)
    return value


def compression_key(_request) -> str:
    """Flask-Compress's cache key: the page key of a kept page or a fingerprinted static file, else "" (compressed
    again each time, not kept)."""
    return g.get("page_key") or g.get("static_key") or ""


def init_app(app: Flask) -> None:
    """Compression (Flask-Compress, one per app, its cache in the page store), and the keeping before compression
    (after-request hooks run last registered first)."""
    pages = app.extensions["page_cache"] = PageStore(app.config["PAGE_CACHE_BYTES"])
    app.config.update(COMPRESS_CACHE_KEY=compression_key, COMPRESS_CACHE_BACKEND=lambda: pages)
    app.extensions["compress"] = Compress(app)
    app.before_request_funcs.setdefault(None, []).insert(0, _read_generation)
    app.after_request(keep_page)
    app.after_request(_read_static_file)


def _read_static_file(response: Response) -> Response:
    """Hand a static file to Flask-Compress as bytes (it compresses a streamed file with fewer algorithms, and
    keeps nothing of it); static files are small, and nginx serves them in production."""
    if request.endpoint == "static" and response.direct_passthrough and response.status_code == 200:
        response.direct_passthrough = False
        response.set_data(response.get_data())
    return response
