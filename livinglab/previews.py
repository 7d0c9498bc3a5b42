"""Signed upload previews: what a coordinator confirms is exactly what they were shown, and it applies once."""

import hashlib
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

MAX_AGE = 3600  # seconds between the upload and the confirmation


class PreviewRefused(Exception):
    """The confirmed preview is not applied; `response` tells the user why."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response


def _signer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def sign_preview(salt: str, content: dict[str, Any]) -> str:
    """The token the preview form carries: the checked content, bound to the signed-in user."""
    return _signer(salt).dumps({"user": current_user.id, **content})


def open_preview(salt: str, token: str, *, claim: Callable[[str], bool], upload_endpoint: str,
                 done_endpoint: str) -> tuple[dict[str, Any], str]:
    """The content of a confirmed preview and the digest of its token; `claim(digest)` is False when
    it was applied before. An expired or tampered token goes back to the upload, another user's is 403."""
    try:
        payload = _signer(salt).loads(token, max_age=MAX_AGE)
    except BadSignature:
        flash(_("This preview has expired. Please upload the file again."), "error")
        raise PreviewRefused(redirect(url_for(upload_endpoint))) from None
    if payload.get("user") != current_user.id:
        abort(403)
    digest = hashlib.sha256(token.encode()).hexdigest()
    if not claim(digest):
        raise PreviewRefused(already_applied(done_endpoint))
    return payload, digest


def already_applied(done_endpoint: str) -> Response:
    """Back to where the coordinator came from: this file was imported already."""
    flash(_("This file has already been imported."), "info")
    return redirect(url_for(done_endpoint))
