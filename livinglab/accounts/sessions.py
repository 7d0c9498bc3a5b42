"""Binding Flask-Login to server-side sign-ins: every session and remember cookie names one."""

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from livinglab.accounts import signins
from livinglab.accounts.models import SignIn, User
from livinglab.clock import utcnow
from livinglab.extensions import db, login_manager


def init_login(app: Flask) -> None:
    """Bind Flask-Login and note each sign-in's last use."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    app.before_request(note_activity)


@login_manager.user_loader
def load_signed_in_user(session_id: str) -> User | None:
    """The user of an open sign-in named "user id:secret" by the session or remember cookie."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    sign_in = signins.find_open_sign_in(int(user_id), token, utcnow())
    if sign_in is None:
        return None
    g.sign_in = sign_in
    return sign_in.user


def current_sign_in() -> SignIn | None:
    """The sign-in of this request's browser, when signed in."""
    return g.get("sign_in") if current_user.is_authenticated else None


def note_activity() -> None:
    """Write the sign-in's last-seen time (at most every few minutes), before the view runs."""
    if request.endpoint == "static":
        return
    sign_in = current_sign_in()
    if sign_in is not None and signins.touch_sign_in(sign_in, utcnow()):
        db.session.commit()


def sign_in_browser(user: User, remember: bool) -> None:
    """Start a new sign-in for this browser, commit, and put it in the session (and remember cookie)."""
    g.sign_in = signins.start_sign_in(user, request.headers.get("User-Agent", ""), remember)
    db.session.commit()
    login_user(user, remember=remember)
