"""Queue affected pieces on every flush, in the same transaction; start a drain after the commit."""

from collections.abc import Callable

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from livinglab.comments.models import Comment
from livinglab.indicators.models import Aspect, Domain, Indicator
from livinglab.pieces.models import Attachment, Piece, PieceIndicator
from livinglab.regencies.models import Province, Regency
from livinglab.search.models import SearchQueueItem

SKIP = "search_skip"  # session.info flag: the drain's own session never queues
QUEUED = "search_queued"

_on_commit: list[Callable[[], None]] = []

# Reference rows whose names appear in piece documents: (model, kind, key attribute, fields shown).
_SHOWN_IN_DOCUMENTS = [
    (Province, "province", "code", ("name",)),
    (Regency, "regency", "code", ("name", "province_code")),
    (Indicator, "indicator", "id", ("name_id", "name_en", "code", "aspect_id")),
    (Aspect, "aspect", "id", ("name_id", "name_en", "domain_id")),
    (Domain, "domain", "id", ("name_id", "name_en", "number")),
]
_BY_INDICATOR = select(PieceIndicator.piece_id).join(PieceIndicator.indicator)
_PIECES_OF = {
    "province": lambda keys: select(Piece.id).join(Piece.regency).where(Regency.province_code.in_(keys)),
    "regency": lambda keys: select(Piece.id).where(Piece.regency_code.in_(keys)),
    "indicator": lambda keys: select(PieceIndicator.piece_id).where(PieceIndicator.indicator_id.in_(keys)),
    "aspect": lambda keys: _BY_INDICATOR.where(Indicator.aspect_id.in_(keys)),
    "domain": lambda keys: _BY_INDICATOR.join(Indicator.aspect).where(Aspect.domain_id.in_(keys)),
}


def _name_changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def affected_piece_ids(session: Session) -> set[int]:
    """Ids of pieces whose searchable text may have changed in this flush."""
    ids: set[int] = set()
    pieces_of = {"province": set(), "regency": set(), "indicator": set(), "aspect": set(), "domain": set()}
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Piece) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, (PieceIndicator, Attachment, Comment)) and obj.piece_id is not None:
            ids.add(obj.piece_id)
        elif obj in session.dirty:
            for model, kind, key, fields in _SHOWN_IN_DOCUMENTS:
                if isinstance(obj, model) and _name_changed(obj, *fields):
                    pieces_of[kind].add(getattr(obj, key))
    for kind, keys in pieces_of.items():
        if keys:
            ids.update(session.connection().scalars(_PIECES_OF[kind](keys)))
    return ids


def _after_flush(session: Session, flush_context) -> None:
    if session.info.get(SKIP):
        return
    ids = affected_piece_ids(session)
    if ids:
        session.connection().execute(insert(SearchQueueItem.__table__), [{"piece_id": i} for i in sorted(ids)])
        session.info[QUEUED] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(QUEUED, False):
        for callback in _on_commit:
            callback()


def _after_rollback(session: Session) -> None:
    session.info.pop(QUEUED, None)


def attach(on_commit: Callable[[], None]) -> None:
    """Listen to every session once per process; `on_commit` runs after a commit that queued pieces."""
    if not _on_commit:
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda session, previous: _after_rollback(session))
    _on_commit[:] = [on_commit]
