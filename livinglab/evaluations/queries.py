"""Reads of official results: a regency's history and latest levels, an indicator's spread and risers.

Every function runs a fixed number of queries, whatever the number of regencies, years or indicators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from livinglab.evaluations.models import Evaluation, EvaluationScore
from livinglab.extensions import db
from livinglab.indicators.models import Aspect, Indicator
from livinglab.regencies.models import Regency


def history(regency_code: str) -> list[Evaluation]:
    """The regency's evaluations, oldest first, with their framework."""
    query = (select(Evaluation).where(Evaluation.regency_code == regency_code)
             .options(joinedload(Evaluation.framework)).order_by(Evaluation.year, Evaluation.id))
    return list(db.session.scalars(query))


def latest_evaluation(regency_code: str) -> Evaluation | None:
    """The newest evaluation, with every score's indicator, aspect and domain."""
    query = (select(Evaluation).where(Evaluation.regency_code == regency_code)
             .options(joinedload(Evaluation.framework),
                      selectinload(Evaluation.scores).joinedload(EvaluationScore.indicator)
                      .joinedload(Indicator.aspect).joinedload(Aspect.domain))
             .order_by(Evaluation.year.desc(), Evaluation.id.desc()).limit(1))
    return db.session.scalars(query).first()


def latest_levels(regency_code: str) -> dict[int, tuple[int, int]]:
    """indicator id → (level, year) from the regency's newest evaluation of each indicator."""
    query = (select(EvaluationScore.indicator_id, EvaluationScore.level, Evaluation.year)
             .join(EvaluationScore.evaluation).where(Evaluation.regency_code == regency_code)
             .order_by(Evaluation.year))
    return {indicator_id: (level, year) for indicator_id, level, year in db.session.execute(query)}


@dataclass
class Breakdown:
    """A group of indicators (a domain or an aspect) in one evaluation: its weighted mean level."""

    label_id: str
    label_en: str
    number: int
    mean: float
    count: int


def breakdown(evaluation: Evaluation, by: str) -> list[Breakdown]:
    """Weighted mean level per domain ("domain") or per aspect ("aspect") of an evaluation."""
    groups: dict[object, list[EvaluationScore]] = defaultdict(list)
    for score in evaluation.scores:
        group = score.indicator.aspect.domain if by == "domain" else score.indicator.aspect
        if group is not None:
            groups[group].append(score)
    result = []
    for group, scores in groups.items():
        weight = sum(float(s.indicator.weight_percent) for s in scores)
        mean = sum(float(s.indicator.weight_percent) * s.level for s in scores) / weight if weight else 0.0
        result.append(Breakdown(group.name_id, group.name_en, group.number, round(mean, 2), len(scores)))
    return sorted(result, key=lambda b: b.number)


def distribution(indicator_id: int) -> dict[int, dict[int, int]]:
    """year → level → number of regencies, for one indicator."""
    query = (select(Evaluation.year, EvaluationScore.level, func.count())
             .join(EvaluationScore.evaluation).where(EvaluationScore.indicator_id == indicator_id)
             .group_by(Evaluation.year, EvaluationScore.level).order_by(Evaluation.year))
    result: dict[int, dict[int, int]] = {}
    for year, level, count in db.session.execute(query):
        result.setdefault(year, {n: 0 for n in range(1, 6)})[level] = count
    return result


def levels_by_regency(indicator_id: int) -> dict[str, dict[int, int]]:
    """regency code → year → level, for one indicator."""
    query = (select(Evaluation.regency_code, Evaluation.year, EvaluationScore.level)
             .join(EvaluationScore.evaluation).where(EvaluationScore.indicator_id == indicator_id))
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for code, year, level in db.session.execute(query):
        result[code][year] = level
    return result


@dataclass
class Riser:
    regency: Regency
    from_year: int
    from_level: int
    to_year: int
    to_level: int

    @property
    def rise(self) -> int:
        return self.to_level - self.from_level


def risers(indicator_id: int, limit: int = 10) -> list[Riser]:
    """Regencies whose level on this indicator rose the most, from their first to their last evaluation."""
    found = []
    for code, years in levels_by_regency(indicator_id).items():
        first, last = min(years), max(years)
        if last > first and years[last] > years[first]:
            found.append((code, first, years[first], last, years[last]))
    found.sort(key=lambda r: (-(r[4] - r[2]), r[0]))
    found = found[:limit]
    regencies = {r.code: r for r in db.session.scalars(select(Regency).where(Regency.code.in_([f[0] for f in found])))}
    return [Riser(regencies[code], *rest) for code, *rest in found]


def strong_regencies(indicator_ids: list[int], min_level: int = 4) -> dict[int, set[str]]:
    """indicator id → regencies whose latest level on it is at least `min_level`."""
    latest = (select(Evaluation.regency_code, EvaluationScore.indicator_id, func.max(Evaluation.year).label("year"))
              .join(EvaluationScore.evaluation).where(EvaluationScore.indicator_id.in_(indicator_ids))
              .group_by(Evaluation.regency_code, EvaluationScore.indicator_id).subquery())
    query = (select(EvaluationScore.indicator_id, Evaluation.regency_code).join(EvaluationScore.evaluation)
             .join(latest, (latest.c.regency_code == Evaluation.regency_code)
                   & (latest.c.indicator_id == EvaluationScore.indicator_id) & (latest.c.year == Evaluation.year))
             .where(EvaluationScore.level >= min_level))
    result: dict[int, set[str]] = defaultdict(set)
    for indicator_id, code in db.session.execute(query):
        result[indicator_id].add(code)
    return result


def level_on(regency_code: str, year: int, indicator_ids: list[int]) -> dict[int, int]:
    """The levels one regency received in one year, for some indicators."""
    query = (select(EvaluationScore.indicator_id, EvaluationScore.level).join(EvaluationScore.evaluation)
             .where(Evaluation.regency_code == regency_code, Evaluation.year == year,
                    EvaluationScore.indicator_id.in_(indicator_ids)))
    return dict(db.session.execute(query).all())
