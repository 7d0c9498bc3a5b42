"""Account rules: registration, passwords, reset tokens, roles and activation."""

import time

import pytest
from sqlalchemy import select

from livinglab.accounts import services, signins
from livinglab.audit.models import AuditEvent
from livinglab.extensions import db
from livinglab.roles import Role
from tests.conftest import TEST_PASSWORD


def test_register_creates_a_peer_with_a_hashed_password(app):
    user = services.register_user("  Budi@Example.ORG ", "Budi Santoso", TEST_PASSWORD)
    db.session.commit()
    assert user.email == "budi@example.org"
    assert user.role is Role.PEER
    assert TEST_PASSWORD not in user.password_hash
    assert services.authenticate("BUDI@example.org", TEST_PASSWORD) == user


def test_register_refuses_an_email_already_in_use(app, make_user):
    make_user(email="siti@example.org")
    with pytest.raises(services.AccountError) as error:
        services.register_user("Siti@example.org", "Siti", TEST_PASSWORD)
    assert error.value.field == "email"


@pytest.mark.parametrize(
    "password",
    ["pendek123", "password1234", "qwertyuiop", "bismillah123", "Sayangkamu123", "aaaaaaaaaaaa", "abababababab"],
)
def test_weak_passwords_are_refused(app, password):
    assert services.password_problem(password) is not None
    with pytest.raises(services.AccountError):
        services.register_user("x@example.org", "X", password)


def test_a_long_uncommon_password_is_accepted(app):
    assert services.password_problem("sate-padang-tanpa-kuah") is None


def test_authenticate_refuses_wrong_password_unknown_email_and_inactive_users(app, make_user):
    user = make_user(email="rina@example.org")
    assert services.authenticate("rina@example.org", "wrong-password-123") is None
    assert services.authenticate("nobody@example.org", TEST_PASSWORD) is None
    user.is_active = False
    db.session.commit()
    assert services.authenticate("rina@example.org", TEST_PASSWORD) is None


def test_change_password_needs_the_current_one_and_ends_other_sessions(app, make_user):
    user = make_user()
    signins.start_sign_in(user, "Firefox", remember=False)
    db.session.commit()
    with pytest.raises(services.AccountError) as error:
        services.change_password(user, "not-my-password", "teh-manis-hangat-sekali")
    assert error.value.field == "current_password"
    assert len(signins.open_sign_ins(user)) == 1
    services.change_password(user, TEST_PASSWORD, "teh-manis-hangat-sekali")
    db.session.commit()
    assert signins.open_sign_ins(user) == []
    assert services.authenticate(user.email, "teh-manis-hangat-sekali") == user


def test_reset_token_works_once(app, make_user):
    user = make_user()
    token = services.make_reset_token(user)
    assert services.user_for_reset_token(token) == user
    services.reset_password(user, "nasi-goreng-kampung-enak")
    db.session.commit()
    assert services.user_for_reset_token(token) is None


def test_reset_token_expires(app, make_user):
    user = make_user()
    token = services.make_reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = 0
    try:
        time.sleep(1.1)  # itsdangerous timestamps have one-second resolution
        assert services.user_for_reset_token(token) is None
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600


def test_tampered_or_foreign_tokens_are_refused(app, make_user):
    user = make_user()
    token = services.make_reset_token(user)
    assert services.user_for_reset_token(token[:-2] + "xx") is None
    assert services.user_for_reset_token("not-a-token") is None


def test_reset_mail_goes_to_existing_active_accounts_only(app, make_user, caplog, monkeypatch):
    user = make_user(email="ani@example.org", locale="id")
    monkeypatch.setitem(app.config, "SITE_URL", "https://livinglab.example.go.id")
    with caplog.at_level("INFO"):
        services.send_reset_mail("nobody@example.org")
    assert "nobody@example.org" not in caplog.text
    with caplog.at_level("INFO"):
        services.send_reset_mail("ani@example.org")
    assert "To: ani@example.org" in caplog.text
    assert "https://livinglab.example.go.id/password/reset/" in caplog.text
    user.is_active = False
    db.session.commit()
    caplog.clear()
    with caplog.at_level("INFO"):
        services.send_reset_mail("ani@example.org")
    assert "ani@example.org" not in caplog.text


def test_official_needs_a_regency_and_role_changes_are_audited(app, make_user, make_regency):
    admin = make_user("admin")
    user = make_user()
    with pytest.raises(services.AccountError):
        services.change_role(user, Role.OFFICIAL, None, by=admin)
    regency = make_regency()
    services.change_role(user, Role.OFFICIAL, regency.code, by=admin)
    db.session.commit()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.role_changed")).one()
    assert event.actor_id == admin.id
    assert event.details["before"]["role"] == "peer"
    assert event.details["after"] == {"role": "official", "regency": regency.code}


def test_deactivation_is_audited_and_ends_sessions(app, make_user):
    admin = make_user("admin")
    user = make_user()
    signins.start_sign_in(user, "Firefox", remember=True)
    db.session.commit()
    services.set_active(user, False, by=admin)
    db.session.commit()
    assert not user.is_active and signins.open_sign_ins(user) == []
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(user.id))).all()
    assert "user.deactivated" in actions
