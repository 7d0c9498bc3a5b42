"""Where a commitment's status disagrees with its own evidence or with its judged outcome, and what judged
outcomes rest on (synthetic demo results or official ones).

`evidence_gap` is the SQL twin of `Commitment.evidence_gaps()`, so the dashboard finds these commitments
without loading every one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from livinglab.commitments.models import Commitment, CommitmentStatus, Milestone, Outcome
from livinglab.commitments.queries import CommitmentFilters, counted, filtered
from livinglab.evaluations.models import Evaluation
from livinglab.extensions import db

SUCCEEDED = (CommitmentStatus.ACHIEVED, CommitmentStatus.VERIFIED)
ATTENTION_LIMIT = 20


def evidence_gap() -> ColumnElement[bool]:
    """Achieved or verified, with progress below 100 % or a milestone not done."""
    open_milestone = select(Milestone.id).where(Milestone.commitment_id == Commitment.id, Milestone.done_on.is_(None))
    return and_(Commitment.status.in_(SUCCEEDED), or_(Commitment.percent < 100, exists(open_milestone)))


def verified_without_gain() -> ColumnElement[bool]:
    """Verified, though the results of its due year say the indicators stayed put or fell."""
    return and_(Commitment.status == CommitmentStatus.VERIFIED,
                Commitment.outcome.in_((Outcome.UNCHANGED, Outcome.FELL)))


def needs_attention_query(filters: CommitmentFilters, today: date) -> Select:
    """Commitments whose status outruns their evidence or their outcome, oldest due first."""
    return (filtered(select(Commitment), filters, today).where(or_(evidence_gap(), verified_without_gain()))
            .options(joinedload(Commitment.regency), selectinload(Commitment.milestones))
            .order_by(Commitment.due_on, Commitment.id))


def attention_reasons(commitment: Commitment) -> list[str]:
    """"percent", "milestones" and/or "outcome" (verified, but unchanged or fell)."""
    reasons = commitment.evidence_gaps()
    if commitment.status is CommitmentStatus.VERIFIED and commitment.outcome in (Outcome.UNCHANGED, Outcome.FELL):
        reasons.append("outcome")
    return reasons


def _judged_on_synthetic() -> ColumnElement[bool]:
    """The results the commitment was judged on (its regency, its outcome year) are synthetic demo results."""
    return exists(select(Evaluation.id).where(Evaluation.regency_code == Commitment.regency_code,
                                              Evaluation.year == Commitment.outcome_year, Evaluation.is_synthetic))


def synthetic_judged(commitments: Iterable[Commitment]) -> set[int]:
    """Ids of those judged commitments whose outcome rests on synthetic demo results (one query)."""
    ids = [c.id for c in commitments if c.outcome is not None]
    if not ids:
        return set()
    return set(db.session.scalars(select(Commitment.id).where(Commitment.id.in_(ids), _judged_on_synthetic())))


def synthetic_judged_count(filters: CommitmentFilters, today: date) -> int:
    """How many of the counted, judged commitments matching the filters were judged on synthetic results."""
    query = (select(func.count()).select_from(Commitment)
             .where(Commitment.outcome.is_not(None), counted(), _judged_on_synthetic()))
    return db.session.scalar(filtered(query, filters, today)) or 0
