"""Rules for writing pieces: create, edit (with a revision), publish, archive, restore."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import bindparam, select, update

from livinglab.accounts.models import User
from livinglab.audit.services import record_event
from livinglab.clock import utcnow
from livinglab.extensions import db
from livinglab.indicators.models import Indicator
from livinglab.notifications import services as notifications
from livinglab.notifications.models import NotificationKind
from livinglab.pieces.models import Piece, PieceIndicator, PieceKind, PieceRevision, PieceStatus, Tag
from livinglab.regencies.models import Regency
from livinglab.rendering import RENDERER_VERSION, render_markdown

MAX_TAGS = 10


class PieceError(ValueError):
    """A broken publishing rule; `message` is shown to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PieceConflict(PieceError):
    """The piece was saved by someone else after the editor was loaded."""


@dataclass
class PieceInput:
    """What an author submits; the form builds it, services check it."""

    kind: PieceKind
    title: str
    summary: str
    body: str
    language: str
    indicator_ids: list[int]
    tags: list[str] = field(default_factory=list)
    period_start_on: date | None = None
    period_end_on: date | None = None
    levels: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, lower-cased, without duplicates, in the order given."""
    seen: dict[str, None] = {}
    for raw in text.split(","):
        name = " ".join(raw.split()).lower()[:50]
        if name:
            seen.setdefault(name, None)
    return list(seen)[:MAX_TAGS]


def _tags(names: list[str]) -> list[Tag]:
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))} if names else {}
    tags = []
    for name in names:
        tag = existing.get(name) or Tag(name=name)
        db.session.add(tag)
        tags.append(tag)
    return tags


def _indicators(ids: list[int]) -> list[Indicator]:
    found = {i.id: i for i in db.session.scalars(select(Indicator).where(Indicator.id.in_(ids)))} if ids else {}
    missing = [i for i in ids if i not in found]
    if missing:
        raise PieceError(_("Please choose indicators from the list."), field="indicators")
    return [found[i] for i in dict.fromkeys(ids)]


def _check(data: PieceInput) -> None:
    if data.period_start_on and data.period_end_on and data.period_end_on < data.period_start_on:
        raise PieceError(_("The period must end after it starts."), field="period_end_on")


def _apply(piece: Piece, data: PieceInput) -> None:
    """Copy the submitted values onto the piece; levels are kept only for case studies."""
    _check(data)
    indicators = _indicators(data.indicator_ids)
    is_case = data.kind is PieceKind.CASE_STUDY
    piece.kind, piece.language = data.kind, data.language
    piece.title, piece.slug = data.title.strip(), slugify(data.title, max_length=150) or "piece"
    piece.summary, piece.body = data.summary.strip(), data.body.strip()
    piece.period_start_on = data.period_start_on if is_case else None
    piece.period_end_on = data.period_end_on if is_case else None
    current = {t.indicator_id: t for t in piece.targets}
    targets = []
    for position, indicator in enumerate(indicators):
        target = current.get(indicator.id) or PieceIndicator(indicator=indicator)
        target.position = position
        before, after = data.levels.get(indicator.id, (None, None)) if is_case else (None, None)
        target.level_before, target.level_after = before, after
        targets.append(target)
    piece.targets = targets
    piece.tags = _tags(data.tags)


def _snapshot(piece: Piece) -> dict:
    return {
        "title": piece.title,
        "summary": piece.summary,
        "body": piece.body,
        "indicator_codes": [t.indicator.code for t in piece.targets],
        "tag_names": [t.name for t in piece.tags],
    }


def _add_revision(piece: Piece, by: User | None, note: str) -> PieceRevision:
    number = (piece.revisions[-1].number if piece.revisions else 0) + 1
    revision = PieceRevision(number=number, author_id=by.id if by else None, note=note[:200], **_snapshot(piece))
    piece.revisions.append(revision)
    return revision


def create_piece(author: User, regency: Regency, data: PieceInput, note: str = "") -> Piece:
    """A new draft of the author's regency, with its first revision."""
    piece = Piece(regency=regency, author=author, status=PieceStatus.DRAFT)
    _apply(piece, data)
    db.session.add(piece)
    _add_revision(piece, author, note)
    db.session.flush()
    record_event("piece.created", "piece", piece.id, actor=author, regency=regency.code)
    return piece


def check_version(piece: Piece, based_on: int) -> None:
    """Lock the piece's row and refuse an edit based on another version than the saved one.

    The row lock (PostgreSQL) makes parallel saves wait here and then see the newer version; the
    version column in every UPDATE catches what slips past (SQLite, other writers) as StaleDataError.
    """
    current = db.session.scalar(select(Piece.version).where(Piece.id == piece.id).with_for_update())
    if based_on != current or based_on != piece.version:
        raise PieceConflict(_("Someone else saved this piece while you were editing it."))


def update_piece(piece: Piece, by: User, data: PieceInput, note: str = "", based_on: int | None = None) -> bool:
    """Apply an edit (refused when `based_on` is not the saved version); a revision is kept when anything it
    records changed. Returns whether it did."""
    if based_on is not None:
        check_version(piece, based_on)
    before = _snapshot(piece)
    _apply(piece, data)
    piece.updated_at = utcnow()
    changed = _snapshot(piece) != before
    if changed:
        _add_revision(piece, by, note)
    if by.regency_code != piece.regency_code:
        record_event("piece.edited_by_coordinator", "piece", piece.id, actor=by, regency=piece.regency_code)
    return changed


def publishing_problems(summary: str, body: str, has_indicators: bool) -> list[PieceError]:
    """What a piece still lacks before it can be published: a summary, a body, an indicator."""
    problems = []
    if not has_indicators:
        problems.append(PieceError(_("Choose at least one indicator this piece aims to raise before publishing."),
                                   field="indicators"))
    if not summary.strip():
        problems.append(PieceError(_("Write a summary before publishing."), field="summary"))
    if not body.strip():
        problems.append(PieceError(_("Write the text before publishing."), field="body"))
    return problems


def publish_piece(piece: Piece, by: User) -> None:
    """Make a draft public; it needs a summary, a body and at least one indicator."""
    problems = publishing_problems(piece.summary or "", piece.body or "", bool(piece.targets))
    if problems:
        raise problems[0]
    if piece.status is PieceStatus.PUBLISHED:
        return
    piece.status = PieceStatus.PUBLISHED
    piece.published_at = piece.published_at or utcnow()
    record_event("piece.published", "piece", piece.id, actor=by)
    for follower in {by, piece.author} - {None}:
        notifications.follow(follower, "piece", piece.id)


def piece_subject(piece: Piece) -> notifications.Subject:
    """The piece as notifications name it; the short path keeps working when the title changes."""
    return notifications.Subject("piece", piece.id, piece.title, f"/pieces/{piece.id}")


def archive_piece(piece: Piece, by: User) -> None:
    """Withdraw a piece from lists and search; its page stays readable with a notice."""
    if piece.status is PieceStatus.ARCHIVED:
        return
    previous = piece.status.value
    piece.status = PieceStatus.ARCHIVED
    record_event("piece.archived", "piece", piece.id, actor=by, previous=previous)
    notifications.notify_followers(NotificationKind.STATUS, piece_subject(piece), actor=by, detail="archived")


def restore_piece(piece: Piece, by: User) -> None:
    """Bring an archived piece back: published if it had been published, else a draft."""
    if piece.status is not PieceStatus.ARCHIVED:
        return
    piece.status = PieceStatus.PUBLISHED if piece.published_at else PieceStatus.DRAFT
    record_event("piece.restored", "piece", piece.id, actor=by, status=piece.status.value)
    notifications.notify_followers(NotificationKind.STATUS, piece_subject(piece), actor=by, detail="restored")


def rerender_stale_pieces(batch: int = 500) -> int:
    """Store the body HTML of every piece stored by another renderer (or none), in batches, each committed;
    the pieces' edit versions are left alone, so nobody editing meanwhile meets a conflict. Returns how many."""
    stale = select(Piece.id).where(Piece.rendered_with != RENDERER_VERSION).order_by(Piece.id)
    ids = list(db.session.scalars(stale))
    for start in range(0, len(ids), batch):
        rows = db.session.execute(select(Piece.id, Piece.body).where(Piece.id.in_(ids[start:start + batch])))
        table = Piece.__table__
        db.session.execute(
            update(table).where(table.c.id == bindparam("piece_id")).values(body_html=bindparam("html"),
                                                                           rendered_with=RENDERER_VERSION),
            [{"piece_id": piece_id, "html": str(render_markdown(body))} for piece_id, body in rows],
        )
        db.session.commit()
    return len(ids)
