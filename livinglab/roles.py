"""The roles a user can hold, their names on screen, and the checks every permission starts from."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from livinglab.accounts.models import User


class Role(enum.Enum):
    """What a user may do; officials act for one regency."""

    PEER = "peer"
    OFFICIAL = "official"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.PEER: _l("Peer"),
    Role.OFFICIAL: _l("Official"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Administrator"),
}


def is_active_user(user: User) -> bool:
    """Signed in with an account that is not blocked or pending (every permission starts here)."""
    return bool(user and user.is_authenticated and user.is_active)


def is_active_coordinator(user: User) -> bool:
    """An active coordinator or admin: the coordinators' pages (users, audit, moderation, imports) ask this."""
    return is_active_user(user) and user.is_coordinator
