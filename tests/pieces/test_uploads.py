"""Office files are zip archives: a zip bomb or an archive of countless parts is refused at upload."""

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from livinglab.extensions import db
from livinglab.pieces import attachments
from livinglab.pieces.models import Attachment, Piece
from tests.pieces.test_views import _docx, _form

MB = 1024 * 1024


def _bomb(folder: str = "word/", member: str = "document.xml", megabytes: int = 200) -> bytes:
    """A small Office file whose one XML part decompresses to `megabytes` MB of repeated bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(folder + member, "w") as part:
            block = b"A" * MB
            for _ in range(megabytes):
                part.write(block)
    return buffer.getvalue()


def _many_parts(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(count):
            archive.writestr(f"word/media/part{number}.xml", "<p/>")
    return buffer.getvalue()


def _upload(client, make_user, make_indicator, login_as, content: bytes, name: str, locale: str = "id"):
    login_as(make_user("official", locale=locale))
    data = _form(make_indicator())
    data["attachments"] = [(io.BytesIO(content), name)]
    return client.post("/pieces/new", data=data, content_type="multipart/form-data")


def _stored_files(app) -> set[Path]:
    return set(Path(app.config["UPLOAD_DIR"]).glob("*"))


def _nothing_saved(app, files_before: set[Path]) -> bool:
    """No piece, no attachment row and no new file (the upload folder is shared by the test session)."""
    return (db.session.scalar(select(func.count()).select_from(Piece)) == 0
            and db.session.scalar(select(func.count()).select_from(Attachment)) == 0
            and _stored_files(app) == files_before)


def test_a_zip_bomb_docx_is_refused_with_the_form_kept(client, make_user, make_indicator, login_as, app):
    bomb, files_before = _bomb(), _stored_files(app)
    assert len(bomb) < 1 * MB  # 200 MB of XML in a file well under the 10 MB upload limit
    response = _upload(client, make_user, make_indicator, login_as, bomb, "laporan-besar.docx")
    assert response.status_code == 400
    assert (
        "laporan-besar.docx akan terurai menjadi 200 MB" in response.text and "ditolak demi keamanan" in response.text
    )
    assert 'value="Perizinan daring satu pintu"' in response.text  # the rest of the form is kept
    assert _nothing_saved(app, files_before)


@pytest.mark.parametrize(("folder", "member", "name"), [("xl/", "worksheets/sheet1.xml", "data.xlsx"),
                                                         ("ppt/", "slides/slide1.xml", "paparan.pptx")])
def test_spreadsheet_and_slide_bombs_are_refused_in_english_too(client, make_user, make_indicator, login_as, app,
                                                                  folder, member, name):
    response = _upload(client, make_user, make_indicator, login_as, _bomb(folder, member, 120), name, locale="en")
    assert response.status_code == 400
    assert f"The file {name} would unpack to 120 MB" in response.text and "refused as a precaution" in response.text


def test_a_high_ratio_is_refused_even_under_the_total_cap(client, make_user, make_indicator, login_as, app):
    app.config["MAX_UNZIPPED_BYTES"] = 500 * MB
    try:
        response = _upload(client, make_user, make_indicator, login_as, _bomb(megabytes=30), "padat.docx")
    finally:
        app.config["MAX_UNZIPPED_BYTES"] = 100 * MB
    assert response.status_code == 400 and "padat.docx akan terurai" in response.text


def test_an_archive_with_too_many_parts_is_refused_before_it_is_parsed(client, make_user, make_indicator, login_as,
                                                                       app, monkeypatch):
    def parse_nothing(*args, **kwargs):
        raise AssertionError("the central directory of a too-large archive must not be parsed")

    content, files_before = _many_parts(60), _stored_files(app)
    monkeypatch.setattr(attachments.zipfile, "ZipFile", parse_nothing)
    app.config["MAX_ZIP_ENTRIES"] = 50
    try:
        response = _upload(client, make_user, make_indicator, login_as, content, "pecahan.docx")
    finally:
        app.config["MAX_ZIP_ENTRIES"] = 5000
    assert response.status_code == 400 and "pecahan.docx memiliki terlalu banyak bagian" in response.text
    assert _nothing_saved(app, files_before)


def test_a_damaged_office_file_is_refused(client, make_user, make_indicator, login_as, app):
    damaged = _docx()[:-30]  # the end of the archive is missing
    response = _upload(client, make_user, make_indicator, login_as, damaged, "rusak.docx")
    assert response.status_code == 400 and "rusak.docx rusak" in response.text


def test_an_ordinary_docx_is_still_accepted(client, make_user, make_indicator, login_as, app):
    response = _upload(client, make_user, make_indicator, login_as, _docx(), "rencana.docx")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
