"""NUL characters and lone surrogates anywhere in a request get the normal 400 page, on every database."""

import io

import pytest

from tests.pieces.test_views import PDF, _form

BAD_REQUEST = "Permintaan tidak valid"


@pytest.mark.parametrize("url", [
    "/search?q=izin%00daring",
    "/search?q=izin&regency=64%0008",
    "/commitments?regency=64%0008",
    "/commitments?status=planned%00&province=64",
    "/pieces?kind=practice%00",
    "/regencies/64%0008",
    "/indicators?q=%00",
])
def test_nul_in_the_path_or_query_string_is_a_400_page(client, content, url):
    response = client.get(url)
    assert response.status_code == 400
    assert BAD_REQUEST in response.text and "<nav" in response.text  # the normal layout, in Indonesian


def test_nul_in_the_sign_in_form_is_a_400_page(client, make_user):
    make_user(email="resmi@example.org")
    response = client.post("/login", data={"email": "resmi@example.org\x00", "password": "x"})
    assert response.status_code == 400 and BAD_REQUEST in response.text


def test_nul_in_the_piece_form_is_a_400_page(client, make_user, make_indicator, login_as):
    login_as(make_user("official"))
    response = client.post("/pieces/new", data=_form(make_indicator(), title="Perizinan\x00 daring"))
    assert response.status_code == 400 and BAD_REQUEST in response.text


def test_nul_in_an_uploaded_file_name_is_a_400_page(client, make_user, make_indicator, login_as):
    login_as(make_user("official"))
    data = _form(make_indicator())
    data["attachments"] = [(io.BytesIO(PDF), "lapo\x00ran.pdf")]
    response = client.post("/pieces/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and BAD_REQUEST in response.text


@pytest.mark.parametrize("body", ['{"email": "a\\u0000@example.org"}', '{"email": "\\ud800"}', '[{"\\udfff": 1}]'])
def test_nul_or_a_lone_surrogate_in_json_is_a_400(client, body):
    response = client.post("/login", data=body, content_type="application/json")
    assert response.status_code == 400


def test_ordinary_text_still_goes_through(client, content):
    assert client.get("/search?q=perizinan%20daring%20%C3%A9").status_code == 200
    assert client.get("/commitments?province=64").status_code == 200
