"""What a request finds once and reuses (the site generation, its language): kept in the request's own WSGI
environ, which no other request shares, or in the app context outside a request (a command)."""

from flask import g, has_request_context, request

KEY = "livinglab.request_local"


def found() -> dict:
    """This request's dictionary of values found once."""
    if has_request_context():
        return request.environ.setdefault(KEY, {})
    return g.setdefault("request_local", {})
