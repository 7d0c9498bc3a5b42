"""Creating commitments, moving their status, reporting progress and managing milestones."""

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import format_date, gettext as _, ngettext
from sqlalchemy import select

from livinglab.accounts.models import Role, User, utcnow
from livinglab.audit.services import record_event
from livinglab.commitments.models import (
    OPEN_STATUSES,
    BaselineSource,
    Commitment,
    CommitmentStatus,
    CommitmentTarget,
    Milestone,
    LAB_TIMEZONE,
    OneTimeKey,
    ProgressUpdate,
    StatusChange,
    lab_today,
)
from livinglab.commitments.permissions import (
    can_change_status,
    can_create_commitment,
    can_record_historical_commitment,
    can_record_progress,
)
from livinglab.evaluations.queries import Reading, has_results, official_baselines
from livinglab.extensions import db
from livinglab.indicators.models import Indicator
from livinglab.indicators.queries import framework_for_year, load_crosswalk
from livinglab.notifications import services as notifications
from livinglab.notifications.models import NotificationKind
from livinglab.pieces.attachments import CheckedUpload, save_upload
from livinglab.pieces.models import Piece, PieceStatus
from livinglab.regencies.models import Regency


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


def commitment_subject(commitment: Commitment) -> notifications.Subject:
    return notifications.Subject("commitment", commitment.id, commitment.title, f"/commitments/{commitment.id}")


def input_problems(data: CommitmentInput, regency: Regency, commitment: Commitment | None = None,
                   recorded_after: bool = False) -> list[CommitmentError]:
    """Everything wrong with what was typed, so that a form says it all at once."""
    return _examine(data, regency, commitment, recorded_after, None)[0]


def _check(data: CommitmentInput, regency: Regency, commitment: Commitment | None = None,
           recorded_after: bool = False, at: datetime | None = None,
           ) -> tuple[User | None, Piece | None, dict[int, Indicator]]:
    problems, owner, source, indicators = _examine(data, regency, commitment, recorded_after, at)
    if problems:
        raise problems[0]
    return owner, source, indicators


def _examine(data: CommitmentInput, regency: Regency, commitment: Commitment | None, recorded_after: bool,
             at: datetime | None):
    problems = []
    if not 5 <= len(data.title.strip()) <= 200:
        problems.append(CommitmentError(_("Write a title of 5 to 200 characters."), "title"))
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
            today = at.astimezone(LAB_TIMEZONE).date() if at else lab_today()
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


def _target_problems(data: CommitmentInput, regency: Regency, indicators: dict[int, Indicator]) -> list[CommitmentError]:
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


def _set_targets(commitment: Commitment, regency: Regency, targets: list[TargetInput]) -> None:
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


def create_commitment(by: User, data: CommitmentInput, at: datetime | None = None,
                      recorded_for: Regency | None = None) -> Commitment:
    """A new, planned commitment of the official's regency; its creator and owner follow it.

    With `recorded_for`, a coordinator records a regency's commitment after the fact: its due year's results
    may already be known, so it is labelled and left out of every outcome count."""
    if recorded_for is None and not can_create_commitment(by):
        raise CommitmentError(_("Only officials can commit on behalf of their regency."))
    if recorded_for is not None and not can_record_historical_commitment(by):
        raise CommitmentError(_("Only coordinators can record a commitment after the fact."))
    regency = recorded_for or by.regency
    owner, source, _indicators = _check(data, regency, None, recorded_for is not None, at)
    commitment = Commitment(regency=regency, owner=owner or by, created_by=by, source_piece=source,
                            title=data.title.strip(), description=data.description.strip(),
                            starts_on=data.starts_on, due_on=data.due_on, created_at=at or utcnow(),
                            is_recorded_after=recorded_for is not None)
    _set_targets(commitment, regency, data.targets)
    commitment.status_changes.append(StatusChange(actor=by, from_status=None, to_status=CommitmentStatus.PLANNED,
                                                  comment="", created_at=at or utcnow()))
    db.session.add(commitment)
    db.session.flush()
    record_event("commitment.created", "commitment", commitment.id, actor=by, regency=regency.code,
                 source=source.id if source else None)
    for follower in {by, commitment.owner}:
        notifications.follow(follower, "commitment", commitment.id)
    return commitment


def update_commitment(commitment: Commitment, by: User, data: CommitmentInput) -> None:
    """Change what was promised; the targets keep their history in the audit log."""
    if not can_record_progress(by, commitment):
        raise CommitmentError(_("You cannot change this commitment."))
    owner, source, indicators = _check(data, commitment.regency, commitment)
    before = {t.indicator.code: [t.baseline_level, t.target_level] for t in commitment.targets}
    commitment.title, commitment.description = data.title.strip(), data.description.strip()
    commitment.starts_on, commitment.due_on = data.starts_on, data.due_on
    commitment.owner, commitment.source_piece = owner or commitment.owner, source
    _set_targets(commitment, commitment.regency, data.targets)
    after = {indicators[t.indicator_id].code: [t.baseline_level, t.target_level] for t in data.targets}
    record_event("commitment.updated", "commitment", commitment.id, actor=by, due_on=data.due_on.isoformat(),
                 targets_before=before, targets_after=after)


def change_status(commitment: Commitment, by: User, to: CommitmentStatus, comment: str,
                  at: datetime | None = None, confirm_gaps: bool = False) -> StatusChange:
    """Move along an allowed transition, keeping who, when and why; followers and the owner hear of it.

    Marking achieved while the commitment's own evidence says otherwise (progress below 100 %, milestones not
    done) needs an explicit confirmation; coordinators then see it flagged on the dashboard."""
    comment = (comment or "").strip()
    if to is commitment.status or not can_change_status(by, commitment, to):
        if to is CommitmentStatus.WITHDRAWN and commitment.is_judged:
            raise CommitmentError(_("A judged commitment cannot be withdrawn: its outcome stays on record."), "status")
        raise CommitmentError(_("This status change is not allowed."), "status")
    if not comment:
        raise CommitmentError(_("Say why the status changes; it stays in the timeline."), "comment")
    gaps = achieved_gaps(commitment) if to is CommitmentStatus.ACHIEVED else ""
    if gaps and not confirm_gaps:
        raise CommitmentError(_("%(gaps)s Tick the box to confirm it is achieved all the same, and say why.",
                                gaps=gaps), "confirm_gaps")
    return _move(commitment, by, to, comment, at)


def achieved_gaps(commitment: Commitment) -> str:
    """What the commitment's own evidence says against calling it achieved, as one sentence; empty if nothing."""
    open_milestones = sum(1 for m in commitment.milestones if m.done_on is None)
    if commitment.percent < 100 and open_milestones:
        return ngettext("Progress is at %(percent)d %% and %(num)d milestone is not done.",
                        "Progress is at %(percent)d %% and %(num)d milestones are not done.", open_milestones,
                        percent=commitment.percent)
    if commitment.percent < 100:
        return _("Progress is at %(percent)d %%.", percent=commitment.percent)
    if open_milestones:
        return ngettext("%(num)d milestone is not done.", "%(num)d milestones are not done.", open_milestones)
    return ""


def _move(commitment: Commitment, by: User, to: CommitmentStatus, comment: str, at: datetime | None,
          notify: bool = True) -> StatusChange:
    change = StatusChange(actor=by, from_status=commitment.status, to_status=to, comment=comment[:1000],
                          created_at=at or utcnow())
    commitment.status_changes.append(change)
    record_event("commitment.status_changed", "commitment", commitment.id, actor=by,
                 **{"from": commitment.status.value, "to": to.value})
    commitment.status = to
    if notify:
        notifications.notify_followers(NotificationKind.STATUS, commitment_subject(commitment), actor=by,
                                       anchor="timeline", text=comment, detail=to.value,
                                       also=[commitment.owner_id] if commitment.owner_id else [], at=at)
    return change


def evidence_path(update: ProgressUpdate) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / (update.evidence_stored_name or "")


def record_progress(commitment: Commitment, by: User, text: str, percent: int, reported_on: date,
                    evidence_url: str = "", evidence: CheckedUpload | None = None,
                    at: datetime | None = None) -> ProgressUpdate:
    """Report progress: a percent always comes with the text that explains it. The first report of
    a planned commitment puts it in progress."""
    text = (text or "").strip()
    if not text:
        raise CommitmentError(_("Describe what was done; a percentage needs its explanation."), "text")
    if not 0 <= percent <= 100:
        raise CommitmentError(_("The percentage goes from 0 to 100."), "percent")
    if reported_on > lab_today():
        raise CommitmentError(_("A progress update cannot be dated in the future."), "reported_on")
    if reported_on < commitment.starts_on:
        raise CommitmentError(_("A progress update cannot be dated before the commitment starts."), "reported_on")
    if commitment.status not in OPEN_STATUSES:
        raise CommitmentError(_("This commitment is closed; reopen it before reporting progress."))
    if commitment.status is CommitmentStatus.PLANNED:
        _move(commitment, by, CommitmentStatus.IN_PROGRESS, _("First progress update."), at, notify=False)
    update = ProgressUpdate(author=by, reported_on=reported_on, percent=percent, text=text,
                            evidence_url=(evidence_url or "").strip()[:500], created_at=at or utcnow())
    if evidence is not None:
        update.evidence_stored_name = save_upload(evidence)
        update.evidence_name, update.evidence_type, update.evidence_size = (
            evidence.name, evidence.content_type, evidence.size)
    commitment.updates.append(update)
    if commitment.last_update_on is None or reported_on >= commitment.last_update_on:
        commitment.percent, commitment.last_update_on = percent, reported_on
    db.session.flush()
    notifications.notify_followers(NotificationKind.PROGRESS, commitment_subject(commitment), actor=by,
                                   anchor=f"update-{update.id}", text=text,
                                   also=[commitment.owner_id] if commitment.owner_id else [], at=at)
    return update


def _check_open(commitment: Commitment) -> None:
    if not commitment.is_open:
        raise CommitmentError(_("This commitment is closed; reopen it before changing it."))


def add_milestone(commitment: Commitment, by: User, title: str, due_on: date) -> Milestone:
    _check_open(commitment)
    title = (title or "").strip()
    if not 3 <= len(title) <= 200:
        raise CommitmentError(_("Write a milestone title of 3 to 200 characters."), "title")
    if not commitment.starts_on <= due_on <= commitment.due_on:
        raise CommitmentError(_("A milestone must fall between the start (%(start)s) and the due date (%(due)s) of "
                                "the commitment.", start=format_date(commitment.starts_on, "medium"),
                                due=format_date(commitment.due_on, "medium")), "due_on")
    milestone = Milestone(title=title, due_on=due_on)
    commitment.milestones.append(milestone)
    return milestone


def complete_milestone(milestone: Milestone, by: User, done_on: date) -> None:
    _check_open(milestone.commitment)
    if done_on > lab_today():
        raise CommitmentError(_("A milestone cannot be done in the future."), "done_on")
    milestone.done_on = done_on


def reopen_milestone(milestone: Milestone, by: User) -> None:
    _check_open(milestone.commitment)
    milestone.done_on = None


def delete_milestone(milestone: Milestone, by: User) -> None:
    _check_open(milestone.commitment)
    record_event("milestone.deleted", "commitment", milestone.commitment_id, actor=by, title=milestone.title)
    db.session.delete(milestone)


def use_once(key: str) -> bool:
    """True the first time a key is used; the key is stored, so a second run or a second click skips it."""
    if db.session.get(OneTimeKey, key) is not None:
        return False
    db.session.add(OneTimeKey(key=key))
    return True
