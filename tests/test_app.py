"""The application as a whole: configuration, health, security headers, error pages, page weight."""

import re
from datetime import UTC

import pytest
from flask import abort

from livinglab import InsecureConfigError, create_app
from tests.conftest import test_config


def test_refuses_to_start_in_production_with_the_default_secret(database_url, tmp_path_factory):
    overrides = test_config(database_url, tmp_path_factory)
    overrides.update(TESTING=False, DEBUG=False)
    del overrides["SECRET_KEY"]
    with pytest.raises(InsecureConfigError):
        create_app(overrides)
    overrides["SECRET_KEY"] = "a-real-secret-from-the-environment"
    app = create_app(overrides)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"]["status"] == "ok"
    assert response.json["status"] == "ok"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script_or_style(client, content):
    for url in ["/", "/indicators", "/regencies", "/login", "/register"]:
        html = client.get(url).text
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
        assert scripts == [""] and re.search(r'<script src="/static/js/nav\.js\?v=[0-9a-f]+" defer>', html), url
        assert "style=" not in html and "<style" not in html, url


@pytest.mark.parametrize("url", ["/does-not-exist", "/regencies/0000", "/indicators/X99", "/admin/users/abc"])
def test_unknown_things_are_404_in_both_languages(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
    client.set_cookie("lang", "en")
    assert "Page not found" in client.get(url).text


def test_error_pages_400_403_413_500(database_url, tmp_path_factory):
    overrides = test_config(database_url, tmp_path_factory)
    overrides["PROPAGATE_EXCEPTIONS"] = False
    app = create_app(overrides)

    @app.get("/_test/boom/<int:code>")
    def boom(code: int):
        if code == 500:
            raise RuntimeError("boom")
        abort(code)

    client = app.test_client()
    assert "Permintaan tidak valid" in client.get("/_test/boom/400").text
    assert "Akses ditolak" in client.get("/_test/boom/403").text
    response = client.get("/_test/boom/413")
    assert response.status_code == 413 and "Berkas terlalu besar" in response.text
    response = client.get("/_test/boom/500")
    assert response.status_code == 500 and "Terjadi kesalahan" in response.text
    client.set_cookie("lang", "en")
    assert "Something went wrong" in client.get("/_test/boom/500").text


def test_oversized_request_gets_the_413_page(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login", data={"email": "a" * (limit + 10), "password": "x"})
    assert response.status_code == 413


def test_forms_refuse_a_missing_csrf_token(database_url, tmp_path_factory):
    overrides = test_config(database_url, tmp_path_factory)
    overrides["WTF_CSRF_ENABLED"] = True
    app = create_app(overrides)
    client = app.test_client()
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "Formulir sudah kedaluwarsa" in response.text


@pytest.mark.parametrize(
    "url", ["/", "/indicators", "/indicators/I01", "/regencies", "/regencies/3211", "/login", "/register"]
)
def test_pages_weigh_under_100_kb(client, content, url):
    response = client.get(url)
    assert response.status_code == 200
    assert len(response.data) < 100 * 1024, f"{url}: {len(response.data)} bytes"


def test_foreign_keys_are_enforced_and_sqlite_uses_wal(app):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from livinglab.extensions import db
    from livinglab.regencies.models import Regency, RegencyKind

    db.session.add(Regency(code="9999", name="Kabupaten Tanpa Provinsi", code_kemendagri="99.99",
                           kind=RegencyKind.KABUPATEN, province_code="00"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_dates_and_numbers_follow_the_language(client, make_user, login_as):
    from datetime import datetime

    user = make_user(created_at=datetime(2026, 11, 27, 3, 0, tzinfo=UTC))
    login_as(user)
    assert "27 November 2026" in client.get("/account").text
    client.get("/language/en")
    assert "November 27, 2026" in client.get("/account").text


@pytest.mark.parametrize("url", ["/pieces/99999999999999999999", "/admin/users/99999999999999999999",
                                 "/pieces/1/attachments/99999999999999999999"])
def test_huge_ids_are_404_not_500(client, url):
    assert client.get(url).status_code in (404, 302)


@pytest.mark.parametrize("url", ["/regencies?page=99999999999999999999", "/pieces?page=-1", "/indicators?page=abc",
                                 "/regencies?endpoint=x&page=2", "/regencies?_method=POST&page=2",
                                 "/search?q=izin&endpoint=x&page=99999999999"])
def test_hostile_list_arguments_never_break_a_list(client, content, url):
    assert client.get(url).status_code == 200
