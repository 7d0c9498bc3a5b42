"""Reads of pieces: lists with filters, entry points, and the detail page."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from livinglab.extensions import db
from livinglab.filters import QueryFilters
from livinglab.indicators.models import Aspect, Domain, Indicator
from livinglab.pieces.models import Piece, PieceIndicator, PieceKind, PieceRevision, PieceStatus, Tag, piece_tags
from livinglab.regencies.models import Regency


@dataclass
class PieceFilters(QueryFilters):
    """The filters of the piece list."""

    kind: str = ""
    domain: str = ""
    indicator: str = ""
    province: str = ""
    regency: str = ""
    tag: str = ""
    year: str = ""


def _card_options():
    """What a piece card shows, loaded in a fixed number of queries whatever the page size."""
    return (
        joinedload(Piece.regency).joinedload(Regency.province),
        selectinload(Piece.targets).joinedload(PieceIndicator.indicator),
        selectinload(Piece.tags),
    )


def _has_indicator(condition):
    return Piece.id.in_(
        select(PieceIndicator.piece_id).join(PieceIndicator.indicator).join(Indicator.aspect).where(condition)
    )


def piece_list_query(filters: PieceFilters) -> Select:
    """Published pieces matching the filters, newest first."""
    query = select(Piece).where(Piece.status == PieceStatus.PUBLISHED).options(*_card_options())
    if filters.kind in {k.value for k in PieceKind}:
        query = query.where(Piece.kind == PieceKind(filters.kind))
    if filters.domain.isdigit() and len(filters.domain) <= 2:
        query = query.where(
            _has_indicator(Aspect.domain_id.in_(select(Domain.id).where(Domain.number == int(filters.domain))))
        )
    if filters.indicator:
        query = query.where(_has_indicator(func.upper(Indicator.code) == filters.indicator.upper()))
    if filters.province:
        query = query.where(
            Piece.regency_code.in_(select(Regency.code).where(Regency.province_code == filters.province))
        )
    if filters.regency:
        query = query.where(Piece.regency_code == filters.regency)
    if filters.tag:
        tagged = select(piece_tags.c.piece_id).join(Tag).where(Tag.name == filters.tag.lower())
        query = query.where(Piece.id.in_(tagged))
    if filters.year.isdigit() and len(filters.year) == 4:
        query = query.where(extract("year", Piece.published_at) == int(filters.year))
    return query.order_by(Piece.published_at.desc(), Piece.id.desc())


def latest_published(limit: int = 6) -> list[Piece]:
    query = piece_list_query(PieceFilters()).limit(limit)
    return list(db.session.scalars(query))


def pieces_for_indicator(indicator: Indicator, limit: int = 20) -> list[Piece]:
    query = piece_list_query(PieceFilters()).where(_has_indicator(Indicator.id == indicator.id)).limit(limit)
    return list(db.session.scalars(query))


def pieces_by_author(user_id: int, limit: int = 10) -> list[Piece]:
    """A person's published pieces, newest first, for their public profile."""
    return list(db.session.scalars(piece_list_query(PieceFilters()).where(Piece.author_id == user_id).limit(limit)))


def pieces_for_regency(regency_code: str, include_unpublished: bool) -> list[Piece]:
    """The regency's published pieces; with `include_unpublished`, its drafts and archive too."""
    statuses = list(PieceStatus) if include_unpublished else [PieceStatus.PUBLISHED]
    query = (
        select(Piece).where(Piece.regency_code == regency_code, Piece.status.in_(statuses)).options(*_card_options())
        .order_by(Piece.status, Piece.updated_at.desc())
    )
    return list(db.session.scalars(query))


def piece_counts() -> dict[str, int]:
    """Published pieces per kind, and in total."""
    rows = db.session.execute(
        select(Piece.kind, func.count()).where(Piece.status == PieceStatus.PUBLISHED).group_by(Piece.kind)
    ).all()
    counts = {kind.value: count for kind, count in rows}
    counts["total"] = sum(counts.values())
    return counts


def counts_by_domain() -> dict[int, int]:
    """Number of published pieces aiming at each domain (by domain id)."""
    rows = db.session.execute(
        select(Aspect.domain_id, func.count(func.distinct(Piece.id)))
        .select_from(Piece).join(Piece.targets).join(PieceIndicator.indicator).join(Indicator.aspect)
        .where(Piece.status == PieceStatus.PUBLISHED).group_by(Aspect.domain_id)
    ).all()
    return {domain_id: count for domain_id, count in rows if domain_id is not None}


def filter_options() -> dict:
    """Choices for the list filters: tags in use and years with publications."""
    tags = db.session.execute(
        select(Tag.name, func.count())
        .join(piece_tags)
        .join(Piece)
        .where(Piece.status == PieceStatus.PUBLISHED)
        .group_by(Tag.name)
        .order_by(func.count().desc(), Tag.name)
        .limit(40)
    ).all()
    year = extract("year", Piece.published_at)
    years = db.session.scalars(
        select(year).where(Piece.status == PieceStatus.PUBLISHED).group_by(year).order_by(year.desc())
    ).all()
    regencies = db.session.execute(
        select(Regency.code, Regency.name).where(Regency.code.in_(
            select(Piece.regency_code).where(Piece.status == PieceStatus.PUBLISHED))).order_by(Regency.name)
    ).all()
    return {"tags": [t for t, _ in tags], "years": [int(y) for y in years], "regencies": regencies}


def piece_for_page(piece_id: int) -> Piece | None:
    """One piece with everything its page shows, in a fixed number of queries."""
    query = select(Piece).where(Piece.id == piece_id).options(
        joinedload(Piece.regency).joinedload(Regency.province),
        joinedload(Piece.author),
        selectinload(Piece.targets).joinedload(PieceIndicator.indicator).joinedload(Indicator.aspect)
        .joinedload(Aspect.domain),
        selectinload(Piece.tags),
        selectinload(Piece.attachments),
    )
    return db.session.scalars(query).first()


def pieces_by_id(ids: Iterable[int]) -> dict[int, Piece]:
    """Pieces by id with just what the visibility predicates read (for notifications)."""
    query = select(Piece).where(Piece.id.in_(sorted(set(ids)))).options(
        load_only(Piece.id, Piece.status, Piece.regency_code))
    return {piece.id: piece for piece in db.session.scalars(query)}


def revisions_newest_first(piece_id: int) -> list[PieceRevision]:
    query = select(PieceRevision).where(PieceRevision.piece_id == piece_id).options(joinedload(PieceRevision.author))
    return list(db.session.scalars(query.order_by(PieceRevision.number.desc())))


def revision_count(piece_id: int) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(PieceRevision).where(PieceRevision.piece_id == piece_id))
        or 0
    )
