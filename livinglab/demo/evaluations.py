"""Synthetic SPBE results for the demo member regencies, the five years up to last year, plainly labelled
synthetic.

Levels follow a seeded random walk per regency and indicator, so every load gives the same numbers, bent
to agree with the demo stories loaded before them (`stories`):
- a demo commitment's baseline is the level of the last year evaluated before it started (what the lab
  prefills from the latest official score), so that the years it runs, and its due year, can show change;
- while it runs, a commitment that is moving (in progress, achieved, verified) stands one level above its
  baseline (never above its target); one that is planned, at risk or missed stays at its baseline;
- a commitment due last year with `demo_observed` gets that level in its due year, so its judged outcome
  tells the story the demo intends;
- a case-study piece's levels before and after are the levels in the years its period starts and ends.
Around those fixed levels the walk keeps to the story: between two fixed levels it lies in between them,
and before the first or after the last it moves at most one level a year towards or away from it.
"""

import random
import tomllib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from livinglab.clock import lab_today
from livinglab.commitments.models import Commitment, CommitmentStatus
from livinglab.commitments.services import reread_baselines
from livinglab.demo.data import DEMO_MEMBERS
from livinglab.evaluations.checks import ScoreRow
from livinglab.evaluations.models import Evaluation
from livinglab.extensions import db
from livinglab.indicators.models import Framework
from livinglab.indicators.queries import Crosswalk, framework_by_code, framework_for_year, load_crosswalk
from livinglab.pieces.models import Piece, PieceKind
from livinglab.regencies.models import Regency
from livinglab.results.services import import_results


def evaluated_years() -> range:
    """The five years up to last year: the latest results a lab would have today."""
    last = lab_today().year - 1
    return range(last - 4, last + 1)

SOURCE = "Data sintetis untuk demo Livinglab, bukan hasil evaluasi resmi"
LIFT = {"3211": 0.4}  # Sumedang, the demo's showcase regency, scores among the highest

Stories = dict[tuple[str, str], dict[int, int]]  # (regency, indicator code) → year → level


MOVING = (CommitmentStatus.IN_PROGRESS, CommitmentStatus.ACHIEVED, CommitmentStatus.VERIFIED)


def baseline_year(commitment: Commitment) -> int:
    """The evaluated year whose level a demo commitment's baseline is: the last one before it started."""
    return min(commitment.starts_on.year - 1, evaluated_years()[-1])


def stories(commitments_path: Path, codes: dict[int, str]) -> Stories:
    """The levels the demo commitments and case studies already in the database tell, for the indicators
    in `codes` (indicator id → code). Case studies come first, so a commitment's own numbers win."""
    fixed: Stories = {}
    case_studies = select(Piece).where(Piece.is_demo, Piece.kind == PieceKind.CASE_STUDY).order_by(Piece.id)
    for piece in db.session.scalars(case_studies.options(selectinload(Piece.targets))):
        if not (piece.period_start_on and piece.period_end_on):
            continue
        for target in piece.targets:
            if target.indicator_id in codes and target.level_before and target.level_after:
                levels = fixed.setdefault((piece.regency_code, codes[target.indicator_id]), {})
                levels[piece.period_start_on.year] = target.level_before
                levels[piece.period_end_on.year] = target.level_after
    observed = {(item["regency"], item["title"]): item["demo_observed"]
                for item in tomllib.loads(commitments_path.read_text(encoding="utf-8"))["commitment"]
                if item.get("demo_observed")}
    commitments = select(Commitment).where(Commitment.is_demo).order_by(Commitment.id)
    for commitment in db.session.scalars(commitments.options(selectinload(Commitment.targets))):
        seen = observed.get((commitment.regency_code, commitment.title), {})
        for target in commitment.targets:
            if target.indicator_id not in codes:
                continue
            code = codes[target.indicator_id]
            levels = fixed.setdefault((commitment.regency_code, code), {})
            first = baseline_year(commitment)
            levels[first] = target.baseline_level
            running = min(target.target_level, target.baseline_level + 1) if commitment.status in MOVING \
                else target.baseline_level
            for year in range(first + 1, commitment.due_on.year):
                levels[year] = running
            if code in seen:
                levels[commitment.due_on.year] = seen[code]
    covered = evaluated_years()
    return {key: {y: level for y, level in years.items() if y in covered} for key, years in fixed.items()}


def _keep_to_story(walk: dict[int, int], fixed: dict[int, int]) -> dict[int, int]:
    """The walk with the fixed levels; every other year lies between the fixed levels around it, and moves
    at most one level a year away from the first or the last of them."""
    levels = {}
    for year, level in walk.items():
        before = max((y for y in fixed if y < year), default=None)
        after = min((y for y in fixed if y > year), default=None)
        if year in fixed or (before is None and after is None):
            levels[year] = fixed.get(year, level)
            continue
        if before is None:
            low, high = fixed[after] - (after - year), fixed[after]
        elif after is None:
            low, high = fixed[before], fixed[before] + (year - before)
        else:
            low, high = sorted((fixed[before], fixed[after]))
        levels[year] = min(max(level, low, 1), high, 5)
    return levels


def synthetic_rows(commitments_path: Path) -> list[ScoreRow]:
    framework = framework_by_code("spbe-2020")
    codes = [i.code for i in framework.indicators]
    names = {r.code: r.name for r in db.session.query(Regency).filter(Regency.code.in_([c for c, _ in DEMO_MEMBERS]))}
    fixed = stories(commitments_path, {i.id: i.code for i in framework.indicators})
    rng = random.Random(59_2020)  # nosec B311  # seeded: repeatable synthetic scores, no secret
    years = evaluated_years()
    crosswalk = load_crosswalk()
    rows = []
    for regency_code, _cohort in sorted(DEMO_MEMBERS):
        start, growth = rng.uniform(1.5, 3.4) + LIFT.get(regency_code, 0), rng.uniform(0.05, 0.4)
        offsets = {code: rng.gauss(0, 0.7) for code in codes}
        walks: dict[str, dict[int, int]] = {code: {} for code in codes}
        for year in years:
            for code in codes:
                value = start + growth * (year - years[0]) + offsets[code] + rng.gauss(0, 0.25)
                walks[code][year] = min(5, max(1, round(value)))
        for code, walk in walks.items():
            walks[code] = _keep_to_story(walk, fixed.get((regency_code, code), {}))
        for year in years:
            levels = {code: walks[code][year] for code in codes}
            in_force = framework_for_year(year) or framework
            if in_force != framework:
                levels = _through_crosswalk(levels, framework, in_force, crosswalk)
            rows.append(ScoreRow(0, regency_code, names[regency_code], in_force.code, year, levels, None))
    return rows


def _through_crosswalk(
    levels: dict[str, int], source: Framework, target: Framework, crosswalk: Crosswalk
) -> dict[str, int]:
    """SPBE 2020 levels carried into a later framework: each of its indicators gets the lowest level of its
    SPBE 2020 counterparts, so the demo stories keep their outcomes when judged through the crosswalk."""
    by_id = {i.id: levels[i.code] for i in source.indicators}
    return {i.code: min((by_id[c] for c in crosswalk.counterparts(i.id, source.id)), default=2)
            for i in target.indicators}


def _not_stored(rows: list[ScoreRow]) -> list[ScoreRow]:
    """The rows for a regency, framework and year with no results stored yet: the demo never overwrites results."""
    stored = set(db.session.execute(select(Evaluation.regency_code, Framework.code, Evaluation.year)
                                    .join(Framework, Framework.id == Evaluation.framework_id)).all())
    return [row for row in rows if (row.regency_code, row.framework_code, row.year) not in stored]


def load_demo_evaluations(commitments_path: Path) -> int:
    """Store the synthetic results not there yet and judge the demo commitments; returns evaluations stored.

    Run after the demo pieces and commitments: their stories decide some of the levels."""
    done = import_results(_not_stored(synthetic_rows(commitments_path)), None, SOURCE, synthetic=True)
    for commitment in db.session.scalars(select(Commitment).where(Commitment.is_demo)):
        reread_baselines(commitment)
    db.session.flush()
    return len(done.stored)
