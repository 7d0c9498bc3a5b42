"""Who may write, edit, publish and see pieces: each rule with its refusals."""

import pytest

from livinglab.extensions import db
from livinglab.pieces.models import PieceStatus
from livinglab.pieces.permissions import can_create_piece, can_edit_piece, can_view_piece


def test_predicates(make_user, make_piece, make_regency):
    piece = make_piece(status="draft")
    own_official = make_user("official", regency=piece.regency)
    other_official = make_user("official", regency=make_regency())
    peer, coordinator, admin = make_user(), make_user("coordinator"), make_user("admin")
    assert can_create_piece(own_official) and not can_create_piece(peer) and not can_create_piece(coordinator)
    assert can_edit_piece(own_official, piece) and can_edit_piece(coordinator, piece) and can_edit_piece(admin, piece)
    assert not can_edit_piece(other_official, piece) and not can_edit_piece(peer, piece)
    assert not can_view_piece(peer, piece) and not can_view_piece(other_official, piece)
    own_official.is_active = False
    assert not can_edit_piece(own_official, piece) and not can_create_piece(own_official)


def test_anonymous_visitors_cannot_write(client, make_piece):
    piece = make_piece()
    for url in ["/pieces/new", f"/pieces/{piece.id}/edit"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    for url in [f"/pieces/{piece.id}/archive", f"/pieces/{piece.id}/publish", f"/pieces/{piece.id}/edit"]:
        assert client.post(url, data={"title": "x"}).status_code == 302
    db.session.refresh(piece)
    assert piece.status is PieceStatus.PUBLISHED


@pytest.mark.parametrize("role", ["peer", "coordinator"])
def test_only_officials_open_the_editor_for_a_new_piece(client, make_user, login_as, role):
    login_as(make_user(role))
    assert client.get("/pieces/new").status_code == 403
    assert client.post("/pieces/new", data={"title": "Judul percobaan", "action": "draft"}).status_code == 403


def test_official_of_another_regency_cannot_edit_archive_or_delete_files(
    client, make_user, make_piece, make_regency, login_as
):
    piece = make_piece()
    login_as(make_user("official", regency=make_regency()))
    assert client.get(f"/pieces/{piece.id}/edit").status_code == 403
    assert client.post(f"/pieces/{piece.id}/edit", data={"title": "Diambil alih", "action": "save"}).status_code == 403
    assert client.post(f"/pieces/{piece.id}/archive").status_code == 403
    assert client.post(f"/pieces/{piece.id}/attachments/1/delete").status_code == 403
    db.session.refresh(piece)
    assert piece.status is PieceStatus.PUBLISHED and piece.title != "Diambil alih"


@pytest.mark.parametrize("viewer", ["anonymous", "peer", "other_official"])
def test_drafts_are_hidden_from_those_who_cannot_edit_them(
    client, make_user, make_piece, make_regency, login_as, viewer
):
    draft = make_piece(status="draft", title="Draf rahasia perizinan")
    if viewer == "peer":
        login_as(make_user())
    elif viewer == "other_official":
        login_as(make_user("official", regency=make_regency()))
    assert client.get(f"/pieces/{draft.id}").status_code == 404
    assert client.get(f"/pieces/{draft.id}/history").status_code == 404
    assert "Draf rahasia perizinan" not in client.get("/pieces").text
    assert "Draf rahasia perizinan" not in client.get(f"/regencies/{draft.regency_code}").text
    assert "Draf rahasia perizinan" not in client.get("/").text


def test_drafts_are_visible_to_their_officials_and_coordinators(client, make_user, make_piece, login_as):
    draft = make_piece(status="draft", title="Draf perizinan kami")
    login_as(make_user("official", regency=draft.regency))
    assert client.get(f"/pieces/{draft.id}", follow_redirects=True).status_code == 200
    assert "Draf perizinan kami" in client.get(f"/regencies/{draft.regency_code}").text
    login_as(make_user("coordinator"))
    assert client.get(f"/pieces/{draft.id}/edit").status_code == 200


def test_coordinator_can_edit_and_archive_any_piece(client, make_user, make_piece, login_as):
    piece = make_piece()
    login_as(make_user("coordinator"))
    assert client.post(f"/pieces/{piece.id}/archive").status_code == 302
    db.session.refresh(piece)
    assert piece.status is PieceStatus.ARCHIVED


def test_archived_pieces_stay_readable_but_unlisted(client, make_piece):
    piece = make_piece(status="archived", title="Praktik lama yang diarsipkan")
    response = client.get(f"/pieces/{piece.id}", follow_redirects=True)
    assert response.status_code == 200 and "Diarsipkan" in response.text
    assert "Praktik lama yang diarsipkan" not in client.get("/pieces").text
