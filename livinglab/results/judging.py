"""Judging commitments against the results of their due year, and keeping each judgement as evidence.

A target is read from the evaluation of the commitment's due year in the framework in force that year. When
the target's indicator belongs to another framework, the crosswalk names its counterparts; when it names
several, the target is read at the lowest of their levels (a target is met only if every counterpart
reached it). A commitment is met when every target is met, improved when any rose, fell when one fell and
none rose, and unchanged otherwise. Withdrawn commitments are never judged, and a judged commitment cannot be
withdrawn or have its dates, indicators or levels changed. Corrected results judge again: the new judgement
names the one it replaces, which stays on record.
"""

from collections.abc import Iterable

from sqlalchemy import extract, select
from sqlalchemy.orm import selectinload

from livinglab.commitments.models import Commitment, CommitmentStatus, CommitmentTarget, Outcome
from livinglab.commitments.services import commitment_subject
from livinglab.evaluations.models import Evaluation
from livinglab.evaluations.queries import evaluation_of_year, read_level
from livinglab.extensions import db
from livinglab.indicators.queries import Crosswalk, load_crosswalk
from livinglab.notifications import services as notifications
from livinglab.notifications.models import NotificationKind
from livinglab.results.models import Judgement


def target_outcome(baseline: int, target: int, observed: int) -> Outcome:
    if observed >= target:
        return Outcome.MET
    if observed > baseline:
        return Outcome.IMPROVED
    return Outcome.UNCHANGED if observed == baseline else Outcome.FELL


def commitment_outcome(outcomes: list[Outcome]) -> Outcome:
    """Met when every target is met; improved when any rose; fell when one fell and none rose."""
    if all(o is Outcome.MET for o in outcomes):
        return Outcome.MET
    if any(o in (Outcome.MET, Outcome.IMPROVED) for o in outcomes):
        return Outcome.IMPROVED
    return Outcome.FELL if Outcome.FELL in outcomes else Outcome.UNCHANGED


def _in_force(evaluations: Iterable[Evaluation]) -> dict[tuple[str, int], Evaluation]:
    """(regency, year) → the evaluation of the framework in force, when a year has results in several."""
    chosen: dict[tuple[str, int], Evaluation] = {}
    for evaluation in evaluations:
        key = (evaluation.regency_code, evaluation.year)
        rank = (not evaluation.framework.is_replaced, evaluation.framework.version)
        if key not in chosen or rank > (not chosen[key].framework.is_replaced, chosen[key].framework.version):
            chosen[key] = evaluation
    return chosen


def judge(evaluations: Iterable[Evaluation], notify: bool = True) -> list[Commitment]:
    """Judge the commitments due in the years of these evaluations; returns those whose judgement changed."""
    by_key = _in_force(evaluations)
    if not by_key:
        return []
    query = (select(Commitment).where(Commitment.regency_code.in_({k[0] for k in by_key}),
                                      extract("year", Commitment.due_on).in_({k[1] for k in by_key}),
                                      Commitment.status != CommitmentStatus.WITHDRAWN)
             .options(selectinload(Commitment.targets).joinedload(CommitmentTarget.indicator)))
    crosswalk = load_crosswalk()
    changed = []
    for commitment in db.session.scalars(query):
        evaluation = by_key.get((commitment.regency_code, commitment.due_on.year))
        if evaluation is not None and judge_commitment(commitment, evaluation, crosswalk, notify):
            changed.append(commitment)
    return changed


def judge_commitment(commitment: Commitment, evaluation: Evaluation, crosswalk: Crosswalk,
                     notify: bool = True) -> Judgement | None:
    """Read every target from the evaluation; store a judgement when the outcome or what it rests on changed."""
    details, outcomes = [], []
    for target in commitment.targets:
        reading = read_level(evaluation, target.indicator_id, crosswalk)
        entry = {"indicator": target.indicator.code, "baseline": target.baseline_level, "target": target.target_level,
                 "observed": None, "read_from": [], "outcome": None}
        if reading is not None:
            target.observed_level, target.observed_year = reading.level, evaluation.year
            target.outcome = target_outcome(target.baseline_level, target.target_level, reading.level)
            outcomes.append(target.outcome)
            entry.update(observed=reading.level, read_from=[crosswalk.code_of[i] for i in reading.indicator_ids],
                         outcome=target.outcome.value)
        details.append(entry)
    if not outcomes:
        return None
    outcome = commitment_outcome(outcomes)
    current = current_judgement(commitment)
    if current is not None and (current.outcome, current.evaluation_id, current.is_synthetic) == (
            outcome, evaluation.id, evaluation.is_synthetic) and current.details in ([], details):
        current.details = details  # judgements carried over by the 0007 migration gain their details
        return None
    judgement = Judgement(commitment=commitment, evaluation=evaluation, import_id=evaluation.import_id,
                          framework_id=evaluation.framework_id, year=evaluation.year, outcome=outcome,
                          previous_outcome=current.outcome if current else None,
                          reason="correction" if current else "first", is_synthetic=evaluation.is_synthetic,
                          details=details)
    if current is not None:
        current.is_current = False
    db.session.add(judgement)
    was = commitment.outcome
    commitment.outcome, commitment.outcome_year = outcome, evaluation.year
    if notify and outcome is not was:
        notifications.notify_followers(
            NotificationKind.STATUS, commitment_subject(commitment), anchor="outcome",
            detail=f"outcome_{outcome.value}", also=[commitment.owner_id] if commitment.owner_id else [])
    return judgement


def current_judgement(commitment: Commitment) -> Judgement | None:
    query = select(Judgement).where(Judgement.commitment_id == commitment.id, Judgement.is_current)
    return db.session.scalars(query.order_by(Judgement.id.desc()).limit(1)).first() if commitment.id else None


def judgements_of(commitment: Commitment) -> list[Judgement]:
    """Every judgement of the commitment, oldest first (the history a correction leaves)."""
    query = (select(Judgement).where(Judgement.commitment_id == commitment.id)
             .options(selectinload(Judgement.result_import)).order_by(Judgement.id))
    return list(db.session.scalars(query))


def judge_all() -> int:
    """Judge every commitment again from the stored results of its due year (after a crosswalk is loaded, or
    a repair); returns how many judgements were stored."""
    crosswalk = load_crosswalk()
    query = (select(Commitment).where(Commitment.status != CommitmentStatus.WITHDRAWN)
             .options(selectinload(Commitment.targets).joinedload(CommitmentTarget.indicator)))
    stored = 0
    for commitment in db.session.scalars(query):
        evaluation = evaluation_of_year(commitment.regency_code, commitment.due_on.year)
        if evaluation is not None and judge_commitment(commitment, evaluation, crosswalk, notify=False):
            stored += 1
    return stored
