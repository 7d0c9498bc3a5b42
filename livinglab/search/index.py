"""The Whoosh index: one open searcher per process, the drain of the search queue, rebuild and check.

The database is the truth. `drain()` takes the index writer first and only then reads the queue, so
the last writer always indexes the newest committed data; queue rows are deleted only after the
index commit, so a crash in between is repaired by the next drain or `flask search sync`.
"""

import logging
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload, selectinload, undefer
from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, LockError
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from livinglab.comments.models import Comment
from livinglab.extensions import db
from livinglab.indicators.models import Aspect, Indicator
from livinglab.pieces.models import Attachment, Piece, PieceIndicator, PieceStatus
from livinglab.regencies.models import Regency
from livinglab.search.building import BuildWriter, commit_segments, split, write_parts
from livinglab.search.documents import extract_text, piece_document, plain_text, schema
from livinglab.search.hooks import SKIP
from livinglab.search.models import SearchQueueItem

log = logging.getLogger(__name__)
BATCH = 500
MIN_PART = 2_000  # fewer pieces than this per process: forking costs more than it saves
BUILD_POOL_MB = 256  # postings held in memory per rebuilding process before they spill to disk
OPEN_ATTEMPTS = 5
_lock = threading.Lock()
_searchers: dict[str, Searcher] = {}
# Replaced searchers stay open for a grace period (a request may still be reading one), then close,
# which releases their files and memory maps without waiting for the garbage collector.
RETIRE_AFTER = 60.0
_retired: list[tuple[float, Searcher]] = []


def index_dir() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


# Writers use compound=False: Whoosh copies every file of a compound segment into memory when it
# opens a reader (1 GB for 100,000 pieces), while separate files are memory-mapped.


def open_index(create: bool = False):
    """The index in SEARCH_INDEX_DIR, created empty when missing (or when `create` asks for a new one)."""
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not create:
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return whoosh_index.open_dir(str(folder))
            except EmptyIndexError:
                break
            except FileNotFoundError:
                # Another process committed between Whoosh finding the newest generation and opening
                # it, and removed that generation's files: the next attempt finds the newer one.
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
    return whoosh_index.create_in(str(folder), schema())


def searcher() -> Searcher:
    """This process's searcher, refreshed when another writer has committed since it was opened."""
    key = str(index_dir())
    with _lock:
        current = _searchers.get(key)
        if current is None:
            current = _searchers[key] = open_index().searcher()
        elif not current.up_to_date():
            # A new searcher, not `current.refresh()`: Whoosh's refresh keeps readers of segments the
            # new generation replaced, so an edited or hidden document would still be found.
            _retired.append((time.monotonic(), current))
            current = _searchers[key] = open_index().searcher()
        _close_retired(time.monotonic())
        return current


def _close_retired(now: float) -> None:
    while _retired and now - _retired[0][0] > RETIRE_AFTER:
        _retired.pop(0)[1].close()


def forget_searchers() -> None:
    """Close every cached searcher (tests and rebuilds)."""
    with _lock:
        for cached in [*_searchers.values(), *(searcher for _, searcher in _retired)]:
            cached.close()
        _searchers.clear()
        _retired.clear()


def _load(session: Session, ids: Iterable[int]) -> list[Piece]:
    query = select(Piece).where(Piece.id.in_(list(ids)), Piece.status == PieceStatus.PUBLISHED).options(
        joinedload(Piece.regency).joinedload(Regency.province),
        selectinload(Piece.targets).joinedload(PieceIndicator.indicator).joinedload(Indicator.aspect)
        .joinedload(Aspect.domain),
        selectinload(Piece.tags),
        selectinload(Piece.attachments).options(undefer(Attachment.extracted_text)),
    ).order_by(Piece.id)  # documents in id order on every database: the same index from the same data
    return list(session.scalars(query))


def _extract_missing(pieces: list[Piece]) -> None:
    for piece in pieces:
        for attachment in piece.attachments:
            if attachment.extracted_text is None:
                attachment.extracted_text = extract_text(attachment)


def _comment_texts(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """The shown comments of these pieces as plain text: a discussion counts towards its piece."""
    query = (select(Comment.piece_id, Comment.body)
             .where(Comment.piece_id.in_(list(ids)), Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
             .order_by(Comment.id))
    texts: dict[int, list[str]] = {}
    for piece_id, body in session.execute(query):
        texts.setdefault(piece_id, []).append(plain_text(body))
    return {piece_id: " ".join(parts) for piece_id, parts in texts.items()}


def _documents(session: Session, pieces: list[Piece]) -> Iterable[dict]:
    texts = _comment_texts(session, [p.id for p in pieces])
    return (piece_document(piece, extra_text=texts.get(piece.id, "")) for piece in pieces)


def _write(writer: IndexWriter, session: Session, ids: set[int]) -> None:
    pieces = _load(session, ids)
    _extract_missing(pieces)
    published = {p.id for p in pieces}
    known = set(writer.schema.names())  # an index built before a field was added takes the others
    for document in _documents(session, pieces):
        writer.update_document(**{name: value for name, value in document.items() if name in known})
    for stale in ids - published:
        writer.delete_by_term("id", str(stale))


def _session() -> Session:
    """A short-lived session of the drain's own, whose changes never queue pieces again."""
    return Session(bind=db.engine, info={SKIP: True}, expire_on_commit=False)


def drain(timeout: float | None = None) -> int:
    """Index the queued pieces; returns how many queue rows were handled (0 when the index is busy)."""
    timeout = current_app.config["SEARCH_WRITER_TIMEOUT"] if timeout is None else timeout
    try:
        writer = open_index().writer(timeout=timeout, compound=False)
    except LockError:
        log.info("Search index busy; queued pieces wait for the next drain.")
        return 0
    session = _session()
    committed = False
    try:
        rows = session.execute(select(SearchQueueItem.id, SearchQueueItem.piece_id).order_by(SearchQueueItem.id).limit(
            current_app.config["SEARCH_DRAIN_BATCH"])).all()
        if not rows:
            return 0
        _write(writer, session, {piece_id for _, piece_id in rows})
        writer.commit()
        committed = True
        session.execute(delete(SearchQueueItem).where(SearchQueueItem.id.in_([row_id for row_id, _ in rows])))
        session.commit()
        return len(rows)
    finally:
        if not committed:
            writer.cancel()
        session.close()


def drain_all() -> int:
    """Drain until the queue is empty or the index stays busy."""
    total = 0
    while (handled := drain()) > 0:
        total += handled
    return total


def queue_length() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchQueueItem)) or 0


def indexed_ids() -> set[int]:
    return {int(fields["id"]) for fields in searcher().all_stored_fields()}


def published_ids(session: Session | None = None) -> set[int]:
    session = session or db.session
    return set(session.scalars(select(Piece.id).where(Piece.status == PieceStatus.PUBLISHED)))


def drift() -> tuple[set[int], set[int]]:
    """(published pieces missing from the index, indexed ids that are not published pieces)."""
    in_index, in_database = indexed_ids(), published_ids()
    return in_database - in_index, in_index - in_database


def rebuild(progress=None) -> int:
    """Recreate the index from the database with the schema in code; `progress(n)` is called after each
    batch of n pieces. Returns the number of pieces indexed.

    The published ids are cut into SEARCH_BUILD_PROCS contiguous parts, each written as one new segment
    by a forked process (building.py); this process holds the index's lock throughout and swaps every old
    segment for the new ones in one commit (searchers see the old index until then)."""
    ix = open_index()
    # Take the lock before anything is read: a busy index stays as it was.
    writer = ix.writer(timeout=current_app.config["SEARCH_WRITER_TIMEOUT"] * 5, compound=False)
    try:
        session = _session()
        try:
            ids = sorted(published_ids(session))
        finally:
            session.close()
        procs = max(1, min(current_app.config["SEARCH_BUILD_PROCS"], len(ids) // MIN_PART))
        parts = split(ids, procs)
        write = partial(_write_part, current_app._get_current_object(), ix, len(parts) > 1)
        results = write_parts(parts, write, progress)
        commit_segments(writer, schema(), results)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    forget_searchers()
    return sum(count for _, count in results)


def _write_part(app, ix, forked: bool, ids: list[int], progress=None):
    """Index these pieces as one new segment: (the segment or None when none is still published, count)."""
    with app.app_context():
        if forked:
            db.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
        writer = BuildWriter(ix, schema=schema(), _lk=False, compound=False, limitmb=BUILD_POOL_MB)
        session, count = _session(), 0
        try:
            for start in range(0, len(ids), BATCH):
                batch = ids[start:start + BATCH]
                pieces = _load(session, batch)
                _extract_missing(pieces)
                for document in _documents(session, pieces):
                    writer.add_document(**document)
                count += len(pieces)
                session.commit()
                session.expunge_all()
                if progress:
                    progress(len(batch))
            if not count:
                writer.abandon()
                return None, 0
            return writer.finish(), count
        except BaseException:
            writer.abandon()
            raise
        finally:
            session.close()


def enqueue(ids: Iterable[int]) -> None:
    """Queue pieces explicitly (used by `search sync` to repair drift)."""
    db.session.add_all(SearchQueueItem(piece_id=i) for i in ids)
