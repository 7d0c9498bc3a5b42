"""Refuse, once for every route, requests carrying text that no database can store.

PostgreSQL rejects NUL characters in text and lone UTF-16 surrogates cannot be encoded at all, so such
input would fail deep inside a query with a 500. Werkzeug already replaces invalid UTF-8 in the path,
query string and forms, so what is left to catch is NUL anywhere and surrogates (from JSON escapes).
Cookies are not checked: the ones the app reads are signed or compared against a fixed list.
"""

import re
from collections.abc import Iterable

from flask import Flask, abort, request
from werkzeug.datastructures import MultiDict

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _texts(data: MultiDict) -> Iterable[str]:
    for key, values in data.lists():
        yield key
        yield from (value for value in values if isinstance(value, str))


def _json_texts(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_texts(item)


def _request_texts() -> Iterable[str]:
    yield request.path
    yield from _texts(request.args)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        yield from _texts(request.form)
        yield from (file.filename or "" for files in request.files.listvalues() for file in files)
        if request.is_json:
            yield from _json_texts(request.get_json(silent=True))


def refuse_unstorable_text() -> None:
    """Answer 400 (the normal error page) when the path, query, form, file names or JSON hold NUL or surrogates."""
    if any(_UNSTORABLE.search(text) for text in _request_texts()):
        abort(400)


def register(app: Flask) -> None:
    # First of all request hooks, so no other hook reads the text before it is checked.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unstorable_text)
