"""Comments, the flags users raise on them, and users blocked from commenting."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from livinglab.clock import utcnow
from livinglab.extensions import db

if TYPE_CHECKING:
    from livinglab.accounts.models import User
    from livinglab.commitments.models import Commitment
    from livinglab.pieces.models import Piece


class Comment(db.Model):
    """One message in the thread of a piece or of a commitment; a reply names its parent.

    Deleting keeps the row (the thread stays readable) and clears the text; hiding keeps the text
    for the author and moderators.
    """

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("author_id", "submission_key"),
        CheckConstraint("(piece_id IS NULL) <> (commitment_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    piece_id: Mapped[int | None] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # The renderer that produced body_html (rendering.RENDERER_VERSION); `flask content rerender` updates the rest.
    rendered_with: Mapped[str] = mapped_column(String(80), default="", server_default="")
    # The form's one-time key: a double submit of the same form creates one comment.
    submission_key: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    hidden_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")

    piece: Mapped[Piece | None] = relationship()
    commitment: Mapped[Commitment | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
    open_flags: Mapped[list[Flag]] = relationship(
        primaryjoin="and_(Flag.comment_id == Comment.id, Flag.resolved_at.is_(None))",
        viewonly=True, order_by="Flag.created_at")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_visible(self) -> bool:
        """Shown in full to everyone, and counted in search."""
        return not self.is_deleted and not self.is_hidden

    def __repr__(self) -> str:
        return f"<Comment {self.id} on piece {self.piece_id} / commitment {self.commitment_id}>"


class FlagReason(enum.Enum):
    SPAM = "spam"
    ABUSIVE = "abusive"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class FlagResolution(enum.Enum):
    HIDDEN = "hidden"
    DISMISSED = "dismissed"


class Flag(db.Model):
    """A user's report that a comment needs a moderator; open until resolved."""

    __tablename__ = "comment_flags"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[FlagReason] = mapped_column(
        db.Enum(FlagReason, name="flag_reason", values_callable=lambda items: [i.value for i in items]))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True), index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[FlagResolution | None] = mapped_column(
        db.Enum(FlagResolution, name="flag_resolution", values_callable=lambda items: [i.value for i in items]))

    comment: Mapped[Comment] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class CommentBlock(db.Model):
    """A user a coordinator has stopped from commenting, with who, when and why."""

    __tablename__ = "comment_blocks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    blocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    blocked_by: Mapped[User | None] = relationship(foreign_keys=[blocked_by_id])
