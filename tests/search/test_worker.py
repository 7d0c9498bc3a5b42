"""When the queue is drained: before a process's first request, periodically without writes; /healthz age."""

import time
from datetime import timedelta

from flask import Flask

from livinglab import create_app
from livinglab.clock import utcnow
from livinglab.extensions import db
from livinglab.search import index
from livinglab.search.models import SearchQueueItem
from tests.conftest import test_config


def _left_behind(app: Flask, make_piece):
    """A published piece whose queue row was never drained, as after a crash."""
    app.config["SEARCH_DRAIN"] = "off"
    try:
        piece = make_piece(title="Tertinggal setelah kerusakan")
    finally:
        app.config["SEARCH_DRAIN"] = "inline"
    assert index.queue_length() >= 1
    return piece


def _new_process(app: Flask, database_url, tmp_path_factory, **settings) -> Flask:
    """A second app on the same database and index, as a restarted worker would be."""
    return create_app({**test_config(database_url, tmp_path_factory),
                       "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], **settings})


def _wait_for_empty_queue(seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()  # see the drain thread's commits
        if index.queue_length() == 0:
            return True
        time.sleep(0.05)
    return False


def test_a_row_left_behind_is_drained_before_the_first_request(app, make_piece, database_url, tmp_path_factory):
    piece = _left_behind(app, make_piece)
    restarted = _new_process(app, database_url, tmp_path_factory)
    assert restarted.test_client().get("/healthz").status_code == 200
    db.session.rollback()
    assert index.queue_length() == 0 and index.drift() == (set(), set())
    assert piece.id in index.indexed_ids()
    with restarted.app_context():
        db.engine.dispose()


def test_the_drain_thread_starts_with_the_first_request_and_drains_without_writes(
        app, make_piece, database_url, tmp_path_factory):
    piece = _left_behind(app, make_piece)
    restarted = _new_process(app, database_url, tmp_path_factory, SEARCH_DRAIN="background", SEARCH_DRAIN_INTERVAL=0.05)
    try:
        restarted.test_client().get("/")
        assert _wait_for_empty_queue(), "the row left behind was not drained at start"
        db.session.add(SearchQueueItem(piece_id=piece.id))  # queued without any piece change: no notification
        db.session.commit()
        assert _wait_for_empty_queue(), "the periodic drain did not run"
    finally:
        restarted.config["SEARCH_DRAIN_INTERVAL"] = 3600  # park the daemon thread for the rest of the session


def test_healthz_is_degraded_while_a_queued_piece_waits_too_long(client, app, make_piece):
    piece = make_piece()
    client.get("/")  # the first request of the process has drained whatever was queued
    db.session.add(SearchQueueItem(piece_id=piece.id, queued_at=utcnow() - timedelta(seconds=600)))
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded" and response.json["search"]["status"] == "degraded"
    assert response.json["search"]["oldest_queued_seconds"] >= 600 and response.json["search"]["queue"] == 1


def test_healthz_is_ok_with_a_fresh_row_or_an_empty_queue(client, app, make_piece):
    piece = make_piece()
    client.get("/")
    assert client.get("/healthz").json["search"]["oldest_queued_seconds"] is None
    db.session.add(SearchQueueItem(piece_id=piece.id))
    db.session.commit()
    body = client.get("/healthz").json
    assert body["status"] == "ok" and body["search"]["status"] == "ok" and body["search"]["oldest_queued_seconds"] < 60
