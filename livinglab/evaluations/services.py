"""Importing official results: read a sheet, check every row, preview, then apply it all at once.

The sheet has one row per regency and year: `regency_code, year, framework, index` (the published
index, optional) and one column per indicator code holding its level (1–5). Re-importing the same
sheet changes nothing.
"""

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import insert, select, update
from sqlalchemy.orm import selectinload

from livinglab.evaluations.arithmetic import predicate, weighted_index
from livinglab.evaluations.checks import Problem, RowChecker, ScoreRow
from livinglab.evaluations.models import Evaluation, EvaluationScore, ResultImport
from livinglab.extensions import db
from livinglab.indicators.models import Framework, Indicator
from livinglab.regencies.models import Regency
from livinglab.sheets import SheetError, cell_text, read_table

BASE_COLUMNS = ("regency_code", "year", "framework")
OPTIONAL_COLUMNS = ("index",)
MAX_ROWS = 5000


@dataclass
class Checked:
    rows: list[ScoreRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, change: str) -> int:
        return sum(1 for row in self.rows if row.change == change)


def _frameworks() -> dict[str, Framework]:
    query = select(Framework).options(selectinload(Framework.indicators), selectinload(Framework.bands))
    return {f.code: f for f in db.session.scalars(query)}


def read_sheet(filename: str, content: bytes, current_year: int) -> Checked:
    """Every row checked against regencies, frameworks, indicators, levels, years and duplicates."""
    numbered = read_table(filename, content, MAX_ROWS)
    table = [row for _line, row in numbered]
    header = [cell_text(v) for v in table[0]]
    lower = [h.lower() for h in header]
    repeated = sorted({h for h in (x.upper() for x in header if x) if [y.upper() for y in header].count(h) > 1})
    if repeated:
        raise SheetError(_("Columns named twice: %(columns)s.", columns=", ".join(repeated)))
    missing = [name for name in BASE_COLUMNS if name not in lower]
    if missing:
        raise SheetError(_("Missing columns: %(columns)s. The first row must name regency_code, year, "
                               "framework, index (optional) and one column per indicator code.",
                               columns=", ".join(missing)))
    if len(table) == 1:
        raise SheetError(_("The file has a header row but no data rows."))
    frameworks = _frameworks()
    known_codes = {i.code.upper() for f in frameworks.values() for i in f.indicators}
    indicator_columns = {h.upper(): number for number, h in enumerate(header)
                         if h.lower() not in BASE_COLUMNS + OPTIONAL_COLUMNS and h}
    unknown = sorted(code for code in indicator_columns if code not in known_codes)
    if unknown:
        raise SheetError(_("Unknown columns: %(columns)s.", columns=", ".join(unknown)))
    regencies = dict(db.session.execute(select(Regency.code, Regency.name)).all())
    position = {name: lower.index(name) for name in BASE_COLUMNS + OPTIONAL_COLUMNS if name in lower}
    checker = RowChecker(frameworks, regencies, current_year, position, indicator_columns)
    checked, seen = Checked(), {}
    for line, row in numbered[1:]:
        found = checker.check(line, row + [None] * (len(header) - len(row)))
        if isinstance(found, list):
            checked.problems += found
            continue
        key = (found.regency_code, found.framework_code, found.year)
        if key in seen:
            checked.problems.append(Problem(line, "regency_code", _(
                "Duplicate: row %(line)d already has %(regency)s for %(year)d.", line=seen[key],
                regency=found.regency_code, year=found.year)))
            continue
        seen[key] = line
        checked.rows.append(found)
    if not checked.problems:
        _compare(checked.rows, frameworks)
    return checked


@dataclass
class Stored:
    """What is stored for one regency, framework and year, read as plain values."""

    evaluation_id: int
    published_index: Decimal | None
    is_synthetic: bool
    scores: dict[str, tuple[int, int]] = field(default_factory=dict)  # indicator code → (score id, level)


def _stored(rows: list[ScoreRow]) -> dict[tuple[str, str, int], Stored]:
    """The stored results the rows correspond to, in one query without building ORM objects."""
    if not rows:
        return {}
    query = (select(Evaluation.id, Evaluation.regency_code, Framework.code, Evaluation.year, Evaluation.published_index,
                    Evaluation.is_synthetic, EvaluationScore.id, Indicator.code, EvaluationScore.level)
             .join(Framework, Framework.id == Evaluation.framework_id)
             .outerjoin(EvaluationScore, EvaluationScore.evaluation_id == Evaluation.id)
             .outerjoin(Indicator, Indicator.id == EvaluationScore.indicator_id)
             .where(Evaluation.regency_code.in_({r.regency_code for r in rows}),
                    Evaluation.year.in_({r.year for r in rows})))
    stored: dict[tuple[str, str, int], Stored] = {}
    for evaluation_id, regency, framework, year, published, synthetic, score_id, code, level in db.session.execute(
        query
    ):
        entry = stored.setdefault((regency, framework, year), Stored(evaluation_id, published, synthetic))
        if score_id is not None:
            entry.scores[code.upper()] = (score_id, level)
    return stored


def _compare(rows: list[ScoreRow], frameworks: dict[str, Framework],
             synthetic: bool = False) -> dict[tuple[str, str, int], Stored]:
    """Compute each row's index and predicate and mark it new, changed or unchanged; returns what is stored.

    Official rows replacing synthetic ones count as changed even when the levels are the same."""
    existing = _stored(rows)
    for row in rows:
        framework = frameworks[row.framework_code]
        ids = {i.code.upper(): i.id for i in framework.indicators}
        levels = {ids[c]: level for c, level in row.levels.items()}
        index = weighted_index(levels, framework.indicators)
        band = predicate(shown_index(index, row.published_index), framework)
        row.computed_index, row.predicate = str(index), band.name_id if band else ""
        old = existing.get((row.regency_code, row.framework_code, row.year))
        if old is None:
            continue
        row.changed_levels = sum(1 for c, level in row.levels.items() if old.scores.get(c, (None, None))[1] != level)
        published = Decimal(row.published_index) if row.published_index else None
        same_index = (old.published_index is None) == (published is None) and (
            published is None or Decimal(str(old.published_index)) == published)
        same = row.changed_levels == 0 and same_index and old.is_synthetic == synthetic
        row.change = "unchanged" if same else "changed"
    return existing


def apply_rows(rows: list[ScoreRow], result_import: ResultImport) -> list[Evaluation]:
    """Store new and changed rows as part of an import (the caller commits once: all or nothing); returns what
    was stored. Each stored evaluation names the import that stored or corrected it."""
    source, synthetic = result_import.source, result_import.is_synthetic
    frameworks = _frameworks()
    existing = _compare(rows, frameworks, synthetic)
    stored, new_scores, changed_scores = [], [], []
    for row in (r for r in rows if r.change != "unchanged"):
        framework = frameworks[row.framework_code]
        band = next((b for b in framework.bands if b.name_id == row.predicate), None)
        values = {"published_index": Decimal(row.published_index) if row.published_index else None,
                  "computed_index": Decimal(row.computed_index), "predicate_id": band.name_id if band else "",
                  "predicate_en": band.name_en if band else "", "source": source[:300], "is_synthetic": synthetic,
                  "import_id": result_import.id}
        old = existing.get((row.regency_code, row.framework_code, row.year))
        if old is None:
            evaluation = Evaluation(regency_code=row.regency_code, framework_id=framework.id, year=row.year, **values)
            db.session.add(evaluation)
        else:
            evaluation = db.session.get(Evaluation, old.evaluation_id)
            for name, value in values.items():
                setattr(evaluation, name, value)
            changed_scores += [{"id": old.scores[code][0], "level": level} for code, level in row.levels.items()
                               if code in old.scores and old.scores[code][1] != level]
        stored.append((evaluation, row, framework, old))
    db.session.flush()
    for evaluation, row, framework, old in stored:
        ids = {i.code.upper(): i.id for i in framework.indicators}
        known = old.scores if old else {}
        new_scores += [{"evaluation_id": evaluation.id, "indicator_id": ids[code], "level": level}
                       for code, level in row.levels.items() if code not in known]
    if new_scores:
        db.session.execute(insert(EvaluationScore), new_scores)
    if changed_scores:
        db.session.execute(update(EvaluationScore), changed_scores)
    for evaluation, *_rest in stored:
        db.session.expire(evaluation, ["scores"])
    result_import.added = sum(1 for _e, row, *_rest in stored if row.change == "new")
    result_import.changed = len(stored) - result_import.added
    return [evaluation for evaluation, *_rest in stored]


def shown_index(computed: Decimal, published: str | None) -> Decimal:
    """The index as shown, which decides the predicate: the published value, else the recomputed one, rounded
    to two decimals as KemenPANRB publishes it."""
    value = Decimal(published) if published else Decimal(computed)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def serialise(rows: list[ScoreRow]) -> list[dict]:
    return [asdict(row) for row in rows]


def deserialise(data: list[dict]) -> list[ScoreRow]:
    return [ScoreRow(**item) for item in data]
