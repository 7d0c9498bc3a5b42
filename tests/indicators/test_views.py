"""The indicator catalogue and indicator pages."""

def test_catalogue_groups_by_domain_and_aspect(client, content):
    html = client.get("/indicators").text
    assert "Domain 1: Kebijakan Internal SPBE" in html
    assert "Aspek 8: Layanan Publik Berbasis Elektronik" in html
    assert html.count('class="indicator-code"') == 47
    assert html.index("I01") < html.index("I47")


def test_catalogue_in_english_shows_english_names_and_originals(client, content):
    client.set_cookie("lang", "en")
    html = client.get("/indicators").text
    assert "Domain 1: Internal SPBE policy" in html
    assert "Policy: SPBE architecture" in html
    assert "Tingkat Kematangan Kebijakan Internal Arsitektur SPBE" in html  # the official title stays visible


def test_provisional_framework_is_flagged(client, content):
    html = client.get("/indicators?framework=pemdi-2026").text
    assert "Sementara." in html and html.count('class="indicator-code"') == 20
    assert client.get("/indicators?framework=unknown").status_code == 404


def test_indicator_page(client, content):
    html = client.get("/indicators/I01").text
    assert "Tingkat Kematangan Kebijakan Internal Arsitektur SPBE" in html
    assert "Rintisan" in html and "Optimum" in html
    assert "1,3%" in html  # Indonesian decimal comma
    client.set_cookie("lang", "en")
    assert "1.3%" in client.get("/indicators/i01").text


def test_indicator_of_another_framework(client, content):
    html = client.get("/indicators/P05").text
    assert "Tingkat Kematangan Tata Kelola Data" in html and "Sementara." in html
    assert client.get("/indicators/I01?framework=pemdi-2026").status_code == 404
