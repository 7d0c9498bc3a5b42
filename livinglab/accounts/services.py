"""Account rules: registration, passwords, reset tokens, roles and activation."""

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from livinglab.accounts.models import HANDLE_PATTERN, EmailFrequency, User
from livinglab.accounts.queries import find_user_by_email, find_user_by_handle
from livinglab.accounts.signins import end_sign_ins
from livinglab.audit.services import record_event
from livinglab.clock import utcnow
from livinglab.extensions import db
from livinglab.i18n import force_locale
from livinglab.mail import send_mail, site_link
from livinglab.roles import Role

RESET_SALT = "livinglab-password-reset"


class AccountError(ValueError):
    """A broken account rule; `message` is shown to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked when the e-mail is unknown, so a failed sign-in takes the same time either way."""
    return generate_password_hash("livinglab-timing-equaliser", method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """zxcvbn's list of common passwords plus our Indonesian list from `content/`."""
    path = Path(current_app.config["CONTENT_DIR"]) / "common_passwords_id.txt"
    ours = [line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()]
    return frozenset(FREQUENCY_LISTS["passwords"]) | {p for p in ours if p and not p.startswith("#")}


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("The password must be at least %(n)d characters long.", n=minimum)
    if password.lower() in common_passwords() or len(set(password)) < 4:
        return _("This password is too common or too easy to guess. Please choose another.")
    return None


def _store_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, field="password")
    user.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def set_password(user: User, password: str) -> None:
    """Hash and store a new password, ending every sign-in of the user."""
    _store_password(user, password)
    end_sign_ins(user)


def register_user(email: str, name: str, password: str, locale: str = "id", regency_code: str | None = None) -> User:
    """Create a peer account; the e-mail must be new."""
    email = email.strip().lower()
    if find_user_by_email(email):
        raise AccountError(_("An account with this e-mail address already exists."), field="email")
    user = User(email=email, name=name.strip(), role=Role.PEER, locale=locale, regency_code=regency_code or None)
    _store_password(user, password)
    db.session.add(user)
    db.session.flush()
    record_event("user.registered", "user", user.id, actor=user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; every sign-in ends (the view starts a new one)."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError(_("The current password is not correct."), field="current_password")
    set_password(user, new)
    record_event("user.password_changed", "user", user.id, actor=user)


def update_profile(user: User, name: str, locale: str, handle: str | None = None,
                   email_frequency: EmailFrequency | None = None) -> None:
    """Save the profile; a new handle must be free and well formed."""
    if handle is not None and handle.strip().lower() != user.handle:
        handle = handle.strip().lower()
        if not re.fullmatch(HANDLE_PATTERN, handle):
            raise AccountError(_("Use 3 to 30 lower-case letters, digits or underscores."), field="handle")
        if find_user_by_handle(handle):
            raise AccountError(_("This handle is already taken."), field="handle")
        user.handle = handle
    user.name = name.strip()
    user.locale = locale
    if email_frequency is not None:
        user.email_frequency = email_frequency


def handle_base(name: str, email: str) -> str:
    """A readable handle from the first two words of a name (or the e-mail), without a number yet."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", re.sub(r"\(.*?\)", " ", ascii_name))[:2]
    base = "_".join(words)[:26]
    if len(base) < 3:
        base = re.sub(r"[^a-z0-9_]", "", email.split("@")[0].lower())[:26]
    return base if len(base) >= 3 else "anggota"


def _free_handle(session: Session, base: str, pending: set[str]) -> str:
    taken = set(session.scalars(select(User.handle).where(User.handle.startswith(base)))) | pending
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


@event.listens_for(Session, "before_flush")
def _assign_handles(session: Session, flush_context, instances) -> None:
    """Every new user gets a free handle, whichever code path created them."""
    pending: set[str] = set()
    with session.no_autoflush:
        for obj in session.new:
            if isinstance(obj, User) and not obj.handle:
                obj.handle = _free_handle(session, handle_base(obj.name or "", obj.email or ""), pending)
                pending.add(obj.handle)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    # Changes with every new password hash, so a used token stops working.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _serializer().dumps([user.id, _fingerprint(user)])


def user_for_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused reset token belongs to, else None."""
    try:
        user_id, fingerprint = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or fingerprint != _fingerprint(user):
        return None
    return user


def reset_password(user: User, password: str) -> None:
    set_password(user, password)
    record_event("user.password_reset", "user", user.id, actor=user)


def send_reset_mail(email: str) -> None:
    """E-mail a reset link when the address belongs to an active account; silent otherwise.

    Runs after the answer has gone out (`run_after_response`), so known and unknown addresses
    look the same from outside; the link is built from SITE_URL, never from the request."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(user.locale):
        subject = _("Reset your Livinglab password")
        body = _(
            "Hello %(name)s,\n\nSomeone asked to reset the password of your Livinglab account. "
            "To choose a new password, open this link within %(minutes)d minutes:\n\n%(url)s\n\n"
            "The link works once. If you did not ask for this, you can ignore this message.",
            name=user.name, minutes=minutes,
            url=site_link("accounts.reset_password", token=make_reset_token(user)),
        )
    send_mail(user.email, subject, body)


def change_role(user: User, role: Role, regency_code: str | None, by: User | None) -> None:
    """Give a user a role (officials need a regency); recorded as an audit event."""
    if role is Role.OFFICIAL and not regency_code:
        raise AccountError(_("An official must belong to a regency."), field="regency")
    before = {"role": user.role.value, "regency": user.regency_code}
    user.role = role
    if regency_code or role is Role.OFFICIAL:
        user.regency_code = regency_code
    after = {"role": user.role.value, "regency": user.regency_code}
    if before != after:
        record_event("user.role_changed", "user", user.id, actor=by, before=before, after=after)


def set_active(user: User, is_active: bool, by: User) -> None:
    """Deactivate (ending every session) or reactivate an account; recorded as an audit event."""
    if user.is_active == is_active:
        return
    user.is_active = is_active
    if not is_active:
        end_sign_ins(user)
    record_event("user.activated" if is_active else "user.deactivated", "user", user.id, actor=by)


