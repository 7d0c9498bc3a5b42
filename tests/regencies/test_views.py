"""The regency list and profile."""

from livinglab.extensions import db
from livinglab.regencies.models import Regency


def test_list_paginates_and_filters(client, content):
    html = client.get("/regencies").text
    assert "514 kabupaten/kota" in html
    assert 'rel="next"' in html
    page_two = client.get("/regencies?page=2").text
    assert 'rel="prev"' in page_two
    html = client.get("/regencies?q=sumedang").text
    assert "Kabupaten Sumedang" in html and "Kota Bandung" not in html
    html = client.get("/regencies?province=73").text
    assert "Kota Makassar" in html and "Kabupaten Sumedang" not in html


def test_membership_filter(client, content):
    db.session.get(Regency, "3211").is_member = True
    db.session.commit()
    html = client.get("/regencies?member=member").text
    assert "Kabupaten Sumedang" in html and "1 kabupaten/kota" in html
    assert "Kabupaten Sumedang" not in client.get("/regencies?member=other&q=sumedang").text


def test_hostile_filters_never_break_the_page(client, content):
    for query in ["%", "_", "' OR 1=1 --", "<script>alert(1)</script>", "x" * 500]:
        response = client.get("/regencies", query_string={"q": query, "province": "zz", "page": "-3"})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.text


def test_profile_shows_facts_and_officials(client, content, make_user):
    regency = db.session.get(Regency, "3211")
    make_user("official", regency=regency, name="Asep Hidayat")
    make_user("official", regency=regency, name="Tidak Aktif", is_active=False)
    html = client.get("/regencies/3211").text
    assert "Kabupaten Sumedang" in html and "Jawa Barat" in html and "32.11" in html
    assert "Asep Hidayat" in html and "Tidak Aktif" not in html


def test_unknown_regency_is_404(client, content):
    assert client.get("/regencies/0000").status_code == 404
    assert client.get("/regencies/<b>").status_code == 404
