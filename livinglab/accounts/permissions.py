"""Who may manage which accounts, and the loader that enforces it."""

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from livinglab.accounts.models import SignIn, User
from livinglab.extensions import db
from livinglab.roles import Role, is_active_coordinator


def can_manage_users(user: User) -> bool:
    """Coordinators and admins open the user administration."""
    return is_active_coordinator(user)


def can_edit_user(actor: User, target: User) -> bool:
    """Manage another account: admins any, coordinators anyone but admins; never oneself."""
    if not can_manage_users(actor) or actor.id == target.id:
        return False
    return actor.is_admin or target.role is not Role.ADMIN


def can_grant_role(actor: User, role: Role) -> bool:
    """Only admins make admins; coordinators grant the other roles."""
    return can_manage_users(actor) and (actor.is_admin or role is not Role.ADMIN)


def load_user(user_id: int, predicate: Callable[[User, User], bool]) -> User:
    """The user with this id, or 404; 403 when the current user may not act on them."""
    target = db.session.get(User, user_id)
    if target is None:
        abort(404)
    if not predicate(current_user, target):
        abort(403)
    return target


def can_end_sign_in(user: User, sign_in: SignIn) -> bool:
    """Only the owner of a sign-in may end it from the account page."""
    return bool(user.is_authenticated and sign_in.user_id == user.id)


def load_sign_in(sign_in_id: int, predicate: Callable[[User, SignIn], bool]) -> SignIn:
    """The sign-in with this id, or 404; 403 when the current user may not act on it."""
    sign_in = db.session.get(SignIn, sign_in_id)
    if sign_in is None:
        abort(404)
    if not predicate(current_user, sign_in):
        abort(403)
    return sign_in
