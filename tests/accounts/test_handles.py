"""Handles: assigned to every new user, changed on the profile, shown on the public profile."""

from livinglab.accounts.models import EmailFrequency
from livinglab.comments.services import render_body
from livinglab.extensions import db


def test_new_users_get_a_free_readable_handle(make_user):
    first = make_user(name="Siti Nurhaliza (demo)")
    second = make_user(name="Siti Nurhaliza")
    odd = make_user(name="Ö", email="xy@example.org")
    assert (first.handle, second.handle) == ("siti_nurhaliza", "siti_nurhaliza2")
    assert odd.handle == "anggota"


def test_profile_changes_handle_and_mail_preference_with_clear_errors(client, make_user, login_as):
    user, other = make_user(name="Rudi Hartono"), make_user(name="Taken Name")
    login_as(user)
    data = {"name": "Rudi Hartono", "locale": "id", "email_frequency": "daily"}
    page = client.post("/account", data={**data, "handle": "Bad Handle!"}).get_data(as_text=True)
    assert "huruf kecil, angka, atau garis bawah" in page and 'value="Bad Handle!"' in page
    page = client.post("/account", data={**data, "handle": other.handle}).get_data(as_text=True)
    assert "sudah dipakai" in page
    assert client.post("/account", data={**data, "handle": "rudi_kominfo"}).status_code == 302
    db.session.refresh(user)
    assert user.handle == "rudi_kominfo" and user.email_frequency is EmailFrequency.DAILY


def test_public_profile_shows_no_private_details(client, make_user, make_regency):
    user = make_user("official", regency=make_regency(name="Kabupaten Contoh"), name="Dewi Publik")
    page = client.get(f"/people/{user.handle}").get_data(as_text=True)
    assert "Dewi Publik" in page and "Kabupaten Contoh" in page and user.email not in page
    user.is_active = False
    db.session.commit()
    assert client.get(f"/people/{user.handle}").status_code == 404
    assert client.get("/people/tidak_ada").status_code == 404


def test_a_mention_still_leads_to_the_person_after_a_handle_change(client, make_user, login_as):
    ani = make_user(name="Ani Rahma", handle="ani_rahma")
    html, mentioned = render_body("Tanya @ani_rahma soal gerbang layanan.")
    link = html.split('href="')[1].split('"')[0]
    assert mentioned == [ani]
    login_as(ani)
    client.post("/account", data={"name": "Ani Rahma", "locale": "id", "email_frequency": "never",
                                  "handle": "ani_diskominfo"})
    response = client.get(link)
    assert response.status_code == 302 and response.location.endswith("/people/ani_diskominfo")
    assert "Ani Rahma" in client.get(response.location).get_data(as_text=True)
    assert client.get("/people/ani_rahma").status_code == 404
    ani.is_active = False
    db.session.commit()
    assert client.get(link).status_code == 404


def test_the_public_profile_lists_published_pieces_and_owned_commitments(client, make_piece, make_commitment):
    piece = make_piece(title="Layanan izin tanpa antre")
    draft = make_piece(title="Draf yang belum terbit", author=piece.author, status="draft")
    make_commitment(owner=piece.author, title="Menerapkan katalog data")
    page = client.get(f"/people/{piece.author.handle}").get_data(as_text=True)
    assert "Layanan izin tanpa antre" in page and "Menerapkan katalog data" in page
    assert draft.title not in page
