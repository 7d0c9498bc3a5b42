"""Reads of the audit log."""

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from livinglab.audit.models import AuditEvent
from livinglab.extensions import db


def audit_log_query(action_prefix: str = "") -> Select:
    """All events, newest first, optionally only those whose action starts with a prefix."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    return query


def events_for(object_type: str, object_id: object, limit: int = 50) -> list[AuditEvent]:
    """The latest events about one object."""
    query = audit_log_query().where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
    return list(db.session.scalars(query.limit(limit)))
