"""Comment rules: threading, edit and delete, mentions, fan-out, duplicates and limits."""

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from livinglab.clock import utcnow
from livinglab.comments import queries, services
from livinglab.comments.models import Comment
from livinglab.extensions import db
from livinglab.notifications import services as notifications
from livinglab.notifications.models import Notification
from tests.pieces.test_rendering import HOSTILE


def _notes(user) -> list[tuple[str, str]]:
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    return [(n.kind.value, n.link) for n in db.session.scalars(query)]


_clock = itertools.count()


def _post(author, piece, body, **kwargs) -> Comment:
    """Post as if two minutes after the previous post, so the rate limit stays out of the way."""
    kwargs.setdefault("now", utcnow() - timedelta(days=2) + timedelta(minutes=2 * next(_clock)))
    comment = services.add_comment(author, piece, body, **kwargs)
    db.session.commit()
    return comment


def test_replies_nest_to_a_limit_then_flatten_saying_whom_they_answer(make_user, make_piece):
    piece, user = make_piece(), make_user()
    chain = [_post(user, piece, "Pertanyaan pertama tentang biaya.")]
    for depth in range(2, 8):
        chain.append(_post(user, piece, f"Balasan tingkat {depth}.", parent=chain[-1]))
    sibling = _post(user, piece, "Komentar kedua di tingkat atas.")
    roots = queries.build_thread(queries.thread_comments(piece))
    assert [node.comment for node in roots] == [chain[0], sibling]
    node, depths = roots[0], []
    while node.replies:
        depths.append([(r.comment.id, r.depth) for r in node.replies])
        node = node.replies[0]
    assert [d[0][1] for d in depths] == [2, 3, 4]
    flattened = depths[-1]  # the fourth level holds its own replies and the deeper ones, in order
    assert [cid for cid, _ in flattened] == [c.id for c in chain[3:]]
    answers = {n.comment.id: n.answers for n in roots[0].replies[0].replies[0].replies}
    assert answers[chain[3].id] is None and answers[chain[4].id] == chain[3] and answers[chain[6].id] == chain[5]


def test_author_edits_and_the_comment_is_marked_edited(make_user, make_piece):
    piece, author, other = make_piece(), make_user(), make_user()
    comment = _post(author, piece, "Versi awal.")
    with pytest.raises(services.CommentError):
        services.edit_comment(comment, other, "Bukan milik saya.")
    services.edit_comment(comment, author, "Versi **diperbaiki**.")
    db.session.commit()
    assert comment.edited_at is not None and "<strong>diperbaiki</strong>" in comment.body_html


def test_delete_keeps_the_thread_and_clears_the_text(make_user, make_piece):
    piece, author, other = make_piece(), make_user(), make_user()
    comment = _post(author, piece, "Akan dihapus.")
    reply = _post(other, piece, "Balasan yang tetap ada.", parent=comment)
    with pytest.raises(services.CommentError):
        services.delete_comment(comment, other)
    services.delete_comment(comment, author)
    db.session.commit()
    assert comment.is_deleted and comment.body == "" and comment.body_html == ""
    roots = queries.build_thread(queries.thread_comments(piece))
    assert roots[0].comment == comment and roots[0].replies[0].comment == reply
    with pytest.raises(services.CommentError):
        services.edit_comment(comment, author, "Menghidupkan lagi.")
    with pytest.raises(services.CommentError):
        services.add_comment(other, piece, "Membalas yang sudah dihapus.", parent=comment)


def test_mentions_link_known_handles_only_outside_code_links_and_quotes(make_user, make_piece):
    piece, author = make_piece(), make_user()
    ani = make_user(name="Ani Rahma", handle="ani_rahma")
    budi = make_user(name="Budi Santoso", handle="budi")
    body = ("Terima kasih @Ani_Rahma! Tanya juga @tidak_ada.\n\n`@budi` dan [@budi](https://contoh.go.id)\n\n"
            "    @budi di blok kode\n\n> @budi dalam kutipan\n\nsurel budi@budi.go.id")
    comment = _post(author, piece, body)
    assert f'<a href="/u/{ani.id}" rel="nofollow ugc noopener">@ani_rahma</a>' in comment.body_html
    assert "@tidak_ada" in comment.body_html and ">@tidak_ada<" not in comment.body_html
    assert f"/u/{budi.id}" not in comment.body_html
    assert _notes(ani) == [("mention", f"/pieces/{piece.id}#comment-{comment.id}")]
    assert _notes(budi) == []


def test_mentioned_users_who_cannot_see_a_draft_are_not_told(make_user, make_piece):
    draft = make_piece(status="draft")
    official = make_user("official", regency=draft.regency)
    outsider = make_user(handle="orang_luar")
    _post(official, draft, "Catatan internal untuk @orang_luar.")
    assert _notes(outsider) == []


def test_fan_out_tells_each_person_once_by_the_most_personal_reason(make_user, make_piece):
    piece = make_piece()
    owner = piece.author  # follows the piece since publishing
    asker, follower, mentioned = make_user(), make_user(), make_user(handle="disebut")
    notifications.follow(follower, "piece", piece.id)
    db.session.commit()
    question = _post(asker, piece, "Berapa biayanya?")
    assert _notes(owner) == [("comment", f"/pieces/{piece.id}#comment-{question.id}")]
    assert _notes(asker) == []  # never told about their own comment
    answer = _post(owner, piece, "Sekitar Rp50 juta. @disebut bisa menambahkan.", parent=question)
    assert _notes(asker) == [("reply", f"/pieces/{piece.id}#comment-{answer.id}")]  # reply wins over follow
    assert _notes(mentioned) == [("mention", f"/pieces/{piece.id}#comment-{answer.id}")]
    assert [kind for kind, _ in _notes(follower)] == ["comment", "comment"]
    assert len(_notes(owner)) == 1  # not told about their own answer


def test_commenting_follows_and_unfollowing_stops_notifications(make_user, make_piece):
    piece, first, second = make_piece(), make_user(), make_user()
    _post(first, piece, "Saya ikut.")
    assert notifications.is_following(first, "piece", piece.id)
    notifications.unfollow(first, "piece", piece.id)
    db.session.commit()
    _post(second, piece, "Komentar berikutnya.")
    assert _notes(first) == []


def test_an_edit_notifies_only_newly_mentioned_people(make_user, make_piece):
    piece, author = make_piece(), make_user()
    old, new = make_user(handle="lama"), make_user(handle="baru")
    comment = _post(author, piece, "Halo @lama.")
    services.edit_comment(comment, author, "Halo @lama dan @baru.")
    db.session.commit()
    assert len(_notes(old)) == 1 and [k for k, _ in _notes(new)] == ["mention"]


def test_double_submit_creates_one_comment(make_user, make_piece):
    piece, author = make_piece(), make_user()
    now = utcnow()
    first = _post(author, piece, "Satu kali saja.", submission_key="kunci-1", now=now)
    again = _post(author, piece, "Satu kali saja.", submission_key="kunci-1", now=now)
    retyped = _post(author, piece, "Satu kali saja.", submission_key="kunci-2", now=now)  # same text, new form
    assert first.id == again.id == retyped.id
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
    later = services.add_comment(author, piece, "Satu kali saja.", now=now + timedelta(minutes=11))
    assert later.id != first.id  # saying the same thing later is allowed


def test_rate_limit_per_user_with_a_clear_message(app, make_user, make_piece):
    piece, author, other = make_piece(), make_user(), make_user()
    now = utcnow()
    for n in range(app.config["COMMENTS_PER_MINUTE"]):
        services.add_comment(author, piece, f"Komentar cepat {n}.", now=now)
    with pytest.raises(services.CommentError, match="per menit"):
        services.add_comment(author, piece, "Satu lagi.", now=now)
    services.add_comment(other, piece, "Orang lain tidak terkena batas.", now=now)
    assert services.add_comment(author, piece, "Semenit kemudian.", now=now + timedelta(seconds=61))


def test_length_limit_and_empty_text(app, make_user, make_piece):
    piece, author = make_piece(), make_user()
    limit = app.config["COMMENT_MAX_LENGTH"]
    with pytest.raises(services.CommentError, match=f"{limit}"):
        services.add_comment(author, piece, "a" * (limit + 1))
    with pytest.raises(services.CommentError):
        services.add_comment(author, piece, "   \n ")
    assert services.add_comment(author, piece, "a" * limit)


def test_archived_pieces_and_blocked_users_cannot_get_new_comments(make_user, make_piece):
    archived, piece = make_piece(status="archived"), make_piece()
    user, coordinator = make_user(), make_user("coordinator")
    with pytest.raises(services.CommentError):
        services.add_comment(user, archived, "Masih bisa?")
    comment = _post(user, piece, "Sebelum diblokir.")
    services.block_user(user, coordinator, "Berulang kali beriklan.")
    db.session.commit()
    with pytest.raises(services.CommentError):
        services.add_comment(user, piece, "Sesudah diblokir.")
    with pytest.raises(services.CommentError):
        services.edit_comment(comment, user, "Mengubah sesudah diblokir.")
    services.unblock_user(user, coordinator)
    db.session.commit()
    assert services.add_comment(user, piece, "Sudah boleh lagi.")


@pytest.mark.parametrize("text", [*HOSTILE, "@<script>alert(1)</script>", "[@x](javascript:alert(1))"])
def test_hostile_comment_bodies_are_stored_neutralised(make_user, make_piece, text):
    comment = _post(make_user(), make_piece(), text)
    html = comment.body_html.lower()
    for forbidden in ("<script", "onerror", "onload", "javascript:", "<img", "<iframe", "style=", "<h1", "<table"):
        assert forbidden not in html
