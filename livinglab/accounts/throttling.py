"""Throttling keys for sign-in, registration and reset requests, and the device cookie.

Failed sign-ins are limited per address and e-mail, per address across all accounts (spraying)
and per account across all addresses (a distributed attack). Browsers that signed in to an
account before (or reset its password) carry a signed device cookie: they are exempt from the
address and account limits, so an attack on an account never locks its owner out."""

import hashlib
import hmac
import secrets

from flask import Response, current_app, g, request
from flask_limiter import RequestLimit
from itsdangerous import BadSignature, URLSafeSerializer

DEVICE_COOKIE = "device"
DEVICE_SALT = "livinglab-device"
DEVICE_ACCOUNTS = 5  # accounts one browser is remembered for


def posted_email() -> str:
    return (request.form.get("email") or "").strip().lower()


def _client() -> str:
    return request.remote_addr or "unknown"


def _account_digest(email: str) -> str:
    # Keyed, so the cookie does not show which addresses signed in on this browser.
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:20]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def _device() -> tuple[str, list[str]] | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        device_id, accounts = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    return str(device_id), [str(a) for a in accounts]


def trusted_device() -> str | None:
    """This browser's device id when it has signed in to the posted account before, else None."""
    device = _device()
    if device is None or _account_digest(posted_email()) not in device[1]:
        return None
    return device[0]


def is_trusted_device() -> bool:
    return trusted_device() is not None


def remember_device(response: Response, email: str) -> Response:
    """Mark this browser as one the account's owner uses (after a sign-in or a password reset)."""
    device_id, accounts = _device() or (secrets.token_urlsafe(12), [])
    digest = _account_digest(email.strip().lower())
    accounts = ([digest] + [a for a in accounts if a != digest])[:DEVICE_ACCOUNTS]
    config = current_app.config
    response.set_cookie(DEVICE_COOKIE, _serializer().dumps([device_id, accounts]),
                        max_age=config["DEVICE_COOKIE_DURATION"], secure=config["SESSION_COOKIE_SECURE"],
                        httponly=True, samesite="Lax")
    return response


def login_key() -> str:
    """Failed sign-ins per address (or trusted browser) and e-mail."""
    return f"login|{trusted_device() or _client()}|{posted_email()}"


def login_address_key() -> str:
    """Failed sign-ins from one address, whichever accounts they target."""
    return f"login-address|{_client()}"


def login_account_key() -> str:
    """Failed sign-ins against one account, from anywhere."""
    return f"login-account|{posted_email()}"


def target_key() -> str:
    """Registration or reset requests for one e-mail address, from anywhere."""
    return f"{request.endpoint}|target|{posted_email()}"


def failed_login(response: Response) -> bool:
    return request.method == "POST" and response.status_code == 200


def note_account_limit(limit: RequestLimit) -> None:
    """Remember that the account limit refused this sign-in, so the page can say what helps."""
    g.account_throttled = True
