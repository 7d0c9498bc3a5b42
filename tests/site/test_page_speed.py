"""Kept public pages, stored Markdown HTML, compression, ETags and fingerprinted static files (issue 13)."""

import gzip
import re

import brotli
import pytest
from sqlalchemy import select, text, update

from livinglab import pagecache, rendering
from livinglab.accounts.models import SignIn
from livinglab.extensions import db
from livinglab.pieces.models import Piece
from tests.conftest import sign_in_client


def _generation():
    return pagecache.current_generation()


def test_a_kept_page_is_served_again_without_rendering(client, make_piece, count_queries):
    piece = make_piece(title="Tanda tangan elektronik di semua OPD")
    url = f"/pieces/{piece.id}/{piece.slug}"
    first = client.get(url)
    assert first.status_code == 200
    with count_queries() as counter:
        again = client.get(url)
    assert again.data == first.data
    assert counter.count == 1  # the site generation, nothing else


def test_an_edit_is_shown_at_once(client, make_piece):
    piece = make_piece(title="Tanda tangan elektronik di semua OPD", body="Versi **pertama**.")
    url = f"/pieces/{piece.id}/{piece.slug}"
    assert b"<strong>pertama</strong>" in client.get(url).data
    piece.body = "Versi **kedua**."
    db.session.commit()
    page = client.get(url).data
    assert b"<strong>kedua</strong>" in page and b"pertama" not in page


def test_bulk_statements_move_the_generation_and_private_tables_do_not(make_piece, make_user):
    piece = make_piece()
    before = _generation()
    db.session.execute(update(Piece).where(Piece.id == piece.id).values(summary="Ringkasan baru."))
    db.session.commit()
    after_bulk = _generation()
    assert after_bulk != before
    user = make_user("official")
    from livinglab.accounts.signins import start_sign_in

    start_sign_in(user, "pytest", remember=False)
    db.session.commit()
    moved = _generation()
    db.session.execute(update(SignIn).values(user_agent="lain"))
    db.session.commit()
    assert _generation() == moved


def test_a_rolled_back_write_keeps_the_generation(make_piece):
    piece = make_piece()
    before = _generation()
    db.session.execute(update(Piece).where(Piece.id == piece.id).values(summary="Tidak jadi."))
    db.session.rollback()
    db.session.execute(text("SELECT 1"))
    db.session.commit()
    assert _generation() == before


def test_signed_in_users_never_get_a_kept_page(client, make_piece, make_user, login_as):
    piece = make_piece()
    url = f"/pieces/{piece.id}/{piece.slug}"
    visitor_page = client.get(url)
    assert "no-cache" in visitor_page.headers["Cache-Control"]
    user = make_user("official", name="Rina Official")
    signed_in = login_as(user).get(url)
    assert b"Rina Official" in signed_in.data
    assert signed_in.headers["Cache-Control"] == "no-store"
    assert "ETag" not in signed_in.headers


def test_a_waiting_message_is_shown_not_a_kept_page(client, make_piece):
    piece = make_piece()
    url = f"/pieces/{piece.id}/{piece.slug}"
    client.get(url)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Pesan untuk pengunjung ini")]
    assert b"Pesan untuk pengunjung ini" in client.get(url).data
    assert b"Pesan untuk pengunjung ini" not in client.get(url).data


def test_a_page_holding_a_csrf_token_is_never_kept(app):
    from flask import Response, session
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context("/"):
        session["csrf_token"] = "a-token-this-visitor-got-before"
        session.modified = False  # as in a later request of the same visitor
        page = Response("<form></form>", mimetype="text/html")
        assert pagecache._keepable(page)
        generate_csrf()
        assert not session.modified
        assert not pagecache._keepable(page)


def test_each_language_has_its_own_kept_page(client, content, make_piece):
    assert b'lang="id"' in client.get("/").data
    client.set_cookie("lang", "en")
    assert b'lang="en"' in client.get("/").data


def test_a_repeat_visit_with_the_etag_costs_a_304(client, make_piece):
    piece = make_piece()
    url = f"/pieces/{piece.id}/{piece.slug}"
    first = client.get(url)
    etag = first.headers["ETag"]
    repeat = client.get(url, headers={"If-None-Match": etag})
    assert repeat.status_code == 304 and repeat.data == b""
    piece.title = "Judul yang diperbaiki"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"Judul yang diperbaiki" in changed.data


def test_a_compressed_etag_is_honoured_too(client, make_piece):
    piece = make_piece()
    url = f"/pieces/{piece.id}/{piece.slug}"
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    repeat = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert repeat.status_code == 304


@pytest.mark.parametrize(("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_compressed_pages_decode_to_the_same_page(client, make_piece, make_user, login_as, encoding, decode):
    piece = make_piece()
    url = f"/pieces/{piece.id}/{piece.slug}"
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    for _ in range(2):  # rendered, then kept
        packed = client.get(url, headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert decode(packed.data) == plain.data
    signed_in = login_as(make_user("official"))
    page = signed_in.get("/notifications", headers={"Accept-Encoding": encoding})
    assert page.headers["Content-Encoding"] == encoding
    assert b"</html>" in decode(page.data)


def test_stylesheet_is_compressed_and_fingerprinted_with_a_year_long_lifetime(client, content):
    page = client.get("/").data.decode()
    href = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', page).group(1)
    response = client.get(href, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert b".skip-link" in gzip.decompress(response.data)
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    stale = client.get("/static/css/app.css?v=000000000000")
    assert "max-age=31536000" not in stale.headers.get("Cache-Control", "")
    response.close()
    stale.close()


def test_piece_html_is_stored_at_save_and_rendered_again_for_another_renderer(app, client, runner, make_piece,
                                                                             monkeypatch):
    piece = make_piece(body="Langkah **penting** <script>alert(1)</script>")
    stored = db.session.scalar(select(Piece.body_html).where(Piece.id == piece.id))
    assert "<strong>penting</strong>" in stored and "<script" not in stored
    assert piece.rendered_with == rendering.RENDERER_VERSION

    db.session.execute(update(Piece).where(Piece.id == piece.id).values(body_html="<p>lama</p>"))
    db.session.commit()
    url = f"/pieces/{piece.id}/{piece.slug}"
    assert b"<p>lama</p>" in client.get(url).data  # the stored HTML is what the page shows

    newer = rendering.RENDERER_VERSION + ";next"
    monkeypatch.setattr(rendering, "RENDERER_VERSION", newer)
    monkeypatch.setattr("livinglab.pieces.models.RENDERER_VERSION", newer)
    monkeypatch.setattr("livinglab.pieces.services.RENDERER_VERSION", newer)
    monkeypatch.setattr("livinglab.comments.services.RENDERER_VERSION", newer)
    db.session.execute(update(Piece).where(Piece.id == piece.id).values(summary="Ringkasan diperbarui."))
    db.session.commit()
    page = client.get(url).data
    assert b"<strong>penting</strong>" in page and b"<p>lama</p>" not in page  # rendered now, not the old HTML

    result = runner.invoke(args=["content", "rerender"])
    assert result.exit_code == 0 and "1 pieces" in result.output
    db.session.expire_all()
    again = db.session.get(Piece, piece.id)
    assert again.rendered_with == newer and "<strong>penting</strong>" in again.body_html
    assert again.version == piece.version  # nobody editing it meets a conflict


def test_comments_are_rendered_again_with_mentions(app, runner, make_piece, make_user, monkeypatch):
    from livinglab.comments.services import add_comment

    author = make_user("official")
    mentioned = make_user("official", handle="rina_dinkes")
    piece = make_piece(author=author)
    comment = add_comment(author, piece, "Terima kasih @rina_dinkes, **mantap**.")
    db.session.commit()
    comment.body_html = "<p>lama</p>"
    db.session.commit()
    newer = rendering.RENDERER_VERSION + ";next"
    monkeypatch.setattr("livinglab.comments.services.RENDERER_VERSION", newer)
    monkeypatch.setattr("livinglab.pieces.services.RENDERER_VERSION", newer)
    monkeypatch.setattr("livinglab.pieces.models.RENDERER_VERSION", newer)
    result = runner.invoke(args=["content", "rerender"])
    assert result.exit_code == 0 and "1 comments" in result.output
    db.session.expire_all()
    assert f'href="/u/{mentioned.id}"' in comment.body_html and "<strong>mantap</strong>" in comment.body_html


def test_a_commitment_page_is_kept_for_visitors_and_keeps_its_forms_for_the_owner(app, client, make_commitment,
                                                                                  count_queries, login_as,
                                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # forms print their tokens, as in production
    commitment = make_commitment()
    url = f"/commitments/{commitment.id}"
    first = client.get(url)
    assert first.status_code == 200 and b'name="csrf_token"' not in first.data
    with count_queries() as counter:
        assert client.get(url).data == first.data
    assert counter.count == 1
    owner_page = login_as(commitment.owner).get(url).text
    assert 'name="percent"' in owner_page and 'name="status"' in owner_page and 'name="csrf_token"' in owner_page



def _signed_in_client(app, user):
    """A browser of its own, signed in as `user` (the `login_as` fixture signs in the one `client`)."""
    return sign_in_client(app.test_client(), user)


def _dashboard_list(page: str) -> str:
    return page[page.index('id="list-title"'):]


def test_the_dashboard_body_is_kept_for_every_coordinator_and_shows_a_change_at_once(app, make_user,
                                                                                    make_commitment, count_queries):
    make_commitment(title="Satu data kependudukan untuk semua OPD")
    first_coordinator = _signed_in_client(app, make_user("coordinator", name="Koordinator Pertama"))
    second_coordinator = _signed_in_client(app, make_user("coordinator", name="Koordinator Kedua"))
    with count_queries() as rendered:
        first = first_coordinator.get("/coordinator").text
    assert "Koordinator Pertama" in first and "Satu data kependudukan untuk semua OPD" in first
    with count_queries() as kept:
        second = second_coordinator.get("/coordinator").text
    assert "Koordinator Kedua" in second and "Koordinator Pertama" not in second  # the menu is each one's own
    assert _dashboard_list(second) == _dashboard_list(first)
    assert kept.count < rendered.count / 2
    make_commitment(title="Tanda tangan elektronik di seluruh kecamatan")
    assert "Tanda tangan elektronik di seluruh kecamatan" in second_coordinator.get("/coordinator").text


def test_a_kept_dashboard_is_still_refused_to_an_official(app, make_user, make_commitment):
    make_commitment()
    assert _signed_in_client(app, make_user("coordinator")).get("/coordinator").status_code == 200
    assert _signed_in_client(app, make_user("official")).get("/coordinator").status_code == 403
    assert app.test_client().get("/coordinator").status_code == 302  # to the sign-in page


def test_each_language_and_filter_has_its_own_kept_dashboard(app, make_user, make_commitment):
    make_commitment(title="Komitmen yang direncanakan")
    coordinator = _signed_in_client(app, make_user("coordinator"))
    assert "Dasbor koordinator" in coordinator.get("/coordinator").text
    coordinator.set_cookie("lang", "en")
    coordinator_en = _signed_in_client(app, make_user("coordinator", locale="en"))
    assert "Coordinator dashboard" in coordinator_en.get("/coordinator").text
    assert "Komitmen yang direncanakan" in coordinator.get("/coordinator?status=planned").text
    assert "Komitmen yang direncanakan" not in coordinator.get("/coordinator?status=achieved").text


def test_a_fragment_that_printed_a_csrf_token_is_not_kept(app, make_piece, monkeypatch):
    from flask import render_template_string

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    make_piece()  # a committed write: the site has a generation
    renders = {"plain": 0, "form": 0}

    def fragment(name: str, source: str):
        def render() -> str:
            renders[name] += 1
            return render_template_string(source)
        return render

    for _visit in range(2):
        with app.test_request_context("/coordinator"):
            pagecache.kept_fragment("plain", fragment("plain", "<p>{{ 1 + 1 }}</p>"))
            form = pagecache.kept_fragment("form", fragment("form", '<input value="{{ csrf_token() }}">'))
            assert form == f'<input value="{app.jinja_env.globals["csrf_token"]()}">'
    assert renders == {"plain": 1, "form": 2}


def test_the_signed_in_home_shows_the_newest_piece_at_once(app, make_user, make_piece, content):
    official = _signed_in_client(app, make_user("official", name="Rina Official"))
    make_piece(title="Layanan izin usaha dalam satu aplikasi")
    home = official.get("/").text
    assert "Rina Official" in home and "Layanan izin usaha dalam satu aplikasi" in home
    make_piece(title="Pusat data bersama untuk semua perangkat daerah")
    assert "Pusat data bersama untuk semua perangkat daerah" in official.get("/").text


@pytest.mark.parametrize(("pieces", "page", "counted"), [(3, 1, True), (3, 2, False), (1, 1, False), (4, 2, True),
                                                         (3, 9, True)])
def test_a_list_shows_its_total_and_counts_only_when_the_page_does_not_tell(app, client, make_piece, count_queries,
                                                                            monkeypatch, pieces, page, counted):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    monkeypatch.setitem(app.config, "PAGE_CACHE_BYTES", 0)
    for number in range(pieces):
        make_piece(title=f"Praktik baik nomor {number}")
    with count_queries() as counter:
        listing = client.get(f"/pieces?page={page}").text
    assert f"{pieces} tulisan" in listing
    counting = [statement for statement in counter.statements if statement.lstrip().upper().startswith(
        "SELECT COUNT(*)") and "FROM (SELECT pieces." in statement]
    assert bool(counting) == counted


def test_a_value_is_kept_under_the_generation_its_request_started_with(app, make_piece):
    piece = make_piece()
    with app.test_request_context("/notifications"):
        app.preprocess_request()  # the first hook reads the generation, before the user or anything else loads
        piece.summary = "Diubah oleh proses lain selama permintaan ini."  # a change committed meanwhile
        db.session.commit()
        assert pagecache.kept_value("who-sees", lambda: "read before the change") == "read before the change"
    with app.test_request_context("/notifications"):
        app.preprocess_request()
        assert pagecache.kept_value("who-sees", lambda: "read after the change") == "read after the change"


def test_a_request_that_writes_keeps_nothing(app, make_piece):
    make_piece()
    with app.test_request_context("/pieces", method="POST"):
        pagecache.kept_value("who-sees", lambda: "inside a transaction that may roll back")
    with app.test_request_context("/pieces"):
        assert pagecache.kept_value("who-sees", lambda: "committed") == "committed"
