"""Who may read the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from livinglab.roles import is_active_coordinator

if TYPE_CHECKING:
    from livinglab.accounts.models import User


def can_view_audit(user: User) -> bool:
    """Coordinators and admins read the audit log."""
    return is_active_coordinator(user)
