"""Registration, sign-in, passwords and language as a user meets them."""

import re

from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.extensions import db
from livinglab.mail import wait_for_mail
from tests.conftest import TEST_PASSWORD


def register(client, caplog, name: str = "Wayan Sudarma", email: str = "wayan@example.org",
             password: str = "lawar-babi-bali-enak", **extra) -> str:
    """Register through the form and the e-mailed link; returns the page after choosing the password."""
    with caplog.at_level("INFO"):
        client.post("/register", data={"name": name, "email": email, "regency": "", **extra})
        wait_for_mail()
    link = re.findall(r"https?://[^/\s]+(/register/finish/\S+)", caplog.text)[-1]
    return client.post(link, data={"password": password, "confirm": password}, follow_redirects=True).text


def test_register_by_emailed_link_signs_the_new_peer_in(client, app, caplog):
    page = register(client, caplog)
    assert "Wayan Sudarma" in page
    user = db.session.scalars(select(User).filter_by(email="wayan@example.org")).one()
    assert user.role.value == "peer"


def test_invalid_registration_keeps_input_and_explains_in_indonesian(client):
    response = client.post("/register", data={"name": "Wayan <b>Sudarma</b>", "email": "bukan-email"})
    assert response.status_code == 200
    html = response.text
    assert 'value="Wayan &lt;b&gt;Sudarma&lt;/b&gt;"' in html
    assert 'value="bukan-email"' in html
    assert "alamat surel yang valid" in html.lower()
    assert "aria-invalid" in html


def test_a_weak_password_on_the_finishing_page_is_explained(client, caplog):
    page = register(client, caplog, password="pendek")
    assert "minimal 10 karakter" in page
    assert db.session.scalars(select(User)).first() is None


def test_invalid_registration_in_english(client):
    client.set_cookie("lang", "en")
    response = client.post("/register", data={"name": "", "email": "x@example.org"})
    assert "This field is required." in response.text
    assert 'value="x@example.org"' in response.text


def test_register_with_unknown_regency_is_refused_politely(client):
    response = client.post("/register", data={"name": "Ani", "email": "ani@example.org", "regency": "0000"})
    assert response.status_code == 200
    assert "pilih salah satu" in response.text.lower()


def test_login_and_logout(client, make_user):
    user = make_user(email="dian@example.org")
    response = client.post("/login", data={"email": "Dian@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert user.name in client.get("/").text
    response = client.post("/logout", follow_redirects=True)
    assert user.name not in response.text
    assert client.get("/account").status_code == 302


def test_login_follows_only_local_next(client, make_user):
    make_user(email="dian@example.org")
    response = client.post(
        "/login?next=https://evil.example/x", data={"email": "dian@example.org", "password": TEST_PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/regencies", data={"email": "dian@example.org", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/regencies"


def test_wrong_password_keeps_email_and_says_why(client, make_user):
    make_user(email="dian@example.org")
    response = client.post("/login", data={"email": "dian@example.org", "password": "salah-sekali-123"})
    assert response.status_code == 200
    assert 'value="dian@example.org"' in response.text
    assert "tidak benar" in response.text


def test_remember_me_sets_a_persistent_http_only_cookie(client, make_user):
    make_user(email="dian@example.org")
    response = client.post("/login", data={"email": "dian@example.org", "password": TEST_PASSWORD, "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "Expires=" in remember[0]
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_repeated_failed_logins_are_throttled(client, make_user):
    make_user(email="dian@example.org")
    for _ in range(5):
        assert (
            client.post("/login", data={"email": "dian@example.org", "password": "salah-sekali-123"}).status_code == 200
        )
    response = client.post("/login", data={"email": "dian@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert 'value="dian@example.org"' in response.text
    assert "Terlalu banyak" in response.text


def test_successful_logins_are_not_throttled(client, make_user):
    make_user(email="dian@example.org")
    for _ in range(8):
        assert client.post("/login", data={"email": "dian@example.org", "password": TEST_PASSWORD}).status_code == 302
        client.post("/logout")


def test_deactivated_user_is_signed_out_at_once(client, make_user, login_as):
    user = make_user()
    login_as(user)
    assert client.get("/account").status_code == 200
    user.is_active = False
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_change_password_flow(client, make_user, login_as):
    user = make_user()
    login_as(user)
    response = client.post("/account/password", data={
        "current_password": "salah", "password": "rendang-daging-sapi", "confirm": "rendang-daging-sapi"})
    assert "tidak benar" in response.text
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "password": "rendang-daging-sapi", "confirm": "rendang-daging-sapi"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this session stays signed in


def test_forgot_and_reset_password_by_emailed_link(client, make_user, caplog):
    make_user(email="dian@example.org")
    with caplog.at_level("INFO"):
        response = client.post("/password/forgot", data={"email": "dian@example.org"})
        wait_for_mail()
    assert response.status_code == 302
    link = re.search(r"http://127.0.0.1:5000(/password/reset/\S+)", caplog.text).group(1)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "soto-ayam-lamongan", "confirm": "soto-ayam-lamongan"})
    assert response.status_code == 302
    assert (
        client.post("/login", data={"email": "dian@example.org", "password": "soto-ayam-lamongan"}).status_code == 302
    )
    client.post("/logout")
    response = client.get(link, follow_redirects=True)
    assert "sudah digunakan" in response.text or "kedaluwarsa" in response.text


def test_forgot_password_does_not_reveal_unknown_addresses(client):
    response = client.post("/password/forgot", data={"email": "tidak-ada@example.org"}, follow_redirects=True)
    assert response.status_code == 200


def test_profile_saves_name_and_language(client, make_user, login_as):
    user = make_user()
    login_as(user)
    response = client.post("/account", data={"name": "Nama Baru", "locale": "en"}, follow_redirects=True)
    assert "Your profile has been saved." in response.text
    assert user.name == "Nama Baru" and user.locale == "en"


def test_visitor_language_switch_is_remembered_in_a_cookie(client):
    assert 'lang="id"' in client.get("/").text
    response = client.get("/language/en?next=/regencies")
    assert response.headers["Location"] == "/regencies"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert 'lang="en"' in client.get("/regencies").text
    assert client.get("/language/en?next=//evil.example").headers["Location"] == "/"


def test_signed_in_language_switch_is_saved_on_the_account(client, make_user, login_as):
    user = make_user(locale="id")
    login_as(user)
    client.get("/language/en")
    assert user.locale == "en"
    client.delete_cookie("lang")
    assert 'lang="en"' in client.get("/").text


def test_a_language_picked_before_signing_in_is_kept_but_a_leftover_cookie_is_not(client, make_user, caplog):
    user = make_user(email="dian@example.org", locale="id")
    client.get("/language/en")
    page = client.post("/login", data={"email": "dian@example.org", "password": TEST_PASSWORD}, follow_redirects=True)
    assert 'lang="en"' in page.text and user.locale == "en"
    client.post("/logout")
    user.locale = "id"  # someone else's choice: the cookie stays in the browser, but nobody picked it now
    db.session.commit()
    page = client.post("/login", data={"email": "dian@example.org", "password": TEST_PASSWORD}, follow_redirects=True)
    assert 'lang="id"' in page.text and user.locale == "id"
    client.post("/logout")
    client.get("/language/en")
    register(client, caplog, name="Komang Ayu", email="komang@example.org")
    assert db.session.scalars(select(User).filter_by(email="komang@example.org")).one().locale == "en"
    client.post("/logout")
    client.post("/login", data={"email": "dian@example.org", "password": TEST_PASSWORD})
    assert user.locale == "id"  # the choice was used up by the registration


def test_unknown_language_is_ignored(client):
    client.get("/language/fr")
    assert 'lang="id"' in client.get("/").text


def test_password_reset_mail_requests_are_rate_limited_per_address(client):
    for number in range(5):
        assert client.post("/password/forgot", data={"email": f"a{number}@example.org"}).status_code == 302
    response = client.post("/password/forgot", data={"email": "b@example.org"})
    assert response.status_code == 429 and "Terlalu banyak permintaan" in response.text
    assert 'value="b@example.org"' in response.text


def test_a_garbage_language_cookie_never_reaches_the_account(client, caplog):
    client.set_cookie("lang", "xx_garbage_locale")
    register(client, caplog, name="Ani", email="ani@example.org")
    assert db.session.scalars(select(User)).one().locale == "id"
