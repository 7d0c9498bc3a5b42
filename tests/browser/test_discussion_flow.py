"""A peer asks, the author is notified and replies, a third user flags, a coordinator hides; axe-clean pages."""

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.extensions import db
from livinglab.pieces.models import Piece
from tests.browser.conftest import follow, serious_violations, signed_in

WORDS = {
    "id": {
        "comment": "Komentar Anda",
        "post": "Kirim komentar",
        "reply": "Balas",
        "post_reply": "Kirim balasan",
        "notifications": "Notifikasi",
        "flag": "Laporkan",
        "spam": "Spam atau iklan",
        "send_flag": "Kirim laporan",
        "moderation": "Moderasi",
        "review": "Tinjau",
        "reason": "Mengapa komentar ini disembunyikan?",
        "hide": "Sembunyikan komentar",
        "hidden": "Disembunyikan oleh moderator.",
    },
    "en": {
        "comment": "Your comment",
        "post": "Post comment",
        "reply": "Reply",
        "post_reply": "Post reply",
        "notifications": "Notifications",
        "flag": "Flag",
        "spam": "Spam or advertising",
        "send_flag": "Send flag",
        "moderation": "Moderation",
        "review": "Review",
        "reason": "Why is it hidden?",
        "hide": "Hide comment",
        "hidden": "Hidden by a moderator.",
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_question_reply_flag_and_hide(browser: Browser, live_app, demo_site: str, axe, language: str):
    words = WORDS[language]
    with live_app.app_context():
        author = db.session.scalars(select(User).where(User.email == "sumedang@livinglab.example.org")).one()
        piece = db.session.scalars(select(Piece).where(Piece.author_id == author.id).order_by(Piece.id)).first()
        piece_path = f"/pieces/{piece.id}"
    question = f"Berapa lama penyusunan dokumennya, Pak? ({language})"
    answer = f"Sekitar delapan belas bulan, termasuk harmonisasi. ({language})"

    peer = signed_in(browser, demo_site, "peer@livinglab.example.org", language)
    peer.goto(demo_site + piece_path)
    peer.get_by_label(words["comment"], exact=True).fill(question)
    peer.get_by_role("button", name=words["post"]).click()
    expect(peer.locator(".comment", has_text=question)).to_be_visible()
    assert serious_violations(axe, peer) == []

    official = signed_in(browser, demo_site, "sumedang@livinglab.example.org", language)
    follow(official, official.get_by_role("link", name=words["notifications"]))
    assert serious_violations(axe, official) == []
    official.locator(".notification-unread a").first.click()
    question_block = official.locator("li.comment", has_text=question).last
    question_block.get_by_role("link", name=words["reply"]).first.click()
    official.locator("#reply-form").get_by_label(words["comment"], exact=True).fill(answer)
    official.get_by_role("button", name=words["post_reply"]).click()
    expect(official.locator(".comment-depth-2", has_text=answer)).to_be_visible()

    flagger = signed_in(browser, demo_site, "semarang@livinglab.example.org", language)
    flagger.goto(demo_site + piece_path)
    flagger.locator("article", has_text=answer).get_by_role("link", name=words["flag"]).click()
    flagger.get_by_label(words["spam"]).check()
    follow(flagger, flagger.get_by_role("button", name=words["send_flag"]))

    coordinator = signed_in(browser, demo_site, "koordinator@livinglab.example.org", language)
    follow(coordinator, coordinator.get_by_role("link", name=words["moderation"]))
    assert serious_violations(axe, coordinator) == []
    follow(coordinator, coordinator.locator(".queue-item", has_text=answer).get_by_role("link", name=words["review"]))
    assert serious_violations(axe, coordinator) == []
    coordinator.get_by_label(words["reason"]).fill("Uji moderasi: balasan disembunyikan.")
    follow(coordinator, coordinator.get_by_role("button", name=words["hide"]))

    peer.reload()
    expect(peer.locator(".comment-depth-2", has_text=words["hidden"])).to_be_visible()
    expect(peer.get_by_text(answer)).to_have_count(0)
    assert serious_violations(axe, peer) == []
    official.reload()
    expect(official.get_by_text(answer)).to_be_visible()  # the author still reads their own hidden reply
