"""Creating commitments, moving their status, reporting progress and managing milestones."""

from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import format_date, gettext as _, ngettext

from livinglab.accounts.models import User
from livinglab.audit.services import record_event
from livinglab.clock import lab_today, utcnow
from livinglab.commitments.models import (
    OPEN_STATUSES,
    Commitment,
    CommitmentStatus,
    Milestone,
    OneTimeKey,
    ProgressUpdate,
    StatusChange,
)
from livinglab.commitments.permissions import (
    can_change_status,
    can_create_commitment,
    can_record_historical_commitment,
    can_record_progress,
)
from livinglab.commitments.rules import (  # noqa: F401  (the rules' names are part of this module's interface)
    MILESTONE_TITLE_LENGTH,
    CommitmentError,
    CommitmentInput,
    TargetInput,
    check,
    input_problems,
    reread_baselines,
    set_targets,
)
from livinglab.extensions import db
from livinglab.notifications import services as notifications
from livinglab.notifications.models import NotificationKind
from livinglab.pieces.attachments import CheckedUpload, save_upload
from livinglab.regencies.models import Regency


def commitment_subject(commitment: Commitment) -> notifications.Subject:
    return notifications.Subject("commitment", commitment.id, commitment.title, f"/commitments/{commitment.id}")


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
    owner, source, _indicators = check(data, regency, None, recorded_for is not None, at)
    commitment = Commitment(regency=regency, owner=owner or by, created_by=by, source_piece=source,
                            title=data.title.strip(), description=data.description.strip(),
                            starts_on=data.starts_on, due_on=data.due_on, created_at=at or utcnow(),
                            is_recorded_after=recorded_for is not None)
    set_targets(commitment, regency, data.targets)
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
    owner, source, indicators = check(data, commitment.regency, commitment)
    before = {t.indicator.code: [t.baseline_level, t.target_level] for t in commitment.targets}
    commitment.title, commitment.description = data.title.strip(), data.description.strip()
    commitment.starts_on, commitment.due_on = data.starts_on, data.due_on
    commitment.owner, commitment.source_piece = owner or commitment.owner, source
    set_targets(commitment, commitment.regency, data.targets)
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
    shortest, longest = MILESTONE_TITLE_LENGTH
    if not shortest <= len(title) <= longest:
        raise CommitmentError(_("Write a milestone title of %(min)d to %(max)d characters.", min=shortest,
                                max=longest), "title")
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
