"""A commitment's timeline: its status changes and progress updates together, for the commitment page."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from livinglab.commitments.models import LAB_TIMEZONE, Commitment


@dataclass
class TimelineEntry:
    kind: str
    item: object
    on: date
    at: datetime


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes; PostgreSQL and fresh objects are aware."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def commitment_timeline(commitment: Commitment) -> list[TimelineEntry]:
    """Status changes and progress updates together, newest first (updates by their reported date)."""
    entries = [TimelineEntry("update", u, u.reported_on, _aware(u.created_at)) for u in commitment.updates]
    entries += [TimelineEntry("status", s, _aware(s.created_at).astimezone(LAB_TIMEZONE).date(), _aware(s.created_at))
                for s in commitment.status_changes]
    return sorted(entries, key=lambda e: (e.on, e.at), reverse=True)
