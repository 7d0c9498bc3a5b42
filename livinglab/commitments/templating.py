"""Template helpers of the commitments blueprint: labels, the timeline, and the commitment lists that the
piece, regency and indicator pages show."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from livinglab.clock import lab_timezone, lab_today
from livinglab.commitments import evidence, queries
from livinglab.commitments.forms import STATUS_LABELS
from livinglab.commitments.models import Commitment, CommitmentStatus
from livinglab.pieces.models import Piece
from livinglab.routing import RouteTable

routes = RouteTable()


@routes.app_template_global()
def commitment_status_label(status: CommitmentStatus) -> str:
    return str(STATUS_LABELS[status])


@routes.app_template_global()
def replications_of(piece: Piece) -> list[Commitment]:
    """For the piece page: the regencies replicating it, each with its commitment's status."""
    return queries.replications(piece.id)


@routes.app_template_global()
def regency_commitments(regency_code: str) -> list[Commitment]:
    return queries.for_regency(regency_code)


@routes.app_template_global()
def commitments_owned_by(user_id: int) -> list[Commitment]:
    """For the public profile of a person (accounts), which cannot import commitments."""
    return queries.owned_by(user_id)


@routes.app_template_global()
def indicator_commitments(indicator_id: int) -> list:
    return queries.for_indicator(indicator_id)


@routes.app_template_global()
def attention_reasons(commitment: Commitment) -> list[str]:
    return evidence.attention_reasons(commitment)


@routes.app_template_global()
def synthetic_judged(commitments: list[Commitment]) -> set[int]:
    """For a list of commitments: the ids whose outcome rests on synthetic demo results."""
    return evidence.synthetic_judged(commitments)


@routes.app_template_global()
def outcome_counts(commitments: list[Commitment]) -> dict[str, int]:
    """met/improved/unchanged/fell/none among the commitments that count: withdrawn ones and those recorded
    after the fact are left out."""
    counts = dict.fromkeys(queries.OUTCOME_CHOICES, 0)
    for commitment in commitments:
        if commitment.status is not CommitmentStatus.WITHDRAWN and not commitment.is_recorded_after:
            counts[commitment.outcome.value if commitment.outcome else "none"] += 1
    return counts


@routes.app_template_global()
def lab_date() -> date:
    return lab_today()


@dataclass
class TimelineEntry:
    kind: str
    item: object
    on: date
    at: datetime


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes; PostgreSQL and fresh objects are aware."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@routes.app_template_global()
def commitment_timeline(commitment: Commitment) -> list[TimelineEntry]:
    """Status changes and progress updates together, newest first (updates by their reported date)."""
    entries = [TimelineEntry("update", u, u.reported_on, _aware(u.created_at)) for u in commitment.updates]
    entries += [TimelineEntry("status", s, _aware(s.created_at).astimezone(lab_timezone()).date(), _aware(s.created_at))
                for s in commitment.status_changes]
    return sorted(entries, key=lambda e: (e.on, e.at), reverse=True)
