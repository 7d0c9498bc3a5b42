"""Throttling that stops spraying and distributed guessing but never locks the owner out."""

from flask import request
from flask.testing import FlaskClient

from livinglab import create_app
from tests.conftest import TEST_PASSWORD, test_config


def attempt(client: FlaskClient, email: str, password: str = "salah-sekali-123", address: str = "203.0.113.9"):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_spraying_many_accounts_from_one_address_is_refused(app, client, make_user):
    for number in range(40):
        make_user(email=f"pegawai{number}@example.org")
    answers = [attempt(client, f"pegawai{number}@example.org").status_code for number in range(40)]
    assert answers[:20] == [200] * 20
    assert set(answers[20:]) == {429}
    refused = attempt(client, "pegawai39@example.org", TEST_PASSWORD)
    assert refused.status_code == 429 and "Terlalu banyak" in refused.text
    assert attempt(app.test_client(), "pegawai39@example.org", TEST_PASSWORD, "198.51.100.7").status_code == 302


def test_the_owner_signs_in_from_another_address_after_20_failures_from_an_attacker(app, client, make_user):
    make_user(email="bupati@example.org")
    answers = [attempt(client, "bupati@example.org").status_code for _ in range(20)]
    assert 429 in answers  # the attacker's address is throttled
    owner = app.test_client()
    assert attempt(owner, "bupati@example.org", TEST_PASSWORD, "198.51.100.7").status_code == 302


def test_a_distributed_attack_slows_new_browsers_but_not_the_owners_own(app, make_user):
    make_user(email="bupati@example.org")
    owner = app.test_client()
    assert attempt(owner, "bupati@example.org", TEST_PASSWORD, "198.51.100.7").status_code == 302
    owner.post("/logout")
    for number in range(30):
        assert attempt(app.test_client(), "bupati@example.org", address=f"192.0.2.{number}").status_code == 200
    stranger = attempt(app.test_client(), "bupati@example.org", TEST_PASSWORD, "192.0.2.200")
    assert stranger.status_code == 429 and "perangkat yang pernah Anda gunakan" in stranger.text
    assert attempt(owner, "bupati@example.org", TEST_PASSWORD, "192.0.2.201").status_code == 302


def test_a_forged_device_cookie_does_not_exempt(app, make_user):
    make_user(email="bupati@example.org")
    for number in range(30):
        attempt(app.test_client(), "bupati@example.org", address=f"192.0.2.{number}")
    forger = app.test_client()
    forger.set_cookie("device", "eyJmYWtlIjp0cnVlfQ.forged")
    assert attempt(forger, "bupati@example.org", TEST_PASSWORD, "192.0.2.77").status_code == 429


def test_reset_requests_for_one_address_from_many_addresses_are_limited(app, make_user):
    make_user(email="bupati@example.org")
    answers = [
        app.test_client().post("/password/forgot", data={"email": "bupati@example.org"},
                               environ_base={"REMOTE_ADDR": f"192.0.2.{number}"}).status_code
        for number in range(6)
    ]
    assert answers == [302, 302, 302, 429, 429, 429]
    other = app.test_client().post("/password/forgot", data={"email": "lain@example.org"},
                                   environ_base={"REMOTE_ADDR": "192.0.2.99"})
    assert other.status_code == 302


def test_registrations_for_one_address_from_many_addresses_are_limited(app):
    answers = [
        app.test_client().post("/register", data={"name": "Ani", "email": "ani@example.org", "regency": ""},
                               environ_base={"REMOTE_ADDR": f"192.0.2.{number}"}).status_code
        for number in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]


def test_registrations_from_one_address_are_limited(client):
    for number in range(10):
        assert client.post("/register", data={"name": "Ani", "email": f"ani{number}@example.org"}).status_code == 302
    response = client.post("/register", data={"name": "Ani Lestari", "email": "ani@example.org"})
    assert response.status_code == 429 and 'value="Ani Lestari"' in response.text
    assert "Terlalu banyak permintaan" in response.text


def proxied_app(database_url, tmp_path_factory, proxies: int):
    app = create_app({**test_config(database_url, tmp_path_factory), "PROXY_COUNT": proxies})

    @app.get("/_test/address")
    def address():
        return request.remote_addr or ""

    return app


def test_behind_one_proxy_the_forwarded_address_counts(database_url, tmp_path_factory):
    client = proxied_app(database_url, tmp_path_factory, 1).test_client()
    headers = {"X-Forwarded-For": "198.51.100.7"}
    assert (
        client.get("/_test/address", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"}).text == "198.51.100.7"
    )


def test_without_a_proxy_the_forwarded_address_is_ignored(database_url, tmp_path_factory):
    client = proxied_app(database_url, tmp_path_factory, 0).test_client()
    headers = {"X-Forwarded-For": "198.51.100.7"}
    assert client.get("/_test/address", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"}).text == "10.0.0.2"
