"""What the stored results say: a regency's scorecard, an indicator's spread, and the lab's impact page.

The impact page compares, per indicator, the change in level of regencies that committed to raise it
with that of regencies that did not, over two years of one framework (see `comparison`). It is a
comparison, not proof of cause. Results are labelled by provenance: official imports or synthetic demo data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale, gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from livinglab import rules
from livinglab.clock import lab_today
from livinglab.commitments.evidence import synthetic_judged_count
from livinglab.commitments.models import BaselineSource, Commitment, CommitmentStatus, CommitmentTarget, Outcome
from livinglab.commitments.queries import CommitmentFilters
from livinglab.evaluations import queries as scores
from livinglab.evaluations.models import Evaluation
from livinglab.extensions import db
from livinglab.indicators.models import Framework, Indicator
from livinglab.indicators.queries import find_indicator
from livinglab.pagecache import public_page
from livinglab.pieces.models import Piece, PieceIndicator, PieceStatus
from livinglab.regencies.models import Regency
from livinglab.results import cohorts as cohort_reads, comparison
from livinglab.sheets import csv_response

bp = Blueprint("impact", __name__)


@dataclass
class IndicatorLine:
    indicator: Indicator
    level: int
    year: int
    self_assessed: int | None = None
    teachers: list[Piece] = field(default_factory=list)


@dataclass
class Series:
    """A regency's evaluations in one framework, oldest first: one line of the index chart."""

    framework: Framework
    evaluations: list[Evaluation]


@dataclass
class Scorecard:
    """A regency's stored results: history (one series per framework), latest breakdown, indicators weakest
    first."""

    history: list[Evaluation]
    latest: Evaluation | None
    domains: list[scores.Breakdown]
    aspects: list[scores.Breakdown]
    lines: list[IndicatorLine]
    series: list[Series] = field(default_factory=list)


def series_of(history: list[Evaluation]) -> list[Series]:
    """The history split by framework (never one line across a framework change), oldest framework first."""
    found: dict[int, Series] = {}
    for evaluation in history:
        found.setdefault(evaluation.framework_id, Series(evaluation.framework, [])).evaluations.append(evaluation)
    return sorted(found.values(), key=lambda s: (s.evaluations[0].year, s.framework.first_year))


def _published_pieces_from(regencies_by_indicator: dict[int, set[str]], exclude: str) -> dict[int, list[Piece]]:
    """The three newest published pieces aiming at each indicator, written by the given regencies (two queries:
    ids first, as many regencies may be strong, then the pieces shown)."""
    wanted = {(i, code) for i, codes in regencies_by_indicator.items() for code in codes if code != exclude}
    if not wanted:
        return {}
    candidates = (select(PieceIndicator.indicator_id, Piece.id, Piece.regency_code)
                  .join(Piece, Piece.id == PieceIndicator.piece_id)
                  .where(Piece.status == PieceStatus.PUBLISHED,
                         PieceIndicator.indicator_id.in_({i for i, _code in wanted}),
                         Piece.regency_code.in_({code for _i, code in wanted}))
                  .order_by(Piece.published_at.desc(), Piece.id.desc()))
    chosen: dict[int, list[int]] = defaultdict(list)
    for indicator_id, piece_id, regency_code in db.session.execute(candidates):
        if (indicator_id, regency_code) in wanted and len(chosen[indicator_id]) < 3:
            chosen[indicator_id].append(piece_id)
    ids = {piece_id for piece_ids in chosen.values() for piece_id in piece_ids}
    pieces = {piece.id: piece for piece in db.session.scalars(
        select(Piece).where(Piece.id.in_(ids), Piece.status == PieceStatus.PUBLISHED)
        .options(joinedload(Piece.regency)))} if ids else {}
    return {indicator_id: [pieces[piece_id] for piece_id in piece_ids if piece_id in pieces]
            for indicator_id, piece_ids in chosen.items()}


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
    weak = [line.indicator.id for line in lines if line.level <= rules.WEAK_LEVEL]
    teachers = _published_pieces_from(scores.strong_regencies(weak, rules.STRONG_LEVEL), regency_code) if weak else {}
    for line in lines:
        line.teachers = teachers.get(line.indicator.id, [])
    return Scorecard(history, latest, scores.breakdown(latest, "domain"), scores.breakdown(latest, "aspect"), lines,
                     series_of(history))


@dataclass
class IndicatorCard:
    distribution: dict[int, dict[int, int]]
    risers: list[scores.Riser]
    practices: dict[str, list[Piece]]
    provenance: dict[int, str] = field(default_factory=dict)


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
    return IndicatorCard(scores.distribution(indicator.id), risers, practices, scores.provenance_by_year(indicator.id))


def _comparison_args() -> tuple[list[tuple[Framework, int]], Framework | None, list[int], int | None, int | None]:
    """The frameworks offered, the one chosen (default: the most evaluated), its years, and the two compared."""
    frameworks = comparison.compared_frameworks()
    chosen = next((f for f, _n in frameworks if f.code == request.args.get("framework")), None)
    framework = chosen or (frameworks[0][0] if frameworks else None)
    years = comparison.evaluation_years(framework)
    if len(years) < 2:
        return frameworks, framework, years, None, None
    first = request.args.get("from", type=int) or years[0]
    last = request.args.get("to", type=int) or years[-1]
    if first not in years or last not in years or first >= last:
        first, last = years[0], years[-1]
    return frameworks, framework, years, first, last


@bp.get("/impact")
@public_page
def index():
    frameworks, framework, years, first, last = _comparison_args()
    rows = comparison.comparisons(first, last, framework) if first else []
    synthetic = first is not None and comparison.has_synthetic(framework, (first, last))
    return render_template("results/impact.html", frameworks=frameworks, framework=framework, years=years,
                           first=first, last=last, rows=rows, practices=comparison.practice_results(),
                           synthetic=synthetic)


def _cohort_year() -> tuple[list[int], int | None]:
    """The cohorts offered and the one asked for (default: the latest with a judged commitment)."""
    years = cohort_reads.cohort_years()
    asked = request.args.get("year", type=int)
    return years, asked if asked in years else cohort_reads.default_cohort(years)


@bp.get("/impact/cohorts")
@public_page
def cohorts():
    years, year = _cohort_year()
    found = cohort_reads.cohort(year) if year else None
    synthetic = synthetic_judged_count(CommitmentFilters(started=str(year)), lab_today()) if year else 0
    return render_template("results/cohorts.html", years=years, year=year, cohort=found, synthetic=synthetic,
                           columns=cohort_reads.COLUMNS)


@bp.get("/impact/cohorts.csv")
def cohorts_csv():
    _years, year = _cohort_year()
    if year is None:
        abort(404)
    return csv_response(f"kohort-{year}.csv", cohort_reads.CSV_HEADER,
                        cohort_reads.csv_rows(cohort_reads.cohort(year), get_locale().language))


def _round(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


@bp.get("/impact.csv")
def impact_csv():
    _frameworks, framework, _years, first, last = _comparison_args()
    if first is None:
        abort(404)
    rows = comparison.comparisons(first, last, framework)
    provenance = "synthetic_demo" if comparison.has_synthetic(framework, (first, last)) else "official_import"
    return csv_response(f"dampak-{framework.code}-{first}-{last}.csv",
                        ["framework", "indicator", "from_year", "to_year", "committed_regencies",
                         "committed_mean_change", "other_regencies", "other_mean_change", "provenance"],
                        [[framework.code, r.indicator.code, first, last, r.committed_n, _round(r.committed_change),
                          r.others_n, _round(r.others_change), provenance] for r in rows])


@bp.get("/regencies/<code>/scores.csv")
def regency_scores_csv(code: str):
    history = scores.history(code)
    if not history:
        abort(404)
    return csv_response(f"indeks-spbe-{code}.csv", ["year", "framework", "index_recomputed", "index_published",
                                                     "predicate", "source", "synthetic", "index_shown", "provenance"],
                        [[e.year, e.framework.code, f"{float(e.computed_index):.3f}",
                          "" if e.published_index is None else f"{float(e.published_index):.3f}", e.predicate_id,
                          e.source, "yes" if e.is_synthetic else "no", f"{e.shown_index}", e.provenance]
                         for e in history])


@bp.get("/indicators/<code>/levels.csv")
def indicator_levels_csv(code: str):
    indicator = find_indicator(code)
    if indicator is None:
        abort(404)
    spread, provenance = scores.distribution(indicator.id), scores.provenance_by_year(indicator.id)
    return csv_response(f"sebaran-level-{indicator.code}.csv", ["year", "level_1", "level_2", "level_3", "level_4",
                                                                 "level_5", "provenance"],
                        [[year, *(counts[n] for n in range(1, 6)), provenance.get(year, "")]
                         for year, counts in spread.items()])


def regency_scores_panel(regency: Regency, user: object) -> Mapping[str, Any]:
    """Panel of the regency page: its evaluation results (None when none were imported)."""
    return {"card": regency_scorecard(regency.code)}


def indicator_scores_panel(indicator: Indicator, user: object) -> Mapping[str, Any]:
    """Panel of the indicator page: the levels across regencies and the regencies that rose the most."""
    return {"card": indicator_scorecard(indicator)}


@bp.app_template_global()
def outcome_label(outcome: Outcome | None) -> str:
    labels = {Outcome.MET: _("target met"), Outcome.IMPROVED: _("improved, short of the target"),
              Outcome.UNCHANGED: _("unchanged"), Outcome.FELL: _("fell")}
    return labels[outcome] if outcome else _("not judged yet")
