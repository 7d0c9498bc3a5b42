"""A commitment's timeline: its status changes and progress updates together, for the commitment page."""

from dataclasses import dataclass
from datetime import date, datetime

from livinglab.clock import as_utc, lab_timezone
from livinglab.commitments.models import Commitment


@dataclass
class TimelineEntry:
    kind: str
    item: object
    on: date
    at: datetime


def commitment_timeline(commitment: Commitment) -> list[TimelineEntry]:
    """Status changes and progress updates together, newest first (updates by their reported date)."""
    entries = [TimelineEntry("update", u, u.reported_on, as_utc(u.created_at)) for u in commitment.updates]
    entries += [TimelineEntry("status", s, as_utc(s.created_at).astimezone(lab_timezone()).date(), as_utc(s.created_at))
                for s in commitment.status_changes]
    return sorted(entries, key=lambda e: (e.on, e.at), reverse=True)
