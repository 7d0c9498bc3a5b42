"""Creating commitments, moving their status, reporting progress and managing milestones."""

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import format_date, gettext as _
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
    OneTimeKey,
    ProgressUpdate,
    StatusChange,
    lab_today,
)
from livinglab.commitments.permissions import can_change_status, can_create_commitment, can_record_progress
from livinglab.evaluations.queries import latest_levels
from livinglab.extensions import db
from livinglab.indicators.models import Indicator
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


def input_problems(data: CommitmentInput, regency: Regency) -> list[CommitmentError]:
    """Everything wrong with what was typed, so that a form says it all at once."""
    return _examine(data, regency)[0]


def _check(data: CommitmentInput, regency: Regency) -> tuple[User | None, Piece | None, dict[int, Indicator]]:
    problems, owner, source, indicators = _examine(data, regency)
    if problems:
        raise problems[0]
    return owner, source, indicators


def _examine(data: CommitmentInput, regency: Regency):
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
    owner = db.session.get(User, data.owner_id) if data.owner_id else None
    if data.owner_id and (owner is None or not owner.is_active or owner.role is not Role.OFFICIAL
                          or owner.regency_code != regency.code):
        problems.append(CommitmentError(_("The owner must be an official of %(regency)s.", regency=regency.name),
                                        "owner_id"))
    source = db.session.get(Piece, data.source_piece_id) if data.source_piece_id else None
    if data.source_piece_id and (source is None or source.status is not PieceStatus.PUBLISHED):
        problems.append(CommitmentError(_("The practice to replicate must be a published piece."), "source_piece_id"))
    return problems, owner, source, indicators


def _set_targets(commitment: Commitment, regency: Regency, targets: list[TargetInput]) -> None:
    existing = {t.indicator_id: t for t in commitment.targets}
    official = latest_levels(regency.code)
    commitment.targets = [_target(existing.get(t.indicator_id), t, official.get(t.indicator_id)) for t in targets]


def _target(row: CommitmentTarget | None, data: TargetInput, official: tuple[int, int] | None) -> CommitmentTarget:
    """A baseline equal to the regency's latest official level counts as official; any other is self-assessed."""
    if row is not None and row.baseline_level == data.baseline_level:
        row.target_level = data.target_level  # an unchanged baseline keeps its source and year
        return row
    row = row or CommitmentTarget(indicator_id=data.indicator_id)
    row.baseline_level, row.target_level = data.baseline_level, data.target_level
    if official and official[0] == data.baseline_level:
        row.baseline_source, row.baseline_year = BaselineSource.OFFICIAL, official[1]
    else:
        row.baseline_source, row.baseline_year = BaselineSource.SELF_ASSESSED, None
    return row


def create_commitment(by: User, data: CommitmentInput, at: datetime | None = None) -> Commitment:
    """A new, planned commitment of the official's regency; its creator and owner follow it."""
    if not can_create_commitment(by):
        raise CommitmentError(_("Only officials can commit on behalf of their regency."))
    regency = by.regency
    owner, source, _indicators = _check(data, regency)
    commitment = Commitment(regency=regency, owner=owner or by, created_by=by, source_piece=source,
                            title=data.title.strip(), description=data.description.strip(),
                            starts_on=data.starts_on, due_on=data.due_on, created_at=at or utcnow())
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
    owner, source, indicators = _check(data, commitment.regency)
    before = {t.indicator.code: [t.baseline_level, t.target_level] for t in commitment.targets}
    commitment.title, commitment.description = data.title.strip(), data.description.strip()
    commitment.starts_on, commitment.due_on = data.starts_on, data.due_on
    commitment.owner, commitment.source_piece = owner or commitment.owner, source
    _set_targets(commitment, commitment.regency, data.targets)
    after = {indicators[t.indicator_id].code: [t.baseline_level, t.target_level] for t in data.targets}
    record_event("commitment.updated", "commitment", commitment.id, actor=by, due_on=data.due_on.isoformat(),
                 targets_before=before, targets_after=after)


def change_status(commitment: Commitment, by: User, to: CommitmentStatus, comment: str,
                  at: datetime | None = None) -> StatusChange:
    """Move along an allowed transition, keeping who, when and why; followers and the owner hear of it."""
    comment = (comment or "").strip()
    if to is commitment.status or not can_change_status(by, commitment, to):
        raise CommitmentError(_("This status change is not allowed."), "status")
    if not comment:
        raise CommitmentError(_("Say why the status changes; it stays in the timeline."), "comment")
    return _move(commitment, by, to, comment, at)


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
