"""The impact comparison: per indicator, the change in level of committed regencies against the others, within
one framework; and what came of each replicated practice.

A regency counts as committed to an indicator for a comparison from a baseline year when a commitment to raise
it (not withdrawn, not recorded after the fact) started on or before 31 December of the baseline year, so
before that year's evaluation, and was still running after it (due after 31 December of the baseline year).
Years are compared only within one framework: levels of different frameworks do not measure the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import mean

from sqlalchemy import func, select

from livinglab.commitments.models import Commitment, CommitmentStatus, CommitmentTarget, Outcome
from livinglab.evaluations.models import Evaluation, EvaluationScore
from livinglab.extensions import db
from livinglab.indicators.models import Framework, Indicator
from livinglab.pieces.models import Piece


def compared_frameworks() -> list[tuple[Framework, int]]:
    """Frameworks with evaluated years and how many, the most evaluated first (the default of the page)."""
    years = func.count(func.distinct(Evaluation.year))
    query = (select(Framework, years).join(Evaluation, Evaluation.framework_id == Framework.id)
             .group_by(Framework.id).order_by(years.desc(), Framework.first_year.desc()))
    return [(framework, count) for framework, count in db.session.execute(query)]


def evaluation_years(framework: Framework | None) -> list[int]:
    """The years evaluated in one framework, oldest first."""
    if framework is None:
        return []
    query = select(Evaluation.year).where(Evaluation.framework_id == framework.id).distinct().order_by(Evaluation.year)
    return list(db.session.scalars(query))


@dataclass
class Comparison:
    indicator: Indicator
    committed_n: int
    committed_change: float | None
    others_n: int
    others_change: float | None


def committed_pairs(baseline_year: int) -> set[tuple[str, int]]:
    """(regency, indicator) pairs with a counted commitment running across the evaluation of `baseline_year`."""
    year_end = date(baseline_year, 12, 31)
    query = (select(Commitment.regency_code, CommitmentTarget.indicator_id).join(CommitmentTarget.commitment)
             .where(Commitment.status != CommitmentStatus.WITHDRAWN, Commitment.is_recorded_after.is_(False),
                    Commitment.starts_on <= year_end, Commitment.due_on > year_end))
    return {(code, indicator_id) for code, indicator_id in db.session.execute(query)}


def comparisons(first: int, last: int, framework: Framework | None = None) -> list[Comparison]:
    """Per indicator of the framework (by default the most evaluated one): mean level change from `first` to
    `last` for committed and other regencies."""
    if framework is None:
        found = compared_frameworks()
        if not found:
            return []
        framework = found[0][0]
    levels: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)
    query = (select(Evaluation.regency_code, EvaluationScore.indicator_id, Evaluation.year, EvaluationScore.level)
             .join(EvaluationScore.evaluation)
             .where(Evaluation.framework_id == framework.id, Evaluation.year.in_((first, last))))
    for code, indicator_id, year, level in db.session.execute(query):
        levels[(code, indicator_id)][year] = level
    committed = committed_pairs(first)
    changes: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for (code, indicator_id), years in levels.items():
        if first in years and last in years:
            changes[indicator_id][0 if (code, indicator_id) in committed else 1].append(years[last] - years[first])
    result = []
    for indicator in framework.indicators:
        mine, others = changes.get(indicator.id, ([], []))
        result.append(Comparison(indicator, len(mine), mean(mine) if mine else None, len(others),
                                 mean(others) if others else None))
    return result


def has_synthetic(framework: Framework, years: tuple[int, ...]) -> bool:
    """Whether any of these years' results in the framework are synthetic demo results."""
    query = select(Evaluation.id).where(Evaluation.framework_id == framework.id, Evaluation.is_synthetic,
                                        Evaluation.year.in_(years)).limit(1)
    return db.session.scalar(query) is not None


@dataclass
class PracticeResult:
    piece: Piece
    adopters: int
    outcomes: dict[str, int]
    withdrawn: int = 0


def practice_results() -> list[PracticeResult]:
    """Per replicated practice: adopters and how their commitments were judged. Withdrawn adopters are counted
    apart; commitments recorded after the fact are left out."""
    query = (select(Piece, Commitment.status, Commitment.outcome)
             .join(Commitment, Commitment.source_piece_id == Piece.id)
             .where(Commitment.is_recorded_after.is_(False)).order_by(Piece.title))
    results: dict[int, PracticeResult] = {}
    for piece, status, outcome in db.session.execute(query):
        entry = results.setdefault(piece.id, PracticeResult(piece, 0, {o.value: 0 for o in Outcome} | {"none": 0}))
        if status is CommitmentStatus.WITHDRAWN:
            entry.withdrawn += 1
            continue
        entry.adopters += 1
        entry.outcomes[outcome.value if outcome else "none"] += 1
    return sorted((r for r in results.values() if r.adopters or r.withdrawn),
                  key=lambda r: (-r.outcomes["met"], -r.adopters, r.piece.title))
