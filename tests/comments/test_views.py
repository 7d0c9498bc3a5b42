"""The discussion in the browser's terms: forms without JavaScript, refusals, and bounded queries."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from livinglab.audit.models import AuditEvent
from livinglab.clock import utcnow
from livinglab.comments import services
from livinglab.comments.models import Comment, Flag
from livinglab.extensions import db
from livinglab.notifications.models import Notification


def _url(piece) -> str:
    return f"/pieces/{piece.id}/{piece.slug}"


def test_reading_follows_the_piece_and_posting_needs_an_account(client, make_piece, make_user):
    piece, draft = make_piece(), make_piece(status="draft")
    services.add_comment(make_user(), piece, "Bagaimana hasilnya setelah setahun?")
    db.session.commit()
    page = client.get(_url(piece)).get_data(as_text=True)
    assert "Bagaimana hasilnya setelah setahun?" in page and "/login?next=" in page
    assert client.post(f"/pieces/{piece.id}/comments", data={"body": "Tanpa akun"}).status_code == 302
    assert client.post(f"/pieces/{draft.id}/comments", data={"body": "x"}).status_code == 302
    assert db.session.scalar(select(Comment).where(Comment.body == "Tanpa akun")) is None


def test_a_draft_thread_is_hidden_from_those_who_cannot_see_the_draft(client, make_piece, make_user, login_as):
    draft = make_piece(status="draft")
    login_as(make_user())
    assert client.post(f"/pieces/{draft.id}/comments", data={"body": "Mengintip"}).status_code == 404
    official = make_user("official", regency=draft.regency)
    comment = services.add_comment(official, draft, "Catatan internal.")
    db.session.commit()
    assert client.get(f"/comments/{comment.id}").status_code == 404


def test_post_reply_and_quote_work_without_javascript(client, make_piece, make_user, login_as):
    piece, asker = make_piece(), make_user(name="Putri Penanya")
    login_as(asker)
    response = client.post(f"/pieces/{piece.id}/comments", data={"body": "Berapa **lama** prosesnya?",
                                                                  "submission_key": "a1"})
    comment = db.session.scalar(select(Comment))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#comment-{comment.id}")
    page = client.get(_url(piece) + f"?reply_to={comment.id}").get_data(as_text=True)
    assert 'id="reply-form"' in page and f'name="reply-parent_id" type="hidden" value="{comment.id}"' in page
    quoted = client.get(_url(piece) + f"?quote={comment.id}").get_data(as_text=True)
    assert "&gt; Berapa **lama** prosesnya?" in quoted
    login_as(piece.author)
    response = client.post(f"/pieces/{piece.id}/comments", data={
        "reply-body": "Sekitar tiga bulan.", "reply-parent_id": str(comment.id), "reply-submission_key": "b1"})
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == comment.id))
    assert response.status_code == 302 and reply.body == "Sekitar tiga bulan."


def test_a_refused_comment_keeps_the_text_and_says_why(app, client, make_piece, make_user, login_as):
    piece = make_piece()
    login_as(make_user())
    long_text = "<b>panjang</b> " * 1000
    page = client.post(f"/pieces/{piece.id}/comments", data={"body": long_text}).get_data(as_text=True)
    assert "paling banyak" in page and "&lt;b&gt;panjang&lt;/b&gt;" in page and "<b>panjang</b>" not in page
    assert db.session.scalar(select(Comment)) is None
    page = client.post(f"/pieces/{piece.id}/comments", data={"body": "  "}).get_data(as_text=True)
    assert "wajib diisi" in page


def test_rate_limited_poster_sees_the_message_with_the_text_kept(app, client, make_piece, make_user, login_as):
    piece, user = make_piece(), make_user()
    for n in range(app.config["COMMENTS_PER_MINUTE"]):
        services.add_comment(user, piece, f"Cepat {n}.")
    db.session.commit()
    login_as(user)
    page = client.post(f"/pieces/{piece.id}/comments", data={"body": "Teks yang tidak boleh hilang"})
    text = page.get_data(as_text=True)
    assert "Teks yang tidak boleh hilang" in text and "per menit" in text


def test_only_the_author_edits_and_deletes(client, make_piece, make_user, login_as):
    piece, author, other = make_piece(), make_user(), make_user()
    comment = services.add_comment(author, piece, "Asli.")
    db.session.commit()
    login_as(other)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "Dibajak"}).status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    login_as(author)
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "Diperbaiki."}).status_code == 302
    page = client.get(_url(piece)).get_data(as_text=True)
    assert "Diperbaiki." in page and "diubah" in page
    assert client.post(f"/comments/{comment.id}/delete").status_code == 302
    page = client.get(_url(piece)).get_data(as_text=True)
    assert "Komentar dihapus." in page and "Diperbaiki." not in page


def test_flag_hide_restore_and_dismiss_with_audit(client, make_piece, make_user, login_as):
    piece, author, reader = make_piece(), make_user(name="Penulis Komentar"), make_user()
    coordinator = make_user("coordinator")
    comment = services.add_comment(author, piece, "Beli pelatihan murah di toko kami!")
    db.session.commit()
    login_as(reader)
    assert client.post(f"/comments/{comment.id}/flag", data={"reason": "other"}).status_code == 200  # needs a note
    assert client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}).status_code == 302
    assert client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}).status_code == 200  # once only
    assert client.get("/moderation").status_code == 403
    assert client.post(f"/comments/{comment.id}/hide", data={"reason": "iklan"}).status_code == 403
    login_as(coordinator)
    queue = client.get("/moderation").get_data(as_text=True)
    assert "Beli pelatihan murah" in queue and 'class="count">1<' in queue
    assert client.post(f"/comments/{comment.id}/hide", data={"reason": ""}).status_code == 200  # a reason is required
    assert client.post(f"/comments/{comment.id}/hide", data={"reason": "Iklan komersial."}).status_code == 302
    assert db.session.scalar(select(Flag)).resolution.value == "hidden"
    login_as(reader)
    page = client.get(_url(piece)).get_data(as_text=True)
    assert "Disembunyikan oleh moderator." in page and "Beli pelatihan murah" not in page
    login_as(author)
    page = client.get(_url(piece)).get_data(as_text=True)
    assert "Beli pelatihan murah" in page and "Iklan komersial." in page
    login_as(coordinator)
    assert client.post(f"/comments/{comment.id}/restore", data={"reason": "Keliru."}).status_code == 302
    other = services.add_comment(author, piece, "Komentar biasa saja.")
    services.flag_comment(other, reader, services.FlagReason.OFF_TOPIC)
    db.session.commit()
    assert client.post(f"/comments/{other.id}/dismiss", data={"dismiss-reason": "Masih relevan."}).status_code == 302
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"comment.flagged", "comment.hidden", "comment.restored", "comment.flags_dismissed"} <= actions


def test_officials_moderate_their_own_regency_threads_only(client, make_piece, make_user, make_regency, login_as):
    piece, peer = make_piece(), make_user()
    comment = services.add_comment(peer, piece, "Komentar untuk dimoderasi.")
    db.session.commit()
    login_as(make_user("official", regency=make_regency()))
    assert client.get(f"/comments/{comment.id}/moderate").status_code == 403
    assert client.post(f"/comments/{comment.id}/hide", data={"reason": "Bukan urusan saya"}).status_code == 403
    login_as(make_user())
    assert client.post(f"/comments/{comment.id}/hide", data={"reason": "Saya peer"}).status_code == 403
    login_as(make_user("official", regency=piece.regency))
    assert client.get("/moderation").status_code == 403  # the queue is the coordinators'
    assert client.post(f"/comments/{comment.id}/hide", data={"reason": "Di luar topik."}).status_code == 302
    db.session.refresh(comment)
    assert comment.is_hidden


def test_coordinators_block_and_unblock_commenters(client, make_piece, make_user, login_as):
    piece, user, coordinator = make_piece(), make_user(name="Pengiklan"), make_user("coordinator")
    login_as(make_user())
    assert client.post(f"/moderation/users/{user.id}/block", data={"reason": "x"}).status_code == 403
    login_as(coordinator)
    assert client.post(f"/moderation/users/{user.id}/block", data={"reason": "Iklan berulang."}).status_code == 302
    assert "Pengiklan" in client.get("/moderation?show=blocked").get_data(as_text=True)
    login_as(user)
    page = client.get(_url(piece)).get_data(as_text=True)
    assert "memblokir Anda" in page and 'id="comment-form"' not in page
    assert client.post(f"/pieces/{piece.id}/comments", data={"body": "Masih mencoba"}).status_code == 403
    login_as(coordinator)
    assert client.post(f"/moderation/users/{user.id}/unblock").status_code == 302
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.comment_blocked", "user.comment_unblocked"} <= actions


def test_follow_and_unfollow_buttons(client, make_piece, make_user, login_as):
    piece, user = make_piece(), make_user()
    login_as(user)
    assert client.post(f"/pieces/{piece.id}/follow").status_code == 302
    assert 'aria-pressed="true"' in client.get(_url(piece)).get_data(as_text=True)
    services.add_comment(make_user(), piece, "Ada kabar baru.")
    db.session.commit()
    assert db.session.scalar(select(Notification).where(Notification.user_id == user.id)) is not None
    assert client.post(f"/pieces/{piece.id}/unfollow").status_code == 302
    assert 'aria-pressed="false"' in client.get(_url(piece)).get_data(as_text=True)


def _big_thread(piece, users, size):
    start = utcnow() - timedelta(days=30)
    parents: list = []
    for n in range(size):
        parent = parents[n // 3] if n % 3 and parents else None
        comment = services.add_comment(
            users[n % len(users)],
            piece,
            f"Komentar nomor {n} tentang **biaya** @{users[0].handle}.",
            parent=parent,
            now=start + timedelta(minutes=5 * n),
        )
        parents.append(comment)
    db.session.commit()


@pytest.mark.parametrize("role", ["peer", "official", "coordinator"])
def test_queries_for_a_piece_page_do_not_grow_with_the_thread(client, make_piece, make_user, login_as,
                                                              count_queries, role):
    small = make_piece()
    large = make_piece(author=make_user("official", regency=small.regency))
    users = [make_user() for _ in range(6)]
    _big_thread(small, users, 5)
    _big_thread(large, users, 200)
    viewer = make_user(role, regency=large.regency) if role == "official" else make_user(role)
    login_as(viewer)
    counts = []
    for piece in (small, large):
        client.get(_url(piece))
        with count_queries() as counter:
            page = client.get(_url(piece))
        assert page.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    body = client.get(_url(large)).get_data(as_text=True)
    assert len(re.findall(r'<li class="comment ', body)) == 200
