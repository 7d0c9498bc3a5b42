"""Error pages in the user's language, for browsers and for JSON clients."""

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from livinglab.accounts.views import too_many_requests
from livinglab.extensions import db
from livinglab.search.views import too_many_searches

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you are looking for does not exist or has been moved.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    409: (_l("Changed at the same time"),
          _l("Someone else changed this at the same moment, so your change was not saved. Please reload the page "
             "and try again.")),
    413: (_l("File too large"), _l("What you sent is larger than the allowed size. Please send a smaller file.")),
    429: (_l("Too many attempts"), _l("You have tried too often in a short time. Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. It has been logged; please try again later.")),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def render_error(code: int, message: str | None = None):
    """Render the error page for `code` (or JSON for API paths) with an optional specific message."""
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    text = message or str(default_message)
    if _wants_json():
        return jsonify(error=str(title), message=text), code
    return render_template("errors/error.html", code=code, title=title, message=text), code


def handle_http_error(error: HTTPException):
    code = error.code or 500
    if code not in MESSAGES:
        return error
    if code == 429 and request.endpoint in ("accounts.login", "accounts.register", "accounts.forgot_password"):
        return too_many_requests()
    if code == 429 and request.endpoint == "search.index":
        return too_many_searches()
    return render_error(code)


def handle_untrusted_host(error: SecurityError):
    """A Host header outside TRUSTED_HOSTS: no page (it would build links), just a short 400."""
    title, message = MESSAGES[400]
    return f"{title}. {message}", 400, {"Content-Type": "text/plain; charset=utf-8"}


def handle_csrf_error(error: CSRFError):
    return render_error(
        400, str(_l("The form expired or was sent from elsewhere. Please go back, reload the page and send it again."))
    )


def handle_server_error(error: Exception):
    db.session.rollback()
    return render_error(500)


def handle_stale_data(error: StaleDataError):
    """A row changed by someone else between reading and writing it: a conflict, never a 500."""
    db.session.rollback()
    return render_error(409)


def register(app: Flask) -> None:
    app.register_error_handler(StaleDataError, handle_stale_data)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
