"""Judging commitments against the official scores of their due year, and telling their followers."""

from collections.abc import Iterable

from sqlalchemy import extract, select
from sqlalchemy.orm import selectinload

from livinglab.commitments.models import Commitment, CommitmentStatus, CommitmentTarget, Outcome
from livinglab.commitments.services import commitment_subject
from livinglab.evaluations.models import Evaluation
from livinglab.extensions import db
from livinglab.notifications import services as notifications
from livinglab.notifications.models import NotificationKind


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


def judge(evaluations: Iterable[Evaluation], notify: bool = True) -> list[Commitment]:
    """Give each target of the commitments due in an evaluated year its observed level and outcome.

    Withdrawn commitments are not judged; targets whose indicator the evaluation does not score (another
    framework) stay unjudged. Returns the commitments whose outcome changed.
    """
    by_key = {(e.regency_code, e.year): e for e in evaluations}
    if not by_key:
        return []
    query = (select(Commitment).where(Commitment.regency_code.in_({k[0] for k in by_key}),
                                      extract("year", Commitment.due_on).in_({k[1] for k in by_key}),
                                      Commitment.status != CommitmentStatus.WITHDRAWN)
             .options(selectinload(Commitment.targets)))
    changed = []
    for commitment in db.session.scalars(query):
        evaluation = by_key.get((commitment.regency_code, commitment.due_on.year))
        if evaluation is None:
            continue
        levels = {score.indicator_id: score.level for score in evaluation.scores}
        judged = [_judge_target(target, levels, evaluation.year) for target in commitment.targets]
        outcomes = [o for o in judged if o is not None]
        outcome = commitment_outcome(outcomes) if outcomes else None
        if outcome is not commitment.outcome:
            commitment.outcome, commitment.outcome_year = outcome, evaluation.year if outcome else None
            changed.append(commitment)
            if notify and outcome:
                notifications.notify_followers(
                    NotificationKind.STATUS, commitment_subject(commitment), anchor="outcome",
                    detail=f"outcome_{outcome.value}", also=[commitment.owner_id] if commitment.owner_id else [])
    return changed


def rejudge(commitments: Iterable[Commitment]) -> list[Commitment]:
    """Judge commitments again from the stored scores of their due year: after they are created, moved to
    another due date, withdrawn or reopened. Withdrawn commitments lose their outcome."""
    changed = []
    for commitment in commitments:
        if commitment.status is CommitmentStatus.WITHDRAWN:
            if commitment.outcome is not None:
                commitment.outcome = commitment.outcome_year = None
                for target in commitment.targets:
                    target.observed_level = target.observed_year = target.outcome = None
                changed.append(commitment)
            continue
        query = (select(Evaluation).where(Evaluation.regency_code == commitment.regency_code,
                                          Evaluation.year == commitment.due_on.year)
                 .options(selectinload(Evaluation.scores)))
        evaluations = list(db.session.scalars(query))
        if evaluations:
            changed += judge(evaluations[:1] if len(evaluations) == 1 else _matching(evaluations, commitment))
        elif commitment.outcome is not None:  # the due year moved to a year without scores
            commitment.outcome = commitment.outcome_year = None
            for target in commitment.targets:
                target.observed_level = target.observed_year = target.outcome = None
            changed.append(commitment)
    return changed


def _matching(evaluations: list[Evaluation], commitment: Commitment) -> list[Evaluation]:
    """Of several frameworks' results for one year, the one that scores the commitment's indicators."""
    wanted = {t.indicator_id for t in commitment.targets}
    return sorted(evaluations, key=lambda e: -len(wanted & {s.indicator_id for s in e.scores}))[:1]


def judge_all() -> int:
    """Judge every commitment against the stored scores (for cron or after a repair); returns how many changed."""
    return len(rejudge(db.session.scalars(select(Commitment).options(selectinload(Commitment.targets)))))


def _judge_target(target: CommitmentTarget, levels: dict[int, int], year: int) -> Outcome | None:
    observed = levels.get(target.indicator_id)
    if observed is None:
        return None
    target.observed_level, target.observed_year = observed, year
    target.outcome = target_outcome(target.baseline_level, target.target_level, observed)
    return target.outcome
