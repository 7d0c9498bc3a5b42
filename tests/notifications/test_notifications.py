"""Notifications in the app and by e-mail: the list, read state, immediate mails and daily digests."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from livinglab.accounts.models import EmailFrequency, utcnow
from livinglab.comments import services as comments
from livinglab.extensions import db
from livinglab.notifications import services
from livinglab.notifications.models import Notification
from livinglab.pieces.services import archive_piece


@pytest.fixture
def outbox(monkeypatch):
    """Every e-mail the notification services send, as (to, subject, body)."""
    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr(services, "send_mail", lambda to, subject, body: sent.append((to, subject, body)))
    return sent


def _comment(author, piece, body, minutes_ago=0, parent=None):
    comment = comments.add_comment(author, piece, body, parent=parent,
                                   now=utcnow() - timedelta(minutes=minutes_ago))
    db.session.commit()
    return comment


def test_header_count_list_open_and_mark_read(client, make_piece, make_user, login_as):
    piece = make_piece(title="Layanan izin satu pintu")
    asker = make_user(name="Putri Penanya")
    comment = _comment(asker, piece, "Apakah bisa direplikasi di kabupaten kecil?")
    _comment(asker, piece, "Satu pertanyaan lagi.", minutes_ago=-1)
    login_as(piece.author)
    page = client.get("/notifications").get_data(as_text=True)
    assert 'class="count">2<' in page and "Putri Penanya mengomentari “Layanan izin satu pintu”" in page
    first = db.session.scalars(select(Notification).order_by(Notification.id)).first()
    response = client.get(f"/notifications/{first.id}")
    assert response.status_code == 302 and response.headers["Location"] == f"/pieces/{piece.id}#comment-{comment.id}"
    assert 'class="count">1<' in client.get("/notifications").get_data(as_text=True)
    assert client.post("/notifications/read-all").status_code == 302
    page = client.get("/notifications?show=unread").get_data(as_text=True)
    assert "Tidak ada notifikasi yang belum dibaca." in page and 'class="count"' not in page


def test_nobody_opens_or_reads_another_users_notifications(client, make_piece, make_user, login_as):
    piece = make_piece()
    _comment(make_user(), piece, "Untuk penulis.")
    note = db.session.scalar(select(Notification))
    login_as(make_user())
    assert client.get(f"/notifications/{note.id}").status_code == 404
    assert client.post(f"/notifications/{note.id}/read").status_code == 404
    client.post("/notifications/read-all")
    db.session.refresh(note)
    assert note.read_at is None
    client.post("/logout")
    assert client.get("/notifications").status_code == 302


def test_immediate_mail_once_per_notification_and_never_twice(app, make_piece, make_user, outbox):
    piece = make_piece(title="Pusat data bersama")
    _comment(make_user(name="Budi"), piece, "Berapa kapasitas rak yang dipakai?")
    assert services.send_immediate() == 1
    to, subject, body = outbox[0]
    assert to == piece.author.email and "Budi mengomentari “Pusat data bersama”" in subject
    assert "Berapa kapasitas rak" in body and f"{app.config['SITE_URL']}/pieces/{piece.id}#comment-" in body
    assert services.send_immediate() == 0 and len(outbox) == 1  # safe to run twice


def test_preferences_never_and_read_items_are_not_mailed(make_piece, make_user, outbox):
    piece = make_piece()
    piece.author.email_frequency = EmailFrequency.NEVER
    reader = make_user()
    reader_piece = make_piece()
    db.session.commit()
    _comment(reader, piece, "Untuk penulis yang tidak mau surel.")
    _comment(make_user(), reader_piece, "Sudah dibaca di aplikasi.")
    services.mark_all_read(reader_piece.author)
    db.session.commit()
    assert services.send_immediate() == 0 and services.send_digests() == 0 and outbox == []


def test_daily_digest_groups_by_subject_newest_first(app, make_piece, make_user, outbox):
    author = make_user("official")
    author.email_frequency = EmailFrequency.DAILY
    old_piece = make_piece(author=author, title="Tulisan lama")
    new_piece = make_piece(author=author, title="Tulisan baru")
    db.session.commit()
    peer = make_user(name="Sari")
    _comment(peer, old_piece, "Komentar pertama di tulisan lama.", minutes_ago=30)
    _comment(peer, new_piece, "Komentar di tulisan baru.", minutes_ago=20)
    _comment(peer, old_piece, "Komentar kedua di tulisan lama.", minutes_ago=10)
    assert services.send_immediate() == 0  # daily users wait for the digest
    assert services.send_digests() == 1
    to, subject, body = outbox[0]
    assert to == author.email and "Ringkasan harian" in subject and "3" in subject
    assert body.index("## Tulisan lama") < body.index("## Tulisan baru")  # the newest item is on "Tulisan lama"
    assert body.index("Komentar kedua") < body.index("Komentar pertama")
    assert services.send_digests() == 0 and len(outbox) == 1
    _comment(peer, new_piece, "Komentar sesudah ringkasan.")
    assert services.send_digests() == 1 and "Komentar sesudah ringkasan" in outbox[1][2]
    assert "Komentar pertama" not in outbox[1][2]  # never the same item twice


def test_a_failed_send_is_retried_by_the_next_run(make_piece, make_user, monkeypatch):
    piece = make_piece()
    _comment(make_user(), piece, "Surel ini gagal dulu.")

    def broken(*args):
        raise OSError("SMTP tidak tersedia")

    monkeypatch.setattr(services, "send_mail", broken)
    assert services.send_immediate() == 0
    sent = []
    monkeypatch.setattr(services, "send_mail", lambda *args: sent.append(args))
    assert services.send_immediate() == 1 and len(sent) == 1


def test_old_unread_items_are_not_mailed_after_switching_to_email(app, make_piece, make_user, outbox):
    piece = make_piece()
    piece.author.email_frequency = EmailFrequency.NEVER
    db.session.commit()
    _comment(make_user(), piece, "Lama sekali.", minutes_ago=60 * 24 * (app.config["NOTIFICATION_MAIL_MAX_AGE_DAYS"] + 1))
    piece.author.email_frequency = EmailFrequency.IMMEDIATELY
    db.session.commit()
    assert services.send_immediate() == 0


def test_cli_commands_are_safe_to_run_twice(runner, make_piece, make_user, outbox):
    piece = make_piece()
    _comment(make_user(), piece, "Untuk cron.")
    first = runner.invoke(args=["notifications", "send"])
    second = runner.invoke(args=["notifications", "send"])
    assert first.exit_code == 0 and "Sent 1" in first.output and "Sent 0" in second.output
    digest = runner.invoke(args=["notifications", "send-digests"])
    assert digest.exit_code == 0 and "Sent 0 digests" in digest.output
    assert len(outbox) == 1


def test_archiving_a_followed_piece_tells_its_followers(make_piece, make_user):
    piece, follower = make_piece(title="Akan diarsipkan"), make_user()
    services.follow(follower, "piece", piece.id)
    archive_piece(piece, piece.author)
    db.session.commit()
    note = db.session.scalar(select(Notification).where(Notification.user_id == follower.id))
    assert note and services.describe(note).endswith("“Akan diarsipkan”: diarsipkan")
