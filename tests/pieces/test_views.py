"""Writing and reading pieces as users do: editor, preview, publish, history, attachments, lists."""

import io
import zipfile

from sqlalchemy import func, select

from livinglab.extensions import db
from livinglab.pieces.models import Attachment, Piece, PieceStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _form(indicator, **overrides):
    data = {"kind": "practice", "title": "Perizinan daring satu pintu", "summary": "Ringkasan singkat.",
            "body": "## Masalah\n\nAntrean panjang.", "language": "id", "indicators": [str(indicator.id)],
            "tags": "perizinan, tte", "action": "draft"}
    data.update(overrides)
    return data


def test_new_piece_offers_the_structured_template(client, make_user, make_indicator, login_as):
    make_indicator()
    login_as(make_user("official"))
    html = client.get("/pieces/new").text
    for heading in (
        "## Masalah",
        "## Apa yang kami lakukan",
        "## Hasil",
        "## Biaya dan tim",
        "## Pelajaran",
        "## Cara mereplikasi",
    ):
        assert heading in html


def test_preview_renders_without_saving(client, make_user, make_indicator, login_as):
    indicator = make_indicator()
    login_as(make_user("official"))
    response = client.post(
        "/pieces/new", data=_form(indicator, body="**Tebal** <script>x()</script>", action="preview")
    )
    assert response.status_code == 200
    assert "<strong>Tebal</strong>" in response.text and "<script>x()" not in response.text
    assert 'value="Perizinan daring satu pintu"' in response.text
    assert db.session.scalar(select(func.count()).select_from(Piece)) == 0


def test_save_draft_then_publish_from_the_page(client, make_user, make_indicator, login_as):
    indicator = make_indicator()
    official = make_user("official")
    login_as(official)
    response = client.post("/pieces/new", data=_form(indicator))
    assert response.status_code == 302
    piece = db.session.scalars(select(Piece)).one()
    assert piece.status is PieceStatus.DRAFT and piece.author_id == official.id
    assert client.post(f"/pieces/{piece.id}/publish").status_code == 302
    db.session.refresh(piece)
    assert piece.status is PieceStatus.PUBLISHED
    assert "Perizinan daring satu pintu" in client.get("/").text
    assert "Perizinan daring satu pintu" in client.get(f"/indicators/{indicator.code}").text


def test_publish_without_indicator_keeps_everything_typed(client, make_user, make_indicator, login_as):
    make_indicator()
    login_as(make_user("official"))
    data = _form(make_indicator(), action="publish")
    data["indicators"] = []
    response = client.post("/pieces/new", data=data)
    assert response.status_code == 400
    assert 'value="Perizinan daring satu pintu"' in response.text and "Antrean panjang." in response.text
    assert db.session.scalar(select(func.count()).select_from(Piece)) == 0


def test_publishing_an_empty_piece_lists_everything_it_lacks_at_once(client, make_user, make_indicator, login_as):
    login_as(make_user("official"))
    response = client.post("/pieces/new", data=_form(make_indicator(), action="publish", title="", summary="", body="",
                                                     indicators=[]))
    assert response.status_code == 400
    for message in (
        "Kolom ini wajib diisi.",
        "Tulis ringkasan sebelum menerbitkan.",
        "Tulis isi tulisan sebelum menerbitkan.",
        "Pilih minimal satu indikator",
    ):
        assert message in response.text
    assert (
        client.post("/pieces/new", data=_form(make_indicator(), summary="", body="")).status_code == 302
    )  # a draft may


def test_invalid_form_explains_in_indonesian(client, make_user, make_indicator, login_as):
    login_as(make_user("official"))
    response = client.post("/pieces/new", data=_form(make_indicator(), title="", period_start_on="kemarin"))
    assert response.status_code == 400
    assert "Kolom ini wajib diisi." in response.text and "YYYY-MM-DD" in response.text


def test_url_keeps_working_when_the_title_changes(client, make_piece, make_indicator, login_as):
    piece = make_piece(title="Judul lama")
    old_url = f"/pieces/{piece.id}/judul-lama"
    assert client.get(old_url).status_code == 200
    login_as(piece.author)
    client.post(f"/pieces/{piece.id}/edit", data=_form(make_indicator(), title="Judul baru sekali", action="save",
                                                      version=piece.version))
    response = client.get(old_url)
    assert response.status_code == 301 and response.headers["Location"].endswith(
        f"/pieces/{piece.id}/judul-baru-sekali"
    )
    assert client.get(f"/pieces/{piece.id}").status_code == 301


def test_history_lists_revisions_and_shows_the_difference(client, make_piece, make_indicator, login_as):
    indicator = make_indicator()
    piece = make_piece(body="## Masalah\n\nAntrean panjang di loket.", indicators=[indicator])
    login_as(piece.author)
    client.post(
        f"/pieces/{piece.id}/edit",
        data=_form(
            indicator,
            title=piece.title,
            body="## Masalah\n\nAntrean pendek di loket.",
            action="save",
            note="perbaiki data",
            version=piece.version,
        ),
    )
    history = client.get(f"/pieces/{piece.id}/history").text
    assert "perbaiki data" in history
    compare = client.get(f"/pieces/{piece.id}/history/compare?from=1&to=2").text
    assert "<del>panjang</del>" in compare and "<ins>pendek</ins>" in compare
    assert client.get(f"/pieces/{piece.id}/history/compare?from=1&to=9").status_code == 404


def test_diff_escapes_markup(client, make_piece, make_indicator, login_as):
    indicator = make_indicator()
    piece = make_piece(indicators=[indicator])
    login_as(piece.author)
    client.post(f"/pieces/{piece.id}/edit", data=_form(indicator, body="<script>alert(1)</script>", action="save",
                                                      version=piece.version))
    compare = client.get(f"/pieces/{piece.id}/history/compare?from=1&to=2").text
    assert "<script>alert(1)" not in compare and "&lt;script&gt;" in compare


def test_attachments_are_checked_by_content_and_downloaded_safely(client, make_user, make_indicator, login_as, app):
    login_as(make_user("official"))
    data = _form(make_indicator())
    data["attachments"] = [(io.BytesIO(PDF), "laporan.pdf"), (io.BytesIO(PDF), "laporan.pdf"),
                           (io.BytesIO(_docx()), "rencana.docx"), (io.BytesIO(PNG), "grafik.png")]
    assert client.post("/pieces/new", data=data, content_type="multipart/form-data").status_code == 302
    piece = db.session.scalars(select(Piece)).one()
    names = [a.original_name for a in piece.attachments]
    assert names == ["laporan.pdf", "laporan (2).pdf", "rencana.docx", "grafik.png"]
    stored = piece.attachments[0].stored_name
    assert "laporan" not in stored and (app.config["UPLOAD_DIR"] not in app.static_folder)
    pdf = client.get(f"/pieces/{piece.id}/attachments/{piece.attachments[0].id}")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert (
        pdf.headers["Content-Disposition"].startswith("attachment")
        and "laporan.pdf" in pdf.headers["Content-Disposition"]
    )
    assert pdf.headers["X-Content-Type-Options"] == "nosniff" and pdf.data == PDF
    image = client.get(f"/pieces/{piece.id}/attachments/{piece.attachments[3].id}")
    assert image.headers["Content-Type"] == "image/png" and image.headers["Content-Disposition"].startswith("inline")


def test_wrong_type_with_a_right_name_is_refused_and_the_form_kept(client, make_user, make_indicator, login_as):
    login_as(make_user("official"))
    data = _form(make_indicator())
    data["attachments"] = [(io.BytesIO(b"MZ\x90\x00 this is an exe"), "laporan.pdf")]
    response = client.post("/pieces/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "bukan salah satu jenis yang diizinkan" in response.text
    assert 'value="Perizinan daring satu pintu"' in response.text
    assert db.session.scalar(select(func.count()).select_from(Piece)) == 0


def test_empty_file_is_refused(client, make_user, make_indicator, login_as):
    login_as(make_user("official"))
    data = _form(make_indicator())
    data["attachments"] = [(io.BytesIO(b""), "kosong.pdf")]
    response = client.post("/pieces/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "kosong.pdf" in response.text


def test_oversize_file_gets_413_with_the_form_kept(client, make_user, make_indicator, login_as, app):
    login_as(make_user("official"))
    data = _form(make_indicator())
    data["attachments"] = [(io.BytesIO(PDF + b"0" * app.config["MAX_ATTACHMENT_BYTES"]), "besar.pdf")]
    response = client.post("/pieces/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "besar.pdf" in response.text and 'value="Perizinan daring satu pintu"' in response.text


def test_at_most_the_configured_number_of_attachments(client, make_user, make_indicator, login_as, app):
    login_as(make_user("official"))
    data = _form(make_indicator())
    data["attachments"] = [(io.BytesIO(PDF), f"f{n}.pdf") for n in range(app.config["MAX_ATTACHMENTS"] + 1)]
    response = client.post("/pieces/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_editor_removes_an_attachment(client, make_user, make_indicator, login_as, app):
    login_as(make_user("official"))
    data = _form(make_indicator())
    data["attachments"] = [(io.BytesIO(PDF), "laporan.pdf")]
    client.post("/pieces/new", data=data, content_type="multipart/form-data")
    piece = db.session.scalars(select(Piece)).one()
    attachment = piece.attachments[0]
    path = f"{app.config['UPLOAD_DIR']}/{attachment.stored_name}"
    assert client.post(f"/pieces/{piece.id}/attachments/{attachment.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    import os
    assert not os.path.exists(path)


def test_draft_attachments_are_hidden_from_others(client, make_user, make_indicator, login_as):
    official = make_user("official")
    login_as(official)
    data = _form(make_indicator())
    data["attachments"] = [(io.BytesIO(PDF), "rahasia.pdf")]
    client.post("/pieces/new", data=data, content_type="multipart/form-data")
    piece = db.session.scalars(select(Piece)).one()
    client.post("/logout")
    assert client.get(f"/pieces/{piece.id}/attachments/{piece.attachments[0].id}").status_code == 404


def test_list_filters_combine(client, make_piece, make_indicator, make_user, make_regency):
    first, second = make_indicator(), make_indicator()
    jakarta = make_user("official", regency=make_regency(province_code="31"))
    make_piece(title="Praktik perizinan", kind="practice", indicators=[first], tags=["perizinan"])
    make_piece(author=jakarta, title="Studi kasus arsip", kind="case_study", indicators=[second], tags=["arsip"])
    assert "Studi kasus arsip" not in client.get("/pieces?kind=practice").text
    html = client.get(f"/pieces?indicator={second.code}&province=31").text
    assert "Studi kasus arsip" in html and "Praktik perizinan" not in html
    html = client.get("/pieces?tag=perizinan&year=2099").text
    assert "Praktik perizinan" not in html
    html = client.get("/pieces?tag=perizinan&domain=1").text
    assert "Praktik perizinan" in html and "Studi kasus arsip" not in html
    for hostile in ["<script>", "' OR 1=1", "9" * 80]:
        assert (
            client.get("/pieces", query_string={"year": hostile, "tag": hostile, "domain": hostile}).status_code == 200
        )


def test_a_refused_publish_writes_no_file(client, make_user, make_indicator, login_as, app):
    import os

    login_as(make_user("official"))
    data = _form(make_indicator(), action="publish")
    data["indicators"] = []
    data["attachments"] = [(io.BytesIO(PDF), "laporan.pdf")]
    before = set(os.listdir(app.config["UPLOAD_DIR"]))
    assert client.post("/pieces/new", data=data, content_type="multipart/form-data").status_code == 400
    assert set(os.listdir(app.config["UPLOAD_DIR"])) == before


def test_an_edit_missing_fields_is_refused_politely(client, make_piece, login_as):
    piece = make_piece()
    login_as(piece.author)
    response = client.post(f"/pieces/{piece.id}/edit", data={"action": "save"})
    assert response.status_code == 400 and "Kolom ini wajib diisi." in response.text
