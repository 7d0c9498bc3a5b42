"""Synthetic SPBE results for the demo member regencies, 2021–2025, plainly labelled synthetic.

Levels follow a seeded random walk per regency and indicator, so every load gives the same numbers.
The demo commitments due in 2025 name the level their targets receive (`demo_observed`), and their
baseline level is used for the year before, so their judged outcomes tell a consistent story.
"""

import random
import tomllib
from datetime import timedelta
from pathlib import Path

from livinglab.commitments.models import lab_today
from livinglab.commitments.outcomes import judge
from livinglab.demo.data import DEMO_MEMBERS
from livinglab.evaluations import services as evaluations
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code
from livinglab.regencies.models import Regency

YEARS = range(2021, 2026)
SOURCE = "Data sintetis untuk demo Livinglab, bukan hasil evaluasi resmi"


def _overrides(commitments_path: Path) -> dict[tuple[str, int, str], int]:
    """(regency, year, indicator code) → level, from the demo commitments that carry `demo_observed`."""
    today = lab_today()
    fixed = {}
    for item in tomllib.loads(commitments_path.read_text(encoding="utf-8"))["commitment"]:
        observed = item.get("demo_observed")
        if not observed:
            continue
        year = (today + timedelta(days=item["due_in_days"])).year
        for target in item["targets"]:
            fixed[(item["regency"], year - 1, target["indicator"])] = target["baseline"]
            fixed[(item["regency"], year, target["indicator"])] = observed[target["indicator"]]
    return fixed


def synthetic_rows(commitments_path: Path) -> list[evaluations.ScoreRow]:
    framework = framework_by_code("spbe-2020")
    codes = [i.code for i in framework.indicators]
    names = {r.code: r.name for r in db.session.query(Regency).filter(Regency.code.in_([c for c, _ in DEMO_MEMBERS]))}
    fixed = _overrides(commitments_path)
    rng = random.Random(59_2020)
    rows = []
    for regency_code, _cohort in sorted(DEMO_MEMBERS):
        start, growth = rng.uniform(1.5, 3.4), rng.uniform(0.05, 0.4)
        offsets = {code: rng.gauss(0, 0.7) for code in codes}
        for year in YEARS:
            levels = {}
            for code in codes:
                value = start + growth * (year - YEARS[0]) + offsets[code] + rng.gauss(0, 0.25)
                levels[code] = fixed.get((regency_code, year, code), min(5, max(1, round(value))))
            rows.append(evaluations.ScoreRow(0, regency_code, names[regency_code], framework.code, year, levels, None))
    return rows


def load_demo_evaluations(commitments_path: Path) -> int:
    """Store the synthetic results not there yet and judge the demo commitments; returns evaluations stored."""
    stored = evaluations.apply_rows(synthetic_rows(commitments_path), None, SOURCE, synthetic=True, add_only=True)
    judge(stored)
    db.session.flush()
    return len(stored)
