"""Sign-ins: one record per signed-in browser, so each can be ended from the server side."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload
from ua_parser import parse

from livinglab.accounts.models import SignIn, User
from livinglab.clock import as_utc, utcnow
from livinglab.extensions import db

# Ended sign-ins are kept this long for the account page's sake, then deleted at the next sign-in.
KEEP_ENDED = timedelta(days=30)


def token_hash(token: str) -> str:
    """The stored form of a sign-in secret: a database copy cannot be replayed as a cookie."""
    return hashlib.sha256(token.encode()).hexdigest()


def describe_browser(user_agent: str) -> str:
    """A short "browser · system" summary, e.g. "Chrome Mobile · Android", for the account page."""
    result = parse(user_agent or "")
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    if browser and system:
        return f"{browser} · {system}"[:80]
    return (browser or system)[:80]


def start_sign_in(user: User, user_agent: str, remember: bool) -> SignIn:
    """Record a new sign-in and put its fresh secret on `user.sign_in_token` for the session."""
    config = current_app.config
    now = utcnow()
    lifetime = config["REMEMBER_COOKIE_DURATION"] if remember else config["SIGN_IN_IDLE_TIMEOUT"]
    token = secrets.token_urlsafe(32)
    ended_long_ago = or_(SignIn.expires_at < now - KEEP_ENDED, SignIn.revoked_at < now - KEEP_ENDED)
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id, ended_long_ago),
                       execution_options={"synchronize_session": False})
    sign_in = SignIn(user=user, token_hash=token_hash(token), user_agent=describe_browser(user_agent),
                     is_remembered=remember, created_at=now, last_seen_at=now,
                     expires_at=now + timedelta(seconds=int(lifetime)))
    db.session.add(sign_in)
    user.sign_in_token = token
    return sign_in


def find_open_sign_in(user_id: int, token: str, now: datetime) -> SignIn | None:
    """The open sign-in of an active user with this secret, or None."""
    query = select(SignIn).options(joinedload(SignIn.user)).where(SignIn.token_hash == token_hash(token))
    sign_in = db.session.scalars(query).first()
    if sign_in is None or sign_in.user_id != user_id or not sign_in.is_open_at(now) or not sign_in.user.is_active:
        return None
    sign_in.user.sign_in_token = token
    return sign_in


def touch_sign_in(sign_in: SignIn, now: datetime) -> bool:
    """Note that the browser is still in use, at most once per SIGN_IN_TOUCH_INTERVAL; True if changed."""
    config = current_app.config
    if now - as_utc(sign_in.last_seen_at) < timedelta(seconds=config["SIGN_IN_TOUCH_INTERVAL"]):
        return False
    sign_in.last_seen_at = now
    if not sign_in.is_remembered:
        sign_in.expires_at = now + timedelta(seconds=config["SIGN_IN_IDLE_TIMEOUT"])
    return True


def end_sign_in(sign_in: SignIn) -> None:
    """Sign one browser out."""
    if sign_in.revoked_at is None:
        sign_in.revoked_at = utcnow()


def end_sign_ins(user: User, keep: SignIn | None = None) -> int:
    """Sign the user out everywhere (except `keep`); returns how many sign-ins ended."""
    query = update(SignIn).where(SignIn.user_id == user.id, SignIn.revoked_at.is_(None))
    if keep is not None:
        query = query.where(SignIn.id != keep.id)
    return db.session.execute(query.values(revoked_at=utcnow())).rowcount or 0


def open_sign_ins(user: User) -> list[SignIn]:
    """The user's sign-ins that still work, most recently used first."""
    query = select(SignIn).where(SignIn.user_id == user.id, SignIn.revoked_at.is_(None), SignIn.expires_at > utcnow())
    return list(db.session.scalars(query.order_by(SignIn.last_seen_at.desc(), SignIn.id.desc())))
