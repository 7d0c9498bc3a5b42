"""Reminders for cron: milestones due within REMINDER_DAYS_AHEAD days and overdue commitments, each sent once."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from livinglab.commitments.models import OPEN_STATUSES, Commitment, Milestone
from livinglab.commitments.queries import overdue
from livinglab.commitments.services import commitment_subject, use_once
from livinglab.extensions import db
from livinglab.notifications import services as notifications
from livinglab.notifications.models import NotificationKind
from livinglab.rules import reminder_window


def _tell(commitment: Commitment, detail: str, text: str, anchor: str) -> int:
    also = [commitment.owner_id] if commitment.owner_id else []
    return len(notifications.notify_followers(NotificationKind.REMINDER, commitment_subject(commitment),
                                              anchor=anchor, text=text, detail=detail, also=also))


def send_reminders(today: date) -> tuple[int, int]:
    """(milestone reminders, overdue reminders) created; running it again the same day creates none."""
    soon = (select(Milestone).join(Milestone.commitment)
            .where(Commitment.status.in_(OPEN_STATUSES), Milestone.done_on.is_(None),
                   Milestone.due_on >= today, Milestone.due_on <= today + reminder_window())
            .options(selectinload(Milestone.commitment)).order_by(Milestone.id))
    milestones = 0
    for milestone in db.session.scalars(soon):
        if use_once(f"milestone:{milestone.id}:{milestone.due_on.isoformat()}"):
            text = f"{milestone.title} ({milestone.due_on.isoformat()})"
            _tell(milestone.commitment, "milestone_due", text, "milestones")
            milestones += 1
    late = select(Commitment).where(overdue(today)).order_by(Commitment.id)
    overdue_count = 0
    for commitment in db.session.scalars(late):
        if use_once(f"overdue:{commitment.id}:{commitment.due_on.isoformat()}"):
            _tell(commitment, "overdue", "", "")
            overdue_count += 1
    return milestones, overdue_count
