"""Notifications reach only people who may see their subject, when created and again when shown or mailed."""

import pytest
from sqlalchemy import select

from livinglab.accounts.models import EmailFrequency
from livinglab.accounts.services import change_role
from livinglab.comments import services as comments
from livinglab.extensions import db
from livinglab.notifications import services
from livinglab.notifications.models import Notification
from livinglab.roles import Role


@pytest.fixture
def outbox(monkeypatch):
    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr(services, "send_mail", lambda to, subject, body: sent.append((to, subject, body)))
    return sent


@pytest.fixture
def draft_scene(make_piece, make_regency, make_user):
    """A draft followed by its author, an official of the regency, and a colleague who comments on it."""
    piece = make_piece(status="draft", title="Rencana rahasia pusat data")
    author = piece.author
    services.follow(author, "piece", piece.id)
    colleague = make_user("official", regency=piece.regency)
    db.session.commit()
    return piece, author, colleague, make_regency()


def _move(user, regency, admin):
    change_role(user, Role.OFFICIAL, regency.code, by=admin)
    db.session.commit()


def test_an_official_moved_away_hears_nothing_about_the_drafts_new_comments(draft_scene, make_user):
    piece, author, colleague, elsewhere = draft_scene
    _move(author, elsewhere, make_user("admin"))
    comments.add_comment(colleague, piece, "Anggaran rak sudah disetujui.")
    db.session.commit()
    assert db.session.scalars(select(Notification).where(Notification.user_id == author.id)).all() == []


def test_a_notification_made_before_the_move_is_neither_listed_nor_mailed(draft_scene, make_user, client, login_as,
                                                                           outbox):
    piece, author, colleague, elsewhere = draft_scene
    author.email_frequency = EmailFrequency.IMMEDIATELY
    comments.add_comment(colleague, piece, "Anggaran rak sudah disetujui.")
    db.session.commit()
    note = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert note is not None  # they could see the draft when it was written
    login_as(author)
    assert "Rencana rahasia" in client.get("/notifications").get_data(as_text=True)

    _move(author, elsewhere, make_user("admin"))
    page = client.get("/notifications").get_data(as_text=True)
    assert "Rencana rahasia" not in page and "Anggaran rak" not in page and 'class="count"' not in page
    assert "Rencana rahasia" not in client.get("/notifications?show=unread").get_data(as_text=True)
    assert client.get(f"/notifications/{note.id}").status_code == 404
    assert services.send_immediate() == 0 and outbox == []
    db.session.refresh(note)
    assert note.emailed_at is not None  # claimed, so a later run does not mail it either


def test_the_daily_digest_leaves_out_drafts_the_reader_lost(draft_scene, make_piece, make_user, outbox):
    piece, author, colleague, elsewhere = draft_scene
    author.email_frequency = EmailFrequency.DAILY
    public = make_piece(author=author, title="Layanan terbuka")
    comments.add_comment(colleague, piece, "Catatan di draf.")
    comments.add_comment(colleague, public, "Catatan di praktik terbit.")
    db.session.commit()
    _move(author, elsewhere, make_user("admin"))
    assert services.send_digests() == 1
    _to, subject, body = outbox[0]
    assert "Layanan terbuka" in body and "Rencana rahasia" not in body and "Catatan di draf" not in body
    assert "1" in subject


def test_coordinators_keep_hearing_about_drafts(draft_scene, make_user):
    piece, _author, colleague, _elsewhere = draft_scene
    coordinator = make_user("coordinator")
    services.follow(coordinator, "piece", piece.id)
    comments.add_comment(colleague, piece, "Mohon ditinjau.")
    db.session.commit()
    assert db.session.scalar(select(Notification).where(Notification.user_id == coordinator.id)) is not None
