"""Recording audit events; called by every feature that changes status, roles or data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from livinglab.audit.models import AuditEvent
from livinglab.extensions import db

if TYPE_CHECKING:
    from livinglab.accounts.models import User


def record_event(
    action: str, object_type: str, object_id: object, actor: User | None = None, **details: Any
) -> AuditEvent:
    """Add an audit event to the session; the caller commits it with the change itself."""
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        actor_id=actor.id if actor is not None else None,
        details=details,
    )
    db.session.add(event)
    return event
