"""Server-side sign-ins: sign-out, password changes and the account page really end sessions."""

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from livinglab.accounts import signins
from livinglab.accounts.models import SignIn
from livinglab.accounts.services import make_reset_token
from livinglab.extensions import db
from tests.conftest import TEST_PASSWORD

ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 13; SM-A525F) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/120.0.0.0 Mobile Safari/537.36")


def sign_in(client: FlaskClient, email: str, remember: bool = False, agent: str = "Mozilla/5.0 Firefox/121.0") -> None:
    data = {"email": email, "password": TEST_PASSWORD, **({"remember": "y"} if remember else {})}
    assert client.post("/login", data=data, headers={"User-Agent": agent}).status_code == 302


def copy_of(client: FlaskClient, app, *names: str) -> FlaskClient:
    """Another browser holding copies of some of this browser's cookies."""
    other = app.test_client()
    for name in names:
        other.set_cookie(name, client.get_cookie(name).value)
    return other


def test_a_session_cookie_copied_before_sign_out_no_longer_opens_the_account(app, client, make_user):
    make_user(email="dian@example.org")
    sign_in(client, "dian@example.org")
    thief = copy_of(client, app, "session")
    assert thief.get("/account").status_code == 200  # the copy works while the sign-in is open
    client.post("/logout")
    assert thief.get("/account").status_code == 302


def test_a_remember_cookie_copied_before_sign_out_is_refused(app, client, make_user):
    make_user(email="dian@example.org")
    sign_in(client, "dian@example.org", remember=True)
    assert copy_of(client, app, "remember_token").get("/account").status_code == 200
    thief = copy_of(client, app, "remember_token")
    client.post("/logout")
    assert thief.get("/account").status_code == 302


def test_a_remembered_sign_in_ends_at_its_expiry_on_the_server(app, client, make_user):
    user = make_user(email="dian@example.org")
    sign_in(client, "dian@example.org", remember=True)
    record = db.session.scalars(select(SignIn).where(SignIn.user_id == user.id)).one()
    record.expires_at = signins.utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert copy_of(client, app, "remember_token").get("/account").status_code == 302
    assert client.get("/account").status_code == 302


def test_sign_out_on_other_devices_ends_them_and_keeps_this_one(app, client, make_user):
    make_user(email="dian@example.org")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "dian@example.org")
    sign_in(phone, "dian@example.org", remember=True, agent=ANDROID_CHROME)
    page = laptop.get("/account").text
    assert "Chrome Mobile · Android" in page and "Firefox" in page and "Perangkat ini" in page
    response = laptop.post("/account/sign-ins/end-others", follow_redirects=True)
    assert "1 perangkat lain telah dikeluarkan." in response.text
    assert phone.get("/account").status_code == 302
    assert copy_of(phone, app, "remember_token").get("/account").status_code == 302
    assert laptop.get("/account").status_code == 200


def test_one_sign_in_can_be_ended_from_the_account_page(app, client, make_user):
    user = make_user(email="dian@example.org")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "dian@example.org")
    sign_in(phone, "dian@example.org")
    phone_sign_in = signins.open_sign_ins(user)[0]
    laptop.post(f"/account/sign-ins/{phone_sign_in.id}/end")
    assert phone.get("/account").status_code == 302 and laptop.get("/account").status_code == 200


def test_nobody_can_end_another_users_sign_in(app, client, make_user):
    victim = make_user(email="dian@example.org")
    make_user(email="eko@example.org")
    victim_browser, attacker = app.test_client(), app.test_client()
    sign_in(victim_browser, "dian@example.org")
    sign_in(attacker, "eko@example.org")
    victim_sign_in = signins.open_sign_ins(victim)[0]
    assert attacker.post(f"/account/sign-ins/{victim_sign_in.id}/end").status_code == 403
    assert attacker.post("/account/sign-ins/999999/end").status_code == 404
    assert victim_browser.get("/account").status_code == 200
    assert f"/account/sign-ins/{victim_sign_in.id}/end" not in attacker.get("/account").text


def test_changing_the_password_ends_other_sign_ins_and_renews_this_one(app, client, make_user):
    make_user(email="dian@example.org")
    sign_in(client, "dian@example.org")
    old_cookie = copy_of(client, app, "session")
    other = app.test_client()
    sign_in(other, "dian@example.org")
    client.post("/account/password", data={"current_password": TEST_PASSWORD, "password": "rendang-daging-sapi",
                                            "confirm": "rendang-daging-sapi"})
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    assert old_cookie.get("/account").status_code == 302  # the session before the change is gone too


def test_a_password_reset_ends_every_sign_in(app, client, make_user):
    user = make_user(email="dian@example.org")
    sign_in(client, "dian@example.org", remember=True)
    app.test_client().post(f"/password/reset/{make_reset_token(user)}",
                           data={"password": "soto-ayam-lamongan", "confirm": "soto-ayam-lamongan"})
    assert client.get("/account").status_code == 302
    assert signins.open_sign_ins(user) == []


def test_last_seen_is_written_at_most_every_few_minutes(app, client, make_user):
    user = make_user(email="dian@example.org")
    sign_in(client, "dian@example.org")
    record = signins.open_sign_ins(user)[0]
    first_seen = record.last_seen_at
    client.get("/")
    db.session.refresh(record)
    assert record.last_seen_at == first_seen
    record.last_seen_at = signins.utcnow() - timedelta(minutes=6)
    db.session.commit()
    client.get("/")
    db.session.refresh(record)
    assert signins.utcnow() - signins.as_utc(record.last_seen_at) < timedelta(minutes=1)


def test_sessions_from_before_sign_ins_existed_are_refused(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}.1"  # the old "id.version" form
    assert client.get("/account").status_code == 302
