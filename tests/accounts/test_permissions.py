"""Who may manage accounts: every rule has a refusal."""

import pytest

from livinglab.accounts.permissions import can_edit_user, can_grant_role, can_manage_users
from livinglab.extensions import db
from livinglab.roles import Role


@pytest.mark.parametrize("role", ["peer", "official"])
def test_peers_and_officials_cannot_open_user_administration(client, make_user, login_as, role):
    login_as(make_user(role))
    assert client.get("/admin/users").status_code == 403
    assert client.get("/audit").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, make_user):
    target = make_user()
    for url in ["/admin/users", f"/admin/users/{target.id}", "/audit", "/account", "/account/password"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(f"/admin/users/{target.id}", data={"role": "admin"}).status_code == 302
    assert target.role is Role.PEER


@pytest.mark.parametrize("role", ["peer", "official"])
def test_peers_and_officials_cannot_change_roles(client, make_user, login_as, role):
    target = make_user()
    login_as(make_user(role))
    assert client.post(f"/admin/users/{target.id}", data={"role": "coordinator"}).status_code == 403
    assert client.post(f"/admin/users/{target.id}/activation", data={"active": "0"}).status_code == 403
    db.session.refresh(target)
    assert target.role is Role.PEER and target.is_active


def test_coordinator_makes_a_peer_an_official_of_a_regency(client, make_user, make_regency, login_as):
    regency = make_regency()
    target = make_user()
    login_as(make_user("coordinator"))
    response = client.post(f"/admin/users/{target.id}", data={"role": "official", "regency": regency.code})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.role is Role.OFFICIAL and target.regency_code == regency.code


def test_official_without_regency_is_refused_with_a_message(client, make_user, login_as):
    target = make_user()
    login_as(make_user("coordinator"))
    response = client.post(f"/admin/users/{target.id}", data={"role": "official", "regency": ""})
    assert response.status_code == 200
    assert "aria-invalid" in response.text
    db.session.refresh(target)
    assert target.role is Role.PEER


def test_coordinator_cannot_grant_admin_or_touch_admins(client, make_user, login_as):
    target = make_user()
    admin = make_user("admin")
    login_as(make_user("coordinator"))
    client.post(f"/admin/users/{target.id}", data={"role": "admin"})
    db.session.refresh(target)
    assert target.role is Role.PEER
    assert client.get(f"/admin/users/{admin.id}").status_code == 403
    assert client.post(f"/admin/users/{admin.id}/activation", data={"active": "0"}).status_code == 403
    db.session.refresh(admin)
    assert admin.is_active


def test_nobody_edits_their_own_account_through_administration(client, make_user, login_as):
    admin = make_user("admin")
    login_as(admin)
    assert client.get(f"/admin/users/{admin.id}").status_code == 403
    assert client.post(f"/admin/users/{admin.id}/activation", data={"active": "0"}).status_code == 403


def test_admin_can_make_an_admin_and_deactivate_a_coordinator(client, make_user, login_as):
    target = make_user()
    coordinator = make_user("coordinator")
    login_as(make_user("admin"))
    client.post(f"/admin/users/{target.id}", data={"role": "admin"})
    client.post(f"/admin/users/{coordinator.id}/activation", data={"active": "0"})
    db.session.refresh(target)
    db.session.refresh(coordinator)
    assert target.role is Role.ADMIN and not coordinator.is_active


def test_unknown_user_is_404(client, make_user, login_as):
    login_as(make_user("admin"))
    assert client.get("/admin/users/999999").status_code == 404


def test_predicates(app, make_user):
    peer, official = make_user(), make_user("official")
    coordinator, admin = make_user("coordinator"), make_user("admin")
    assert not can_manage_users(peer) and not can_manage_users(official)
    assert can_manage_users(coordinator) and can_manage_users(admin)
    assert can_edit_user(coordinator, peer) and not can_edit_user(coordinator, admin)
    assert not can_edit_user(admin, admin) and can_edit_user(admin, coordinator)
    assert not can_grant_role(coordinator, Role.ADMIN) and can_grant_role(admin, Role.ADMIN)
    coordinator.is_active = False
    assert not can_manage_users(coordinator)


def test_user_list_filters(client, make_user, login_as):
    make_user(name="Siti Nurhaliza")
    make_user("official", name="Joko Susilo")
    login_as(make_user("coordinator", name="Koordinator Satu"))
    html = client.get("/admin/users?role=official").text
    assert "Joko Susilo" in html and "Siti Nurhaliza" not in html
    html = client.get("/admin/users?q=siti").text
    assert "Siti Nurhaliza" in html and "Joko Susilo" not in html


def test_the_audit_log_names_objects_in_the_reader_language_and_links_them(client, make_user, make_piece, login_as):
    piece = make_piece()
    from livinglab.audit.services import record_event

    record_event("piece.published", "piece", piece.id, actor=piece.author)
    record_event("evaluations.imported", "evaluations", "2025", actor=piece.author)
    db.session.commit()
    login_as(make_user("coordinator"))
    page = client.get("/audit").get_data(as_text=True)
    assert f'<a href="/pieces/{piece.id}">Tulisan #{piece.id}</a>' in page and "Hasil resmi #2025" in page
