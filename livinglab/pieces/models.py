"""Pieces: practices, case studies and SPBE improvements, with their indicators, tags, revisions and files."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup
from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from livinglab.clock import utcnow
from livinglab.extensions import db
from livinglab.rendering import RENDERER_VERSION, render_markdown, stored_markup

if TYPE_CHECKING:
    from livinglab.accounts.models import User
    from livinglab.indicators.models import Indicator
    from livinglab.regencies.models import Regency


class PieceKind(enum.Enum):
    PRACTICE = "practice"
    CASE_STUDY = "case_study"
    IMPROVEMENT = "improvement"


class PieceStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


def _enum(kind: type[enum.Enum], name: str) -> db.Enum:
    return db.Enum(kind, name=name, values_callable=lambda members: [m.value for m in members])


piece_tags = Table(
    "piece_tags",
    db.metadata,
    Column("piece_id", Integer, ForeignKey("pieces.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    """A free keyword, stored once in lower case."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"


class Piece(db.Model):
    """The unit of knowledge a regency publishes."""

    __tablename__ = "pieces"
    # Lists of published pieces, newest first (home, indicator and regency pages) walk this index in order.
    __table_args__ = (Index("ix_pieces_status_published", "status", "published_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PieceKind] = mapped_column(_enum(PieceKind, "piece_kind"), index=True)
    status: Mapped[PieceStatus] = mapped_column(
        _enum(PieceStatus, "piece_status"), default=PieceStatus.DRAFT, index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # The body rendered and sanitised at save, and the renderer that did it (rendering.RENDERER_VERSION).
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    rendered_with: Mapped[str] = mapped_column(String(80), default="", server_default="")
    language: Mapped[str] = mapped_column(String(5), default="id")
    regency_code: Mapped[str] = mapped_column(ForeignKey("regencies.code"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    period_start_on: Mapped[date | None] = mapped_column(Date)
    period_end_on: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True), index=True)
    # Optimistic locking: every UPDATE checks and raises it, so a save based on an older version fails.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}

    regency: Mapped[Regency] = relationship()
    author: Mapped[User | None] = relationship()
    targets: Mapped[list[PieceIndicator]] = relationship(
        back_populates="piece", cascade="all, delete-orphan", order_by="PieceIndicator.position"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=piece_tags, order_by="Tag.name")
    revisions: Mapped[list[PieceRevision]] = relationship(
        back_populates="piece", cascade="all, delete-orphan", order_by="PieceRevision.number"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="piece", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    @property
    def is_published(self) -> bool:
        return self.status is PieceStatus.PUBLISHED

    @property
    def indicators(self) -> list[Indicator]:
        return [target.indicator for target in self.targets]

    def body_markup(self) -> Markup:
        """The body as safe HTML: as stored at save, or rendered now when another renderer stored it."""
        if self.rendered_with == RENDERER_VERSION:
            return stored_markup(self.body_html)
        return render_markdown(self.body)

    def render_body(self) -> None:
        self.body_html, self.rendered_with = str(render_markdown(self.body)), RENDERER_VERSION

    @property
    def year(self) -> int:
        """The year the piece was published (or created, for drafts)."""
        return (self.published_at or self.created_at).year

    def __repr__(self) -> str:
        return f"<Piece {self.id} {self.kind.value} {self.status.value}>"


class PieceIndicator(db.Model):
    """An indicator a piece aims to raise, with the levels before and after when known (case studies)."""

    __tablename__ = "piece_indicators"
    __table_args__ = (UniqueConstraint("piece_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    level_before: Mapped[int | None]
    level_after: Mapped[int | None]

    piece: Mapped[Piece] = relationship(back_populates="targets")
    indicator: Mapped[Indicator] = relationship()


class PieceRevision(db.Model):
    """A saved state of a piece: who saved it, when, and what it said."""

    __tablename__ = "piece_revisions"
    __table_args__ = (UniqueConstraint("piece_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    note: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    indicator_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    tag_names: Mapped[list[Any]] = mapped_column(JSON, default=list)

    piece: Mapped[Piece] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class Attachment(db.Model):
    """A file attached to a piece, stored under UPLOAD_DIR with a generated name."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    # Text of PDF and DOCX files for search, filled in by the search drain (None: not extracted yet).
    extracted_text: Mapped[str | None] = mapped_column(Text, deferred=True)

    piece: Mapped[Piece] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@event.listens_for(Piece, "before_insert")
@event.listens_for(Piece, "before_update")
def _store_body_html(_mapper, _connection, piece: Piece) -> None:
    """Render the body whenever it is saved changed, or was stored by another renderer."""
    if piece.rendered_with != RENDERER_VERSION or inspect(piece).attrs.body.history.has_changes():
        piece.render_body()
