"""Search is throttled per client, with a friendly page; signed-in users get a higher limit."""

import pytest


@pytest.fixture
def low_limits(app):
    saved = app.config["SEARCH_RATE_LIMIT"], app.config["SEARCH_RATE_LIMIT_SIGNED_IN"]
    app.config.update(SEARCH_RATE_LIMIT="3 per minute", SEARCH_RATE_LIMIT_SIGNED_IN="6 per minute")
    yield
    app.config["SEARCH_RATE_LIMIT"], app.config["SEARCH_RATE_LIMIT_SIGNED_IN"] = saved


def test_an_anonymous_client_is_refused_after_the_limit_with_a_friendly_page(client, low_limits):
    for number in range(3):
        assert client.get(f"/search?q=izin{number}").status_code == 200
    response = client.get("/search?q=izin&kind=practice")
    assert response.status_code == 429
    assert "Terlalu banyak pencarian" in response.text and "tunggu sebentar" in response.text
    assert '<nav' in response.text and 'href="/search?q=izin&amp;kind=practice"' in response.text  # layout, retry
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert client.get("/").status_code == 200  # only searching is throttled


def test_the_refusal_speaks_english_to_english_visitors(client, low_limits):
    client.set_cookie("lang", "en")
    for _ in range(3):
        client.get("/search?q=izin")
    response = client.get("/search?q=izin")
    assert response.status_code == 429 and "Too many searches" in response.text and "wait a moment" in response.text


def test_signed_in_users_get_the_higher_limit(client, make_user, login_as, low_limits):
    login_as(make_user())
    assert [client.get("/search?q=izin").status_code for _ in range(7)] == [200] * 6 + [429]
