"""Notifications in the app and by e-mail: the list, read state, immediate mails and daily digests."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from livinglab.accounts.models import EmailFrequency
from livinglab.clock import utcnow
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
    _comment(
        make_user(), piece, "Lama sekali.", minutes_ago=60 * 24 * (app.config["NOTIFICATION_MAIL_MAX_AGE_DAYS"] + 1)
    )
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


def test_odd_query_arguments_do_not_break_the_list(client, make_piece, make_user, login_as):
    piece = make_piece()
    _comment(make_user(), piece, "Untuk penulis.")
    login_as(piece.author)
    for query in ("?notification_id=1", "?_external=1&_anchor=x", "?page=abc&show=unread"):
        assert client.get(f"/notifications{query}").status_code == 200


def test_hidden_and_deleted_comments_leave_notifications_and_are_not_mailed(make_piece, make_user, outbox):
    piece, coordinator = make_piece(), make_user("coordinator")
    author = make_user()
    hidden = _comment(author, piece, "Iklan pelatihan murah.")
    deleted = _comment(author, piece, "Salah kirim.", minutes_ago=-1)
    comments.hide_comment(hidden, coordinator, "Iklan.")
    comments.delete_comment(deleted, author)
    db.session.commit()
    notes = db.session.scalars(select(Notification).where(Notification.user_id == piece.author_id)).all()
    assert len(notes) == 2 and all(n.excerpt == "" for n in notes)
    assert services.send_immediate() == 0 and outbox == []


def test_an_edit_never_mentions_the_same_person_twice_and_mentions_are_capped(make_piece, make_user):
    piece, author = make_piece(), make_user()
    named = make_user(handle="disebut")
    crowd = [make_user(handle=f"orang_{n}") for n in range(12)]
    comment = _comment(author, piece, "Halo @disebut.")
    for body in ("Halo.", "Halo lagi @disebut.", "Halo @disebut!"):
        comments.edit_comment(comment, author, body)
        db.session.commit()
    assert (
        db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == named.id)) == 1
    )
    _comment(author, piece, " ".join(f"@{u.handle}" for u in crowd), minutes_ago=-2)
    told = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id.in_([u.id for u in crowd])))
    assert told == comments.MAX_MENTIONS
