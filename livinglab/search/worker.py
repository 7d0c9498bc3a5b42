"""When the search queue is drained, and how late it is: the per-process drain thread, the drain before a
process's first request, and the search part of /healthz."""

import logging
import threading
from datetime import UTC, datetime

from flask import Flask, current_app, has_request_context
from sqlalchemy import func, select

from livinglab.extensions import db
from livinglab.search.hooks import attach
from livinglab.search.index import drain_all, queue_length, searcher
from livinglab.search.models import SearchQueueItem

log = logging.getLogger(__name__)


class DrainWorker:
    """A daemon thread per process that drains once when it starts, after commits, and every few seconds."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def start(self) -> None:
        """Start the thread unless it runs already (safe to call from several request threads at once)."""
        with self._starting:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="search-drain", daemon=True)
                self.thread.start()

    def notify(self) -> None:
        self.start()
        self.wake.set()

    def _run(self) -> None:
        while True:
            with self.app.app_context():
                try:
                    drain_all()
                except Exception:
                    log.exception("Search drain failed; the queue keeps its rows.")
                finally:
                    db.session.remove()
            self.wake.wait(timeout=self.app.config["SEARCH_DRAIN_INTERVAL"])
            self.wake.clear()


def schedule_drain() -> None:
    """Called after a commit that queued pieces: drain now (tests), in the background, or not at all."""
    mode = current_app.config["SEARCH_DRAIN"]
    if mode == "inline" or (mode == "background" and not has_request_context()):
        drain_all()  # commands and tests index before they finish
    elif mode == "background":
        current_app.extensions["search_worker"].notify()


def drain_on_start() -> None:
    """Before a process's first request: drain what an earlier (crashed) process left, then keep draining.

    The background thread also drains every SEARCH_DRAIN_INTERVAL seconds, so rows left behind are
    indexed without waiting for the next write."""
    app = current_app._get_current_object()
    if app.extensions.get("search_started"):
        return
    app.extensions["search_started"] = True
    mode = app.config["SEARCH_DRAIN"]
    if mode == "background":
        app.extensions["search_worker"].start()
    elif mode == "inline":
        try:
            drain_all()
        except Exception:  # never refuse a request because the index is unavailable
            log.exception("Search drain at start failed; the queue keeps its rows.")


def init_app(app: Flask) -> None:
    """Give the app its drain worker, start it with the first request, and drain after queuing commits."""
    app.extensions["search_worker"] = DrainWorker(app)
    app.before_request(drain_on_start)
    attach(schedule_drain)


def oldest_queued_age(now: datetime | None = None) -> float | None:
    """Seconds since the oldest queue row was written, or None when the queue is empty."""
    oldest = db.session.scalar(select(func.min(SearchQueueItem.queued_at)))
    if oldest is None:
        return None
    if oldest.tzinfo is None:  # SQLite returns naive datetimes; they are stored in UTC
        oldest = oldest.replace(tzinfo=UTC)
    return max(0.0, ((now or datetime.now(UTC)) - oldest).total_seconds())


def status() -> dict:
    """For /healthz: document count, queue length and oldest row's age; "degraded" when that age is past
    SEARCH_QUEUE_MAX_AGE (new pieces are not reaching search), "error" when the index cannot be read."""
    try:
        age = oldest_queued_age()
        late = age is not None and age > current_app.config["SEARCH_QUEUE_MAX_AGE"]
        return {"status": "degraded" if late else "ok", "documents": searcher().doc_count(), "queue": queue_length(),
                "oldest_queued_seconds": None if age is None else round(age)}
    except Exception as error:  # report, never raise, from a health check
        db.session.rollback()
        return {"status": "error", "error": error.__class__.__name__}
