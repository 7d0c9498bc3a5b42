"""The search queue: ids of pieces whose index document must be refreshed."""

from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from livinglab.clock import utcnow
from livinglab.extensions import db


class SearchQueueItem(db.Model):
    """A piece to re-index, written in the same transaction as the change that made it stale."""

    __tablename__ = "search_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    piece_id: Mapped[int] = mapped_column(Integer, index=True)
    queued_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
