"""Queue affected pieces on every flush, in the same transaction; start a drain after the commit."""

from collections.abc import Callable

from sqlalchemy import event, inspect, insert, select
from sqlalchemy.orm import Session

from livinglab.indicators.models import Indicator
from livinglab.pieces.models import Attachment, Piece, PieceIndicator
from livinglab.regencies.models import Regency
from livinglab.search.models import SearchQueueItem

SKIP = "search_skip"  # session.info flag: the drain's own session never queues
QUEUED = "search_queued"

_on_commit: list[Callable[[], None]] = []


def _name_changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def affected_piece_ids(session: Session) -> set[int]:
    """Ids of pieces whose searchable text may have changed in this flush."""
    ids: set[int] = set()
    regencies: set[str] = set()
    indicators: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Piece) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, (PieceIndicator, Attachment)) and obj.piece_id is not None:
            ids.add(obj.piece_id)
        elif isinstance(obj, Regency) and obj in session.dirty and _name_changed(obj, "name", "province_code"):
            regencies.add(obj.code)
        elif isinstance(obj, Indicator) and obj in session.dirty and _name_changed(obj, "name_id", "name_en", "code"):
            indicators.add(obj.id)
    connection = session.connection()
    if regencies:
        ids.update(connection.scalars(select(Piece.id).where(Piece.regency_code.in_(regencies))))
    if indicators:
        ids.update(connection.scalars(select(PieceIndicator.piece_id).where(PieceIndicator.indicator_id.in_(indicators))))
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
