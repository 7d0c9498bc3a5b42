"""Static files with their content's fingerprint in the address, kept by browsers for a year.

`url_for('static', filename=...)` adds `?v=<fingerprint>` (the first characters of the file's hash), so a changed
file gets a new address. A request carrying the current fingerprint is answered with a year-long, immutable
lifetime; any other (an old or no fingerprint) keeps Flask's default: revalidated with its ETag each time.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, g, request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def _fingerprint(path: str, mtime_ns: int) -> str:
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=6).hexdigest()


def fingerprint(filename: str) -> str | None:
    """The fingerprint of a file under the static folder, or None when there is no such file."""
    path = safe_join(current_app.static_folder, filename)
    try:
        return _fingerprint(path, Path(path).stat().st_mtime_ns) if path else None
    except OSError:
        return None


def add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = fingerprint(values["filename"])
        if version:
            values["v"] = version


def note_fingerprint() -> None:
    """Before a static file is sent: remember whether it was asked for with its current fingerprint."""
    if request.endpoint == "static":
        filename = (request.view_args or {}).get("filename", "")
        version = request.args.get("v")
        if version and version == fingerprint(filename):
            g.static_key = f"static;{filename};{version}"  # its compressed forms are kept too


def long_lifetime(response: Response) -> Response:
    if g.get("static_key") and response.status_code in (200, 304):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


def register(app: Flask) -> None:
    app.url_defaults(add_fingerprint)
    app.before_request(note_fingerprint)
    app.after_request(long_lifetime)
