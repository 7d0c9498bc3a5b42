"""Follows of a subject (a piece or a commitment) and the notifications they produce.

Notifications need only accounts, so subjects are named by type and id rather than by foreign
keys; the feature that owns a subject passes its title and link when it notifies.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from livinglab.clock import utcnow
from livinglab.extensions import db

if TYPE_CHECKING:
    from livinglab.accounts.models import User


class NotificationKind(enum.Enum):
    COMMENT = "comment"
    REPLY = "reply"
    MENTION = "mention"
    STATUS = "status"
    PROGRESS = "progress"
    REMINDER = "reminder"


class Follow(db.Model):
    """A user following a subject: they hear about its new comments and changes."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "subject_type", "subject_id"),
        Index("ix_follows_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)


class Notification(db.Model):
    """One thing a user should know about, linking to the exact comment or update."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[NotificationKind] = mapped_column(
        db.Enum(NotificationKind, name="notification_kind", values_callable=lambda items: [i.value for i in items])
    )
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    subject_title: Mapped[str] = mapped_column(String(200))
    link: Mapped[str] = mapped_column(String(300))
    excerpt: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    emailed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True), index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notification {self.kind.value} to {self.user_id} on {self.subject_type}:{self.subject_id}>"
