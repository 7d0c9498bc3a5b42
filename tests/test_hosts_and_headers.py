"""Forged Host headers never reach a link; private pages are not cached; HSTS with Secure cookies."""

import re

import pytest

from livinglab import create_app
from livinglab.mail import wait_for_mail
from tests.conftest import test_config


def test_a_request_for_another_host_is_refused(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400 and "Permintaan tidak valid" in response.text
    assert client.get("/", headers={"Host": "localhost:5000"}).status_code == 200


def test_a_forged_host_never_reaches_the_reset_link(app, client, make_user, caplog, monkeypatch):
    make_user(email="dian@example.org")
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)  # even with no host check at all
    monkeypatch.setitem(app.config, "SITE_URL", "https://livinglab.example.go.id")
    with caplog.at_level("INFO"):
        response = client.post("/password/forgot", data={"email": "dian@example.org"},
                               headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
        wait_for_mail()
    assert response.status_code == 302
    assert "evil.example" not in caplog.text
    assert re.search(r"https://livinglab\.example\.go\.id/password/reset/\S+", caplog.text)


def test_signed_in_pages_are_not_stored_but_public_ones_may_be(client, make_user, login_as):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login_as(make_user())
    for url in ("/", "/account", "/regencies"):
        assert client.get(url).headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_exports_are_not_stored(client, make_user, login_as, content):
    login_as(make_user("coordinator"))
    for url in ("/coordinator/export.csv", "/coordinator/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    client.post("/logout")
    assert client.get("/indicators/I01/levels.csv").headers["Cache-Control"] == "no-store"


def test_no_hsts_in_tests_unless_asked(client, app, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/").headers
    monkeypatch.setitem(app.config, "HSTS_ENABLED", "1")
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("secure", [True, False])
def test_hsts_follows_secure_cookies_in_production(database_url, tmp_path_factory, secure):
    overrides = {**test_config(database_url, tmp_path_factory), "TESTING": False, "SESSION_COOKIE_SECURE": secure}
    response = create_app(overrides).test_client().get("/healthz")
    assert ("Strict-Transport-Security" in response.headers) is secure
