"""The rules a commitment's promise must keep: dates, targets and baselines, checked all at once so a form can
show every problem, and frozen once the commitment is judged."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.clock import lab_timezone, lab_today
from livinglab.commitments.models import BaselineSource, Commitment, CommitmentTarget
from livinglab.evaluations.queries import Reading, has_results, official_baselines
from livinglab.extensions import db
from livinglab.indicators.models import Indicator
from livinglab.indicators.queries import framework_for_year, load_crosswalk
from livinglab.pieces.models import Piece, PieceStatus
from livinglab.regencies.models import Regency
from livinglab.roles import Role

TITLE_LENGTH = (5, 200)  # characters of a commitment title; the form, the rule and its message use these
MILESTONE_TITLE_LENGTH = (3, 200)


class CommitmentError(ValueError):
    """A commitment rule was broken; `message` is shown to the user next to `field`."""

    def __init__(self, message: str, field: str | None = None, indicator_id: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.indicator_id = indicator_id  # for a target's level: the row it belongs to


@dataclass
class TargetInput:
    indicator_id: int
    baseline_level: int
    target_level: int


@dataclass
class CommitmentInput:
    title: str
    description: str
    starts_on: date
    due_on: date
    targets: list[TargetInput] = field(default_factory=list)
    owner_id: int | None = None
    source_piece_id: int | None = None


def input_problems(data: CommitmentInput, regency: Regency, commitment: Commitment | None = None,
                   recorded_after: bool = False) -> list[CommitmentError]:
    """Everything wrong with what was typed, so that a form says it all at once."""
    return _examine(data, regency, commitment, recorded_after, None)[0]


def check(data: CommitmentInput, regency: Regency, commitment: Commitment | None = None,
           recorded_after: bool = False, at: datetime | None = None,
           ) -> tuple[User | None, Piece | None, dict[int, Indicator]]:
    problems, owner, source, indicators = _examine(data, regency, commitment, recorded_after, at)
    if problems:
        raise problems[0]
    return owner, source, indicators


def _examine(data: CommitmentInput, regency: Regency, commitment: Commitment | None, recorded_after: bool,
             at: datetime | None):
    problems = []
    shortest, longest = TITLE_LENGTH
    if not shortest <= len(data.title.strip()) <= longest:
        problems.append(CommitmentError(_("Write a title of %(min)d to %(max)d characters.", min=shortest,
                                          max=longest), "title"))
    if data.starts_on and data.due_on and data.due_on < data.starts_on:
        problems.append(CommitmentError(_("The due date cannot be before the start date."), "due_on"))
    elif not (data.starts_on and data.due_on):
        problems.append(CommitmentError(_("This field is required."), "starts_on" if not data.starts_on else "due_on"))
    ids = [t.indicator_id for t in data.targets]
    if not data.targets:
        problems.append(CommitmentError(_("Choose at least one indicator this commitment aims to raise."), "targets"))
    elif len(set(ids)) != len(ids):
        problems.append(CommitmentError(_("Each indicator can be chosen only once."), "targets"))
    indicators = {i.id: i for i in db.session.scalars(select(Indicator).where(Indicator.id.in_(ids)))} if ids else {}
    for target in data.targets:
        if target.indicator_id not in indicators:
            problems.append(CommitmentError(_("Choose indicators from the list."), "targets"))
        elif not (1 <= target.baseline_level <= 5 and 1 <= target.target_level <= 5):
            problems.append(CommitmentError(
                _("Choose the baseline and target level of %(code)s, or remove the indicator.",
                  code=indicators[target.indicator_id].code),
                "target" if 1 <= target.baseline_level <= 5 else "baseline", target.indicator_id))
        elif target.target_level <= target.baseline_level:
            problems.append(CommitmentError(_("The target level of %(code)s must be higher than its baseline.",
                                              code=indicators[target.indicator_id].code), "target",
                                            target.indicator_id))
    if commitment is not None and commitment.is_judged:
        problems += _judged_changes(commitment, data)
    elif data.starts_on and data.due_on and data.starts_on <= data.due_on:
        if commitment is None or data.due_on != commitment.due_on:
            today = at.astimezone(lab_timezone()).date() if at else lab_today()
            problems += _due_date_problems(data.due_on, regency, recorded_after, today)
        problems += _target_problems(data, regency, indicators)
    owner = db.session.get(User, data.owner_id) if data.owner_id else None
    if data.owner_id and (owner is None or not owner.is_active or owner.role is not Role.OFFICIAL
                          or owner.regency_code != regency.code):
        problems.append(CommitmentError(_("The owner must be an official of %(regency)s.", regency=regency.name),
                                        "owner_id"))
    source = db.session.get(Piece, data.source_piece_id) if data.source_piece_id else None
    if data.source_piece_id and (source is None or source.status is not PieceStatus.PUBLISHED):
        problems.append(CommitmentError(_("The practice to replicate must be a published piece."), "source_piece_id"))
    return problems, owner, source, indicators


def _judged_changes(commitment: Commitment, data: CommitmentInput) -> list[CommitmentError]:
    """A judged commitment keeps the dates, indicators and levels it was judged on."""
    before = {(t.indicator_id, t.baseline_level, t.target_level) for t in commitment.targets}
    after = {(t.indicator_id, t.baseline_level, t.target_level) for t in data.targets}
    if (data.starts_on, data.due_on) == (commitment.starts_on, commitment.due_on) and before == after:
        return []
    return [CommitmentError(_("This commitment was judged on the results of %(year)d: its dates, indicators and "
                              "levels can no longer change. Make a new commitment for a new promise.",
                              year=commitment.outcome_year), "targets")]


def _due_date_problems(due_on: date, regency: Regency, recorded_after: bool, today: date) -> list[CommitmentError]:
    """A promise is due after the day it is made, in a year whose results are not known yet (unless a
    coordinator records it after the fact)."""
    if recorded_after:
        return []
    if due_on <= today:
        return [CommitmentError(_("The due date must be after today."), "due_on")]
    if has_results(regency.code, due_on.year):
        return [CommitmentError(_("The results of %(year)d for %(regency)s are already stored: a commitment cannot "
                                  "be due in a year whose results are known.", year=due_on.year,
                                  regency=regency.name), "due_on")]
    return []


def _target_problems(
    data: CommitmentInput, regency: Regency, indicators: dict[int, Indicator]
) -> list[CommitmentError]:
    """Each target can be judged in its due year, and its baseline is not below the last official level."""
    problems = []
    framework = framework_for_year(data.due_on.year)
    crosswalk = load_crosswalk()
    known = [t for t in data.targets if t.indicator_id in indicators]
    baselines = official_baselines(regency.code, data.starts_on.year, [t.indicator_id for t in known])
    for target in known:
        indicator = indicators[target.indicator_id]
        judged_directly = indicator.framework.governs(data.due_on.year) and not indicator.framework.is_replaced
        if framework is not None and not judged_directly and not crosswalk.counterparts(indicator.id, framework.id):
            problems.append(CommitmentError(_(
                "%(code)s cannot be judged in %(year)d: the framework in force that year (%(framework)s) has no "
                "counterpart for it in the crosswalk. Choose an indicator of %(framework)s.", code=indicator.code,
                year=data.due_on.year, framework=framework.code), "indicator", target.indicator_id))
            continue
        reading = baselines.get(target.indicator_id)
        if reading and 1 <= target.baseline_level < reading.level:
            problems.append(CommitmentError(_(
                "The results of %(year)d put %(code)s at level %(level)d: the baseline cannot be lower.",
                year=reading.evaluation.year, code=indicator.code, level=reading.level), "baseline",
                target.indicator_id))
    return problems


def set_targets(commitment: Commitment, regency: Regency, targets: list[TargetInput]) -> None:
    existing = {t.indicator_id: t for t in commitment.targets}
    baselines = official_baselines(regency.code, commitment.starts_on.year, [t.indicator_id for t in targets])
    commitment.targets = [_target(existing.get(t.indicator_id), t, baselines.get(t.indicator_id)) for t in targets]


def reread_baselines(commitment: Commitment) -> None:
    """Mark baselines that equal the level of the last year evaluated before the start as read from the results
    (for commitments recorded before those results were stored, such as the demo's)."""
    baselines = official_baselines(commitment.regency_code, commitment.starts_on.year,
                                   [t.indicator_id for t in commitment.targets])
    for target in commitment.targets:
        reading = baselines.get(target.indicator_id)
        if reading and reading.level == target.baseline_level:
            target.baseline_source, target.baseline_year = BaselineSource.OFFICIAL, reading.evaluation.year
            target.baseline_evaluation_id = reading.evaluation.id


def _target(row: CommitmentTarget | None, data: TargetInput, reading: Reading | None) -> CommitmentTarget:
    """A baseline equal to the level of the last evaluated year before the start is read from the results;
    any other (higher) one is self-assessed."""
    row = row or CommitmentTarget(indicator_id=data.indicator_id)
    row.baseline_level, row.target_level = data.baseline_level, data.target_level
    if reading and reading.level == data.baseline_level:
        row.baseline_source, row.baseline_year = BaselineSource.OFFICIAL, reading.evaluation.year
        row.baseline_evaluation_id = reading.evaluation.id
    else:
        row.baseline_source, row.baseline_year, row.baseline_evaluation_id = BaselineSource.SELF_ASSESSED, None, None
    return row
