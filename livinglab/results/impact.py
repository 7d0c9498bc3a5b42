"""What the official scores say: a regency's scorecard, an indicator's spread, and the lab's impact page.

The impact page compares, per indicator, the change in level of regencies that committed to raise it
with that of regencies that did not, over the same two years. It is a comparison, not proof of cause.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import mean

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from livinglab.commitments.models import BaselineSource, Commitment, CommitmentStatus, CommitmentTarget, Outcome
from livinglab.evaluations import queries as scores
from livinglab.evaluations.models import Evaluation, EvaluationScore
from livinglab.extensions import db
from livinglab.indicators.models import Indicator
from livinglab.indicators.queries import default_framework, find_indicator
from livinglab.pieces.models import Piece, PieceIndicator, PieceStatus
from livinglab.sheets import csv_response

bp = Blueprint("impact", __name__)
WEAK_LEVEL = 2  # at or below: the profile looks for regencies that can teach it
STRONG_LEVEL = 4


@dataclass
class IndicatorLine:
    indicator: Indicator
    level: int
    year: int
    self_assessed: int | None = None
    teachers: list[Piece] = field(default_factory=list)


@dataclass
class Scorecard:
    """A regency's official results: history, latest breakdown, indicators weakest first."""

    history: list[Evaluation]
    latest: Evaluation | None
    domains: list[scores.Breakdown]
    aspects: list[scores.Breakdown]
    lines: list[IndicatorLine]


def _published_pieces_from(regencies_by_indicator: dict[int, set[str]], exclude: str) -> dict[int, list[Piece]]:
    """Published pieces aiming at each indicator, written by the given regencies (one query)."""
    wanted = {(i, code) for i, codes in regencies_by_indicator.items() for code in codes if code != exclude}
    if not wanted:
        return {}
    query = (select(PieceIndicator.indicator_id, Piece).join(Piece, Piece.id == PieceIndicator.piece_id)
             .where(Piece.status == PieceStatus.PUBLISHED,
                    PieceIndicator.indicator_id.in_({i for i, _code in wanted}),
                    Piece.regency_code.in_({code for _i, code in wanted}))
             .options(joinedload(Piece.regency)).order_by(Piece.published_at.desc()))
    found: dict[int, list[Piece]] = defaultdict(list)
    for indicator_id, piece in db.session.execute(query):
        if (indicator_id, piece.regency_code) in wanted and len(found[indicator_id]) < 3:
            found[indicator_id].append(piece)
    return found


def regency_scorecard(regency_code: str) -> Scorecard | None:
    history = scores.history(regency_code)
    if not history:
        return None
    latest = scores.latest_evaluation(regency_code)
    self_assessed = dict(db.session.execute(
        select(CommitmentTarget.indicator_id, CommitmentTarget.baseline_level).join(CommitmentTarget.commitment)
        .where(Commitment.regency_code == regency_code, Commitment.status != CommitmentStatus.WITHDRAWN,
               CommitmentTarget.baseline_source == BaselineSource.SELF_ASSESSED)
        .order_by(Commitment.created_at)).all())
    lines = sorted((IndicatorLine(s.indicator, s.level, latest.year, self_assessed.get(s.indicator_id))
                    for s in latest.scores), key=lambda line: (line.level, line.indicator.number))
    weak = [line.indicator.id for line in lines if line.level <= WEAK_LEVEL]
    teachers = _published_pieces_from(scores.strong_regencies(weak, STRONG_LEVEL), regency_code) if weak else {}
    for line in lines:
        line.teachers = teachers.get(line.indicator.id, [])
    return Scorecard(history, latest, scores.breakdown(latest, "domain"), scores.breakdown(latest, "aspect"), lines)


@dataclass
class IndicatorCard:
    distribution: dict[int, dict[int, int]]
    risers: list[scores.Riser]
    practices: dict[str, list[Piece]]


def indicator_scorecard(indicator: Indicator) -> IndicatorCard:
    """Levels per year across regencies, the regencies that rose most, and what they published or replicated."""
    risers = scores.risers(indicator.id)
    codes = {r.regency.code for r in risers}
    practices: dict[str, list[Piece]] = defaultdict(list)
    if codes:
        published = (select(Piece).join(PieceIndicator, PieceIndicator.piece_id == Piece.id)
                     .where(Piece.status == PieceStatus.PUBLISHED, Piece.regency_code.in_(codes),
                            PieceIndicator.indicator_id == indicator.id))
        replicated = (select(Commitment.regency_code, Piece).join(Piece, Piece.id == Commitment.source_piece_id)
                      .join(CommitmentTarget, CommitmentTarget.commitment_id == Commitment.id)
                      .where(Commitment.regency_code.in_(codes), CommitmentTarget.indicator_id == indicator.id))
        for piece in db.session.scalars(published):
            practices[piece.regency_code].append(piece)
        for code, piece in db.session.execute(replicated):
            if piece not in practices[code]:
                practices[code].append(piece)
    return IndicatorCard(scores.distribution(indicator.id), risers, practices)


@dataclass
class Comparison:
    indicator: Indicator
    committed_n: int
    committed_change: float | None
    others_n: int
    others_change: float | None


def evaluation_years() -> list[int]:
    framework = default_framework()
    if framework is None:
        return []
    query = select(Evaluation.year).where(Evaluation.framework_id == framework.id).distinct().order_by(Evaluation.year)
    return list(db.session.scalars(query))


def comparisons(first: int, last: int) -> list[Comparison]:
    """Per indicator: mean level change from `first` to `last` for committed and other regencies."""
    framework = default_framework()
    levels: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)
    query = (select(Evaluation.regency_code, EvaluationScore.indicator_id, Evaluation.year, EvaluationScore.level)
             .join(EvaluationScore.evaluation)
             .where(Evaluation.framework_id == framework.id, Evaluation.year.in_((first, last))))
    for code, indicator_id, year, level in db.session.execute(query):
        levels[(code, indicator_id)][year] = level
    # Committed means a commitment (not withdrawn) running during the compared years.
    committed = {(code, indicator_id) for code, indicator_id in db.session.execute(
        select(Commitment.regency_code, CommitmentTarget.indicator_id).join(CommitmentTarget.commitment)
        .where(Commitment.status != CommitmentStatus.WITHDRAWN, Commitment.starts_on <= date(last, 12, 31),
               Commitment.due_on >= date(first, 1, 1)))}
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


@dataclass
class PracticeResult:
    piece: Piece
    adopters: int
    outcomes: dict[str, int]


def practice_results() -> list[PracticeResult]:
    """Per replicated practice: adopters (withdrawn left out) and how their commitments were judged."""
    query = (select(Piece, Commitment.outcome).join(Commitment, Commitment.source_piece_id == Piece.id)
             .where(Commitment.status != CommitmentStatus.WITHDRAWN).order_by(Piece.title))
    results: dict[int, PracticeResult] = {}
    for piece, outcome in db.session.execute(query):
        entry = results.setdefault(piece.id, PracticeResult(piece, 0, {o.value: 0 for o in Outcome} | {"none": 0}))
        entry.adopters += 1
        entry.outcomes[outcome.value if outcome else "none"] += 1
    return sorted(results.values(), key=lambda r: (-r.outcomes["met"], -r.adopters, r.piece.title))


def _years() -> tuple[list[int], int | None, int | None]:
    years = evaluation_years()
    if len(years) < 2:
        return years, None, None
    first = request.args.get("from", type=int) or years[0]
    last = request.args.get("to", type=int) or years[-1]
    if first not in years or last not in years or first >= last:
        first, last = years[0], years[-1]
    return years, first, last


@bp.get("/impact")
def index():
    years, first, last = _years()
    rows = comparisons(first, last) if first else []
    synthetic = first is not None and db.session.scalar(
        select(Evaluation.id).where(Evaluation.is_synthetic, Evaluation.year.in_((first, last))).limit(1)) is not None
    return render_template("results/impact.html", years=years, first=first, last=last, rows=rows,
                           practices=practice_results(), synthetic=synthetic)


def _round(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


@bp.get("/impact.csv")
def impact_csv():
    years, first, last = _years()
    rows = comparisons(first, last) if first else []
    return csv_response(f"dampak-{first}-{last}.csv", ["indicator", "from_year", "to_year", "committed_regencies",
                                                        "committed_mean_change", "other_regencies",
                                                        "other_mean_change"],
                        [[r.indicator.code, first, last, r.committed_n, _round(r.committed_change), r.others_n,
                          _round(r.others_change)] for r in rows])


@bp.get("/regencies/<code>/scores.csv")
def regency_scores_csv(code: str):
    history = scores.history(code)
    if not history:
        abort(404)
    return csv_response(f"indeks-spbe-{code}.csv", ["year", "framework", "index_recomputed", "index_published",
                                                     "predicate", "source", "synthetic"],
                        [[e.year, e.framework.code, f"{float(e.computed_index):.3f}",
                          "" if e.published_index is None else f"{float(e.published_index):.3f}", e.predicate_id,
                          e.source, "yes" if e.is_synthetic else "no"] for e in history])


@bp.get("/indicators/<code>/levels.csv")
def indicator_levels_csv(code: str):
    indicator = find_indicator(code)
    if indicator is None:
        abort(404)
    spread = scores.distribution(indicator.id)
    return csv_response(f"sebaran-level-{indicator.code}.csv", ["year", "level_1", "level_2", "level_3", "level_4",
                                                                 "level_5"],
                        [[year, *(counts[n] for n in range(1, 6))] for year, counts in spread.items()])


@bp.app_template_global()
def scorecard_for_regency(code: str) -> Scorecard | None:
    return regency_scorecard(code)


@bp.app_template_global()
def scorecard_for_indicator(indicator: Indicator) -> IndicatorCard:
    return indicator_scorecard(indicator)


@bp.app_template_global()
def outcome_label(outcome: Outcome | None) -> str:
    labels = {Outcome.MET: _("target met"), Outcome.IMPROVED: _("improved, short of the target"),
              Outcome.UNCHANGED: _("unchanged"), Outcome.FELL: _("fell")}
    return labels[outcome] if outcome else _("not judged yet")
