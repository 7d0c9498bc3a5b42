"""Security headers added to every response; no caching of anything personal."""

from flask import Flask, Response, current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


HSTS = "max-age=31536000; includeSubDomains"
DOWNLOAD_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def sends_hsts() -> bool:
    """HSTS goes with Secure cookies (so not in debug or tests) unless HSTS_ENABLED says otherwise."""
    setting = str(current_app.config["HSTS_ENABLED"]).lower()
    if setting == "auto":
        return bool(current_app.config["SESSION_COOKIE_SECURE"])
    return setting in {"1", "true", "yes", "on"}


def is_private(response: Response) -> bool:
    """Pages for a signed-in user and spreadsheet exports must never be stored by a browser or proxy."""
    if response.mimetype in DOWNLOAD_TYPES:
        return True
    return request.endpoint != "static" and current_user.is_authenticated


def add_security_headers(response: Response) -> Response:
    """Set the security headers unless a view chose its own value."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if sends_hsts():
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if is_private(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
