"""Reads of commitments: the filtered list, dashboard figures, and the lists other pages show.

The derived states have SQL twins of the model's rules, so lists can filter, count and sort by them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, exists, extract, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from livinglab.accounts.models import User
from livinglab.commitments.models import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    Commitment,
    CommitmentStatus,
    CommitmentTarget,
    Milestone,
    Outcome,
    ProgressUpdate,
    StatusChange,
)
from livinglab.extensions import db
from livinglab.filters import QueryFilters
from livinglab.indicators.models import Aspect, Domain, Indicator, short_indicator_name
from livinglab.pieces.models import Piece
from livinglab.regencies.models import Province, Regency
from livinglab.rules import stale_after


@dataclass
class CommitmentFilters(QueryFilters):
    """The filters shared by the public list, the dashboard and the exports."""

    province: str = ""
    regency: str = ""
    indicator: str = ""
    domain: str = ""
    status: str = ""
    due_from: str = ""
    due_to: str = ""
    source: str = ""
    outcome: str = ""  # met, improved, unchanged, fell, or "none" (not judged yet)
    started: str = ""  # the year the commitment started (its cohort)

OUTCOME_CHOICES = (*(o.value for o in Outcome), "none")


def overdue(today: date) -> ColumnElement[bool]:
    return and_(Commitment.status.in_(OPEN_STATUSES), Commitment.due_on < today)


def stale(today: date) -> ColumnElement[bool]:
    return and_(Commitment.status.in_(ACTIVE_STATUSES),
                func.coalesce(Commitment.last_update_on, Commitment.starts_on) < today - stale_after())


def late_milestone(today: date) -> ColumnElement[bool]:
    late = select(Milestone.id).where(Milestone.commitment_id == Commitment.id, Milestone.done_on.is_(None),
                                      Milestone.due_on < today)
    return and_(Commitment.status.in_(OPEN_STATUSES), exists(late))


def at_risk(today: date) -> ColumnElement[bool]:
    """Marked at risk, or a late milestone, or no update for STALE_AFTER_DAYS (the rule shown to users)."""
    return or_(Commitment.status == CommitmentStatus.AT_RISK, late_milestone(today), stale(today))


def counted() -> ColumnElement[bool]:
    """Commitments that count in outcome figures: not withdrawn, and not recorded after the fact."""
    return and_(Commitment.status != CommitmentStatus.WITHDRAWN, Commitment.is_recorded_after.is_(False))


def _outcome(value: str) -> ColumnElement[bool]:
    """A judged outcome, or "none": counted and not judged yet (a withdrawn commitment awaits no judgement)."""
    return and_(counted(), Commitment.outcome.is_(None) if value == "none" else Commitment.outcome == Outcome(value))


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _targeting(condition) -> ColumnElement[bool]:
    chosen = select(CommitmentTarget.commitment_id).join(CommitmentTarget.indicator).join(Indicator.aspect)
    return Commitment.id.in_(chosen.where(condition))


def filtered(query: Select, filters: CommitmentFilters, today: date) -> Select:
    """Apply the filters to any query over commitments."""
    if filters.province:
        query = query.where(Commitment.regency_code.in_(
            select(Regency.code).where(Regency.province_code == filters.province)))
    if filters.regency:
        query = query.where(Commitment.regency_code == filters.regency)
    if filters.indicator:
        query = query.where(_targeting(func.upper(Indicator.code) == filters.indicator.upper()))
    if filters.domain.isdigit() and len(filters.domain) <= 2:
        domains = select(Domain.id).where(Domain.number == int(filters.domain))
        query = query.where(_targeting(Aspect.domain_id.in_(domains)))
    if filters.status == "overdue":  # the two derived states; "at_risk" alone is the status the regency set
        query = query.where(overdue(today))
    elif filters.status == "risk_any":
        query = query.where(at_risk(today))
    elif filters.status in {s.value for s in CommitmentStatus}:
        query = query.where(Commitment.status == CommitmentStatus(filters.status))
    if due_from := _date(filters.due_from):
        query = query.where(Commitment.due_on >= due_from)
    if due_to := _date(filters.due_to):
        query = query.where(Commitment.due_on <= due_to)
    if filters.source.isdigit() and len(filters.source) < 10:
        query = query.where(Commitment.source_piece_id == int(filters.source))
    if filters.outcome in OUTCOME_CHOICES:
        query = query.where(_outcome(filters.outcome))
    if filters.started.isdigit() and len(filters.started) == 4:
        year = int(filters.started)
        query = query.where(Commitment.starts_on >= date(year, 1, 1), Commitment.starts_on <= date(year, 12, 31))
    return query


def _card_options():
    return (joinedload(Commitment.regency).joinedload(Regency.province),
            selectinload(Commitment.targets).joinedload(CommitmentTarget.indicator),
            selectinload(Commitment.milestones), joinedload(Commitment.source_piece))


def urgency_order(today: date) -> tuple:
    """Overdue first, then at risk, then open before closed, then by due date."""
    return (case((overdue(today), 0), else_=1), case((at_risk(today), 0), else_=1),
            case((Commitment.status.in_(OPEN_STATUSES), 0), else_=1), Commitment.due_on, Commitment.id)


def commitment_list_query(filters: CommitmentFilters, today: date) -> Select:
    """Commitments matching the filters, most urgent first, with what a list row shows."""
    return filtered(select(Commitment), filters, today).options(*_card_options()).order_by(*urgency_order(today))


def commitment_for_page(commitment_id: int) -> Commitment | None:
    query = select(Commitment).where(Commitment.id == commitment_id).options(
        joinedload(Commitment.regency).joinedload(Regency.province), joinedload(Commitment.owner),
        joinedload(Commitment.source_piece),
        selectinload(Commitment.targets).joinedload(CommitmentTarget.indicator).joinedload(Indicator.aspect),
        selectinload(Commitment.milestones),
        selectinload(Commitment.updates).joinedload(ProgressUpdate.author),
        selectinload(Commitment.status_changes).joinedload(StatusChange.actor))
    return db.session.scalars(query).first()


def commitments_by_id(ids: Iterable[int]) -> dict[int, Commitment]:
    """Commitments by id (for notifications, which ask whether their reader may still see them)."""
    query = select(Commitment).where(Commitment.id.in_(sorted(set(ids))))
    return {commitment.id: commitment for commitment in db.session.scalars(query)}


def status_totals(filters: CommitmentFilters, today: date) -> dict[str, int]:
    """Count per stored status, plus the derived overdue and at-risk counts, in two queries."""
    by_status = filtered(select(Commitment.status, func.count()).group_by(Commitment.status), filters, today)
    totals = {status.value: 0 for status in CommitmentStatus}
    totals.update({status.value: count for status, count in db.session.execute(by_status)})
    derived = filtered(select(func.count(case((overdue(today), 1))), func.count(case((at_risk(today), 1))),
                              func.count()).select_from(Commitment), filters, today)
    totals["overdue"], totals["at_risk_any"], totals["all"] = db.session.execute(derived).one()
    # Outcome counts leave out withdrawn commitments and those recorded after the fact.
    judged = filtered(select(Commitment.outcome, func.count()).where(counted()).group_by(Commitment.outcome),
                      filters, today)
    totals.update({f"outcome_{value}": 0 for value in OUTCOME_CHOICES})
    totals.update({f"outcome_{outcome.value if outcome else 'none'}": count
                   for outcome, count in db.session.execute(judged)})
    return totals


@dataclass
class ProgressRow:
    """One bar of a progress chart: a label, how many commitments, their mean percent and how many succeeded."""

    key: str
    label: str
    commitments: int
    mean_percent: float
    achieved: int
    label_en: str = ""

    def label_in(self, language: str) -> str:
        return self.label_en if language == "en" and self.label_en else self.label


_SUCCEEDED = (CommitmentStatus.ACHIEVED, CommitmentStatus.VERIFIED)


def progress_by_indicator(filters: CommitmentFilters, today: date, limit: int = 15) -> list[ProgressRow]:
    """The most committed indicators, with the mean percent of their commitments."""
    query = (select(Indicator.code, Indicator.name_id, Indicator.name_en, func.count(Commitment.id),
                    func.avg(Commitment.percent), func.count(case((Commitment.status.in_(_SUCCEEDED), 1))))
             .select_from(Commitment).join(CommitmentTarget, CommitmentTarget.commitment_id == Commitment.id)
             .join(Indicator, Indicator.id == CommitmentTarget.indicator_id)
             .where(Commitment.status != CommitmentStatus.WITHDRAWN)
             .group_by(Indicator.id, Indicator.code, Indicator.name_id, Indicator.name_en)
             .order_by(func.count(Commitment.id).desc(), Indicator.code).limit(limit))
    rows = db.session.execute(filtered(query, filters, today))
    return [ProgressRow(code, f"{code} {short_indicator_name(name_id)}", n, float(mean or 0), done, f"{code} {name_en}")
            for code, name_id, name_en, n, mean, done in rows]


def progress_by_province(filters: CommitmentFilters, today: date) -> list[ProgressRow]:
    query = (select(Province.code, Province.name, func.count(Commitment.id), func.avg(Commitment.percent),
                    func.count(case((Commitment.status.in_(_SUCCEEDED), 1))))
             .select_from(Commitment).join(Regency, Regency.code == Commitment.regency_code)
             .join(Province, Province.code == Regency.province_code)
             .where(Commitment.status != CommitmentStatus.WITHDRAWN)
             .group_by(Province.code, Province.name).order_by(Province.name))
    rows = db.session.execute(filtered(query, filters, today))
    return [ProgressRow(code, name, n, float(mean or 0), done) for code, name, n, mean, done in rows]


def stale_query(filters: CommitmentFilters, today: date) -> Select:
    """Commitments under way with no progress update for STALE_AFTER_DAYS, the longest silence first."""
    return (filtered(select(Commitment), filters, today).where(stale(today)).options(*_card_options())
            .order_by(func.coalesce(Commitment.last_update_on, Commitment.starts_on), Commitment.id))


def replications(piece_id: int) -> list[Commitment]:
    """Commitments replicating a piece (withdrawn ones included, so the history stays honest)."""
    query = (select(Commitment).where(Commitment.source_piece_id == piece_id)
             .options(joinedload(Commitment.regency), selectinload(Commitment.milestones))
             .order_by(Commitment.created_at))
    return list(db.session.scalars(query))


def for_regency(regency_code: str) -> list[Commitment]:
    query = (select(Commitment).where(Commitment.regency_code == regency_code).options(*_card_options())
             .order_by(case((Commitment.status.in_(OPEN_STATUSES), 0), else_=1), Commitment.due_on))
    return list(db.session.scalars(query))


def owned_by(user_id: int, limit: int = 10) -> list[Commitment]:
    """The commitments a person answers for (withdrawn ones left out), open ones first."""
    query = (select(Commitment).where(Commitment.owner_id == user_id, Commitment.status != CommitmentStatus.WITHDRAWN)
             .options(*_card_options())
             .order_by(case((Commitment.status.in_(OPEN_STATUSES), 0), else_=1), Commitment.due_on).limit(limit))
    return list(db.session.scalars(query))


def for_indicator(indicator_id: int) -> list[tuple[Commitment, CommitmentTarget]]:
    """Who committed to raise this indicator, with their baseline and target."""
    query = (select(Commitment, CommitmentTarget).join(CommitmentTarget.commitment)
             .where(CommitmentTarget.indicator_id == indicator_id)
             .options(joinedload(Commitment.regency), selectinload(Commitment.milestones))
             .order_by(case((Commitment.status.in_(OPEN_STATUSES), 0), else_=1), Commitment.due_on))
    return [(commitment, target) for commitment, target in db.session.execute(query)]


def regencies_with_commitments() -> list[tuple[str, str]]:
    query = (select(Regency.code, Regency.name).where(Regency.code.in_(select(Commitment.regency_code)))
             .order_by(Regency.name))
    return [tuple(row) for row in db.session.execute(query)]


def start_years() -> list[int]:
    """The years commitments started in (the cohorts), newest first."""
    query = select(func.distinct(extract("year", Commitment.starts_on))).order_by(
        extract("year", Commitment.starts_on).desc())
    return [int(year) for year in db.session.scalars(query)]


def replicated_pieces() -> list[tuple[int, str]]:
    """Pieces that at least one commitment replicates, for the source filter."""
    query = (select(Piece.id, Piece.title).where(Piece.id.in_(select(Commitment.source_piece_id)))
             .order_by(Piece.title))
    return [tuple(row) for row in db.session.execute(query)]


def export_rows(filters: CommitmentFilters, today: date) -> list[tuple]:
    """The filtered list as plain rows for exports, most urgent first: two queries, no ORM objects.

    Each row: id, title, regency, province, status, overdue, at risk, start, due, percent, last update,
    targets (code, baseline, target), source title, owner name.
    """
    source, owner = aliased(Piece), aliased(User)
    query = (select(Commitment.id, Commitment.title, Regency.name, Province.name, Commitment.status,
                    case((overdue(today), True), else_=False), case((at_risk(today), True), else_=False),
                    Commitment.starts_on, Commitment.due_on, Commitment.percent, Commitment.last_update_on,
                    source.title, owner.name)
             .join(Regency, Regency.code == Commitment.regency_code)
             .join(Province, Province.code == Regency.province_code)
             .outerjoin(source, source.id == Commitment.source_piece_id)
             .outerjoin(owner, owner.id == Commitment.owner_id)
             .order_by(*urgency_order(today)))
    rows = db.session.execute(filtered(query, filters, today)).all()
    targets: dict[int, list[tuple[str, int, int]]] = {}
    chosen = filtered(select(Commitment.id), filters, today)
    target_query = (select(CommitmentTarget.commitment_id, Indicator.code, CommitmentTarget.baseline_level,
                           CommitmentTarget.target_level).join(Indicator, Indicator.id == CommitmentTarget.indicator_id)
                    .where(CommitmentTarget.commitment_id.in_(chosen)).order_by(CommitmentTarget.id))
    for commitment_id, code, baseline, target in db.session.execute(target_query):
        targets.setdefault(commitment_id, []).append((code, baseline, target))
    return [(*row[:11], targets.get(row[0], []), *row[11:]) for row in rows]
