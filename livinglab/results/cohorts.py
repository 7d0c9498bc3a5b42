"""Cohorts: the commitments started in one year, and how many were met, improved, unchanged, fell or are not
judged yet, in total, per indicator and per regency.

Withdrawn commitments are counted apart (they await no judgement); commitments recorded after the fact are
left out. A commitment with several indicators counts once under each of them, with its overall outcome.
Each grouping is one query, whatever the number of commitments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, extract, func, select

from livinglab.commitments.models import Commitment, CommitmentStatus, CommitmentTarget, Outcome
from livinglab.extensions import db
from livinglab.indicators.models import Indicator
from livinglab.regencies.models import Regency

COLUMNS = ("met", "improved", "unchanged", "fell", "not_judged", "withdrawn")
CSV_HEADER = ["cohort_year", "group", "key", "label", *COLUMNS]


@dataclass
class CohortRow:
    """One line of the cohort table: the totals, an indicator or a regency."""

    group: str  # "total", "indicator" or "regency"
    key: str
    label: str
    label_en: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    def label_in(self, language: str) -> str:
        return self.label_en if language == "en" and self.label_en else self.label

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Cohort:
    year: int
    total: CohortRow
    indicators: list[CohortRow]
    regencies: list[CohortRow]
    recorded_after: int


def _in_cohort(year: int) -> ColumnElement[bool]:
    return and_(Commitment.starts_on >= date(year, 1, 1), Commitment.starts_on <= date(year, 12, 31))


def cohort_years() -> list[int]:
    """Years in which counted commitments started, newest first."""
    started = extract("year", Commitment.starts_on)
    query = (select(func.distinct(started)).where(Commitment.is_recorded_after.is_(False))
             .order_by(started.desc()))
    return [int(year) for year in db.session.scalars(query)]


def default_cohort(years: list[int]) -> int | None:
    """The latest cohort with a judged commitment, else the latest cohort."""
    started = extract("year", Commitment.starts_on)
    judged = db.session.scalar(select(func.max(started)).where(
        Commitment.outcome.is_not(None), Commitment.status != CommitmentStatus.WITHDRAWN,
        Commitment.is_recorded_after.is_(False)))
    return int(judged) if judged is not None else (years[0] if years else None)


def _column(is_withdrawn: bool, outcome: Outcome | None) -> str:
    if is_withdrawn:
        return "withdrawn"
    return outcome.value if outcome else "not_judged"


def _counted(year: int, *keys) -> object:
    """Counts of the cohort's commitments grouped by `keys`, withdrawn or not, and outcome."""
    withdrawn = Commitment.status == CommitmentStatus.WITHDRAWN
    return (select(*keys, withdrawn, Commitment.outcome, func.count(func.distinct(Commitment.id)))
            .select_from(Commitment).where(_in_cohort(year), Commitment.is_recorded_after.is_(False))
            .group_by(*keys, withdrawn, Commitment.outcome))


def cohort(year: int) -> Cohort:
    """The cohort of `year`: totals, then indicators and regencies in code and name order."""
    total = CohortRow("total", "all", "")
    for is_withdrawn, outcome, count in db.session.execute(_counted(year)):
        total.counts[_column(bool(is_withdrawn), outcome)] += count
    indicators: dict[str, CohortRow] = {}
    by_indicator = (_counted(year, Indicator.code, Indicator.name_id, Indicator.name_en)
                    .join(CommitmentTarget, CommitmentTarget.commitment_id == Commitment.id)
                    .join(Indicator, Indicator.id == CommitmentTarget.indicator_id))
    for code, name_id, name_en, is_withdrawn, outcome, count in db.session.execute(by_indicator):
        row = indicators.setdefault(code, CohortRow("indicator", code, f"{code} {name_id}", f"{code} {name_en}"))
        row.counts[_column(bool(is_withdrawn), outcome)] += count
    regencies: dict[str, CohortRow] = {}
    by_regency = _counted(year, Regency.code, Regency.name).join(Regency, Regency.code == Commitment.regency_code)
    for code, name, is_withdrawn, outcome, count in db.session.execute(by_regency):
        row = regencies.setdefault(code, CohortRow("regency", code, name))
        row.counts[_column(bool(is_withdrawn), outcome)] += count
    recorded_after = db.session.scalar(select(func.count()).select_from(Commitment)
                                       .where(_in_cohort(year), Commitment.is_recorded_after.is_(True)))
    return Cohort(year, total, sorted(indicators.values(), key=lambda r: r.key),
                  sorted(regencies.values(), key=lambda r: r.label), recorded_after or 0)


def csv_rows(found: Cohort, language: str) -> list[list]:
    """The cohort as CSV rows under `CSV_HEADER`, labels in the reader's language."""
    return [[found.year, row.group, row.key, row.label_in(language), *(row.counts[c] for c in COLUMNS)]
            for row in (found.total, *found.indicators, *found.regencies)]
