"""Forgot-password and registration answer alike, and as fast, for known and unknown addresses."""

import re
import statistics
import time

import pytest
from sqlalchemy import func, select

from livinglab.accounts import registration, services
from livinglab.accounts.models import User
from livinglab.extensions import db
from livinglab.mail import wait_for_mail


@pytest.fixture
def slow_mail(monkeypatch):
    """A mail sender that takes 0.3 s, so mail sent before answering would show in the timing."""
    sent: list[str] = []

    def send(to: str, subject: str, body: str) -> None:
        time.sleep(0.3)
        sent.append(to)

    monkeypatch.setattr(services, "send_mail", send)
    monkeypatch.setattr(registration, "send_mail", send)
    return sent


@pytest.fixture
def unthrottled(app, monkeypatch):
    for name in ("RESET_MAIL_LIMIT", "RESET_MAIL_TARGET_LIMIT", "REGISTER_LIMIT", "REGISTER_TARGET_LIMIT"):
        monkeypatch.setitem(app.config, name, "1000 per hour")


def median_seconds(client, url: str, known: dict, unknown: dict, rounds: int = 7) -> tuple[float, float]:
    """Median answer times for two requests, taken in turns so both see the same machine load.

    Between requests the mail thread is allowed to finish (outside the timing): a mail sent before
    answering would still be inside it."""
    times: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(rounds):
        for which, data in enumerate((known, unknown)):
            start = time.perf_counter()
            assert client.post(url, data=data).status_code == 302
            times[which].append(time.perf_counter() - start)
            wait_for_mail()
    return statistics.median(times[0]), statistics.median(times[1])


def test_forgot_password_takes_as_long_for_known_and_unknown_addresses(client, make_user, slow_mail, unthrottled):
    make_user(email="dian@example.org")
    median_seconds(client, "/password/forgot", {"email": "a@example.org"}, {"email": "b@example.org"}, 2)  # warm-up
    known, unknown = median_seconds(client, "/password/forgot", {"email": "dian@example.org"},
                                    {"email": "tidak-ada@example.org"})
    assert slow_mail == ["dian@example.org"] * 7  # the mail did go out, after the answers
    # Within 20 % (plus 10 ms for a busy machine); mail sent inline would add 300 ms to `known`.
    assert abs(known - unknown) <= 0.2 * max(known, unknown) + 0.01, (known, unknown)


def test_forgot_password_answers_alike_when_smtp_is_down(app, client, make_user, monkeypatch, caplog):
    make_user(email="dian@example.org")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # nothing listens: the connection is refused
    pages = []
    for email in ("dian@example.org", "tidak-ada@example.org"):
        response = client.post("/password/forgot", data={"email": email})
        assert response.status_code == 302 and response.headers["Location"] == "/login"
        pages.append(client.get("/login").text)
    wait_for_mail()
    assert pages[0] == pages[1]
    assert "Background mail job send_reset_mail failed" in caplog.text


def test_registering_a_taken_address_looks_the_same_and_mails_its_owner(app, client, make_user, caplog):
    owner = make_user(email="dian@example.org", name="Dian Lestari")
    password_hash = owner.password_hash
    pages = []
    with caplog.at_level("INFO"):
        for email in ("dian@example.org", "baru@example.org"):
            response = client.post("/register", data={"name": "Penyusup", "email": email, "regency": ""})
            assert response.status_code == 302 and response.headers["Location"] == "/"
            pages.append(client.get("/").text.replace(email, "EMAIL"))
        wait_for_mail()
    assert pages[0] == pages[1]
    assert "Kami telah mengirim pesan ke EMAIL" in pages[0]
    assert "Subject: Seseorang mencoba mendaftar dengan alamat surel Anda" in caplog.text
    assert "/password/forgot" in caplog.text and "/register/finish/" in caplog.text
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert owner.password_hash == password_hash and owner.name == "Dian Lestari"


def test_registration_takes_as_long_for_known_and_unknown_addresses(client, make_user, slow_mail, unthrottled):
    make_user(email="dian@example.org")
    median_seconds(
        client, "/register", {"name": "Ani", "email": "a@example.org"}, {"name": "Ani", "email": "b@example.org"}, 2
    )
    known, unknown = median_seconds(client, "/register", {"name": "Ani", "email": "dian@example.org"},
                                    {"name": "Ani", "email": "baru@example.org"})
    assert len(slow_mail) == 2 * 9  # one mail per request: a notice to the owner or a link
    assert abs(known - unknown) <= 0.2 * max(known, unknown) + 0.01, (known, unknown)


def test_a_registration_link_is_refused_when_tampered_with_or_already_used(client, make_user, caplog):
    with caplog.at_level("INFO"):
        client.post("/register", data={"name": "Ani", "email": "ani@example.org", "regency": ""})
        wait_for_mail()
    link = re.search(r"http://127.0.0.1:5000(/register/finish/\S+)", caplog.text).group(1)
    response = client.get(link[:-3] + "xyz", follow_redirects=True)
    assert "tidak valid atau sudah kedaluwarsa" in response.text
    make_user(email="ani@example.org")
    response = client.get(link, follow_redirects=True)
    assert "Akun ini sudah ada" in response.text
