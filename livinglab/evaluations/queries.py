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
from livinglab.indicators.queries import Crosswalk, load_crosswalk
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


@dataclass
class Reading:
    """An indicator's level read from one evaluation, directly or through the crosswalk (lowest of the
    counterparts when one indicator maps to several)."""

    level: int
    evaluation: Evaluation
    indicator_ids: list[int]


def read_level(evaluation: Evaluation, indicator_id: int, crosswalk: Crosswalk) -> Reading | None:
    levels = {score.indicator_id: score.level for score in evaluation.scores}
    ids = sorted(crosswalk.counterparts(indicator_id, evaluation.framework_id) & levels.keys())
    return Reading(min(levels[i] for i in ids), evaluation, ids) if ids else None


def evaluation_of_year(regency_code: str, year: int) -> Evaluation | None:
    """The regency's results for a year, in the framework in force that year when it has several."""
    query = (select(Evaluation).where(Evaluation.regency_code == regency_code, Evaluation.year == year)
             .options(selectinload(Evaluation.scores), joinedload(Evaluation.framework)))
    found = list(db.session.scalars(query))
    return max(found, key=lambda e: (not e.framework.is_replaced, e.framework.version), default=None)


def baseline_evaluation(regency_code: str, starts_year: int) -> Evaluation | None:
    """The results of the last year evaluated before the year a commitment starts."""
    year = db.session.scalar(select(func.max(Evaluation.year))
                             .where(Evaluation.regency_code == regency_code, Evaluation.year < starts_year))
    return evaluation_of_year(regency_code, year) if year else None


def official_baselines(regency_code: str, starts_year: int, indicator_ids: list[int]) -> dict[int, Reading]:
    """indicator id → the level of the last year evaluated before the start, read through the crosswalk."""
    evaluation = baseline_evaluation(regency_code, starts_year)
    if evaluation is None:
        return {}
    crosswalk = load_crosswalk()
    readings = {i: read_level(evaluation, i, crosswalk) for i in indicator_ids}
    return {i: reading for i, reading in readings.items() if reading is not None}


def has_results(regency_code: str, year: int) -> bool:
    """Whether any results of that year are stored for the regency."""
    query = select(Evaluation.id).where(Evaluation.regency_code == regency_code, Evaluation.year == year).limit(1)
    return db.session.scalar(query) is not None


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
        result.setdefault(year, dict.fromkeys(range(1, 6), 0))[level] = count
    return result


def provenance_by_year(indicator_id: int) -> dict[int, str]:
    """year → "official_import", "synthetic_demo" or "mixed", for the results holding this indicator."""
    query = (select(Evaluation.year, Evaluation.is_synthetic).join(EvaluationScore.evaluation)
             .where(EvaluationScore.indicator_id == indicator_id).distinct())
    kinds: dict[int, set[str]] = defaultdict(set)
    for year, is_synthetic in db.session.execute(query):
        kinds[year].add("synthetic_demo" if is_synthetic else "official_import")
    return {year: found.pop() if len(found) == 1 else "mixed" for year, found in sorted(kinds.items())}


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


def strong_regencies(indicator_ids: list[int], min_level: int) -> dict[int, set[str]]:
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

