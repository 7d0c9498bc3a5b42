"""Exports read back as they were written; the bulk import is checked row by row and is all or nothing."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from livinglab.commitments.models import CommitmentStatus, Milestone, ProgressUpdate, OneTimeKey, lab_today
from livinglab.commitments.reminders import send_reminders
from livinglab.extensions import db
from livinglab.notifications.models import Notification


@pytest.fixture
def coordinator(client, make_user, login_as):
    user = make_user("coordinator")
    login_as(user)
    return user


def test_xlsx_export_has_a_header_row_and_typed_cells(client, coordinator, make_commitment):
    late = make_commitment(title="Perbup arsitektur", due_on=lab_today() - timedelta(days=3), percent=40)
    make_commitment(title="Katalog data")
    response = client.get("/coordinator/export.xlsx?status=overdue")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("ID", "Judul", "Kabupaten/kota") and len(rows) == 2  # the filter applies
    row = rows[1]
    assert row[0] == late.id and row[1] == "Perbup arsitektur" and row[5] == "ya"
    assert row[8].date() == late.due_on and row[9] == 40 and isinstance(row[9], int)
    assert sheet.freeze_panes == "A2"


def test_csv_export_is_utf8_with_bom(client, coordinator, make_commitment):
    make_commitment(title="Penguatan TIK — tahap 2")
    data = client.get("/coordinator/export.csv").data
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "ID" and rows[1][1] == "Penguatan TIK — tahap 2"


def test_exports_and_import_are_for_coordinators(client, make_user, login_as):
    for role in ("peer", "official"):
        login_as(make_user(role))
        assert client.get("/coordinator/export.xlsx").status_code == 403
        assert client.get("/coordinator/import").status_code == 403


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, name: str, content: bytes):
    return client.post("/coordinator/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_bad_rows_are_listed_and_nothing_changes(client, coordinator, make_commitment):
    commitment = make_commitment()
    today = lab_today().isoformat()
    content = _xlsx([["commitment_id", "date", "percent", "text"],
                     [commitment.id, today, 30, "Rapat koordinasi."],
                     [99999, today, 30, "Tidak ada."],
                     [commitment.id, today, 140, "Terlalu tinggi."],
                     [commitment.id, "31/12/2026", 30, "Tanggal salah."],
                     [commitment.id, today, 35, ""]])
    page = _upload(client, "kemajuan.xlsx", content).get_data(as_text=True)
    assert "ditemukan 4 masalah" in page
    for expected in ("<td>3</td><td>commitment_id</td>", "<td>4</td><td>percent</td>", "<td>5</td><td>date</td>",
                     "<td>6</td><td>text</td>", "99999"):
        assert expected in page
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 0


@pytest.mark.parametrize("name, content, message", [
    ("kosong.csv", b"", "Berkas kosong."),
    ("judul.csv", b"commitment_id,date,percent,text\n", "tanpa baris data"),
    ("kolom.csv", b"id,tanggal,persen\n1,2026-01-01,5\n", "Kolom tidak sesuai"),
    ("gambar.png", b"\x89PNG", "Unggah berkas .csv atau .xlsx."),
    ("rusak.xlsx", b"bukan zip", "tidak dapat dibaca"),
])
def test_unreadable_files_are_refused_with_a_reason(client, coordinator, name, content, message):
    assert message in _upload(client, name, content).get_data(as_text=True)


def test_a_valid_file_is_previewed_then_applied_once(client, coordinator, make_commitment):
    first, second = make_commitment(), make_commitment()
    yesterday = (lab_today() - timedelta(days=1)).isoformat()
    content = (f"commitment_id,date,percent,text,evidence_url\n{first.id},{yesterday},25,Tim dibentuk.,"
               f"https://contoh.go.id/sk\n{second.id},{yesterday},10,Rapat awal.,\n").encode("utf-8")
    page = _upload(client, "kemajuan.csv", content).get_data(as_text=True)
    assert "Semua baris valid. 2 laporan" in page
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 0
    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    assert client.post("/coordinator/import", data={"payload": payload}).status_code == 302
    db.session.expire_all()
    assert (first.percent, second.percent) == (25, 10)
    assert first.status is CommitmentStatus.IN_PROGRESS and first.updates[0].evidence_url == "https://contoh.go.id/sk"
    tampered = payload[:-3] + ("abc" if not payload.endswith("abc") else "xyz")
    client.post("/coordinator/import", data={"payload": tampered})
    client.post("/coordinator/import", data={"payload": payload})  # a second click on the same preview
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 2


def test_reminders_go_out_once(make_commitment, make_user):
    today = lab_today()
    soon = make_commitment()
    soon.milestones.append(Milestone(title="Draf Perbup", due_on=today + timedelta(days=7)))
    later = make_commitment()
    later.milestones.append(Milestone(title="Nanti saja", due_on=today + timedelta(days=8)))
    late = make_commitment(due_on=today - timedelta(days=1))
    make_commitment(due_on=today - timedelta(days=1), status=CommitmentStatus.ACHIEVED)
    db.session.commit()
    assert send_reminders(today) == (1, 1)
    db.session.commit()
    assert send_reminders(today) == (0, 0)  # safe to run twice
    notes = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert {(n.user_id, n.detail) for n in notes} == {(soon.owner_id, "milestone_due"), (late.owner_id, "overdue")}
    late.due_on = today - timedelta(days=2)  # a new due date that passes again is worth a new reminder
    db.session.commit()
    assert send_reminders(today) == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(OneTimeKey)) == 3


def test_remind_command(runner, make_commitment):
    make_commitment(due_on=lab_today() - timedelta(days=5))
    first = runner.invoke(args=["commitments", "remind"])
    second = runner.invoke(args=["commitments", "remind"])
    assert first.exit_code == 0 and "1 overdue" in first.output and "0 overdue" in second.output


def test_user_text_never_becomes_a_spreadsheet_formula(client, coordinator, make_commitment):
    make_commitment(title='=HYPERLINK("http://evil.example","klik")')
    sheet = load_workbook(io.BytesIO(client.get("/coordinator/export.xlsx").data)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    rows = list(csv.reader(io.StringIO(client.get("/coordinator/export.csv").data.decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil.example\",\"klik\")"


def test_the_import_template_lists_open_commitments_and_imports_once_filled(client, coordinator, make_commitment):
    open_one = make_commitment(title="Komitmen terbuka")
    make_commitment(title="Komitmen selesai", status=CommitmentStatus.VERIFIED)
    sheet = client.get("/coordinator/import/template.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(sheet)))
    assert rows[0] == ["commitment_id", "title", "date", "percent", "text", "evidence_url"]
    assert [r[:2] for r in rows[1:]] == [[str(open_one.id), "Komitmen terbuka"]]
    rows[1][2:5] = [lab_today().isoformat(), "15", "Rapat kerja pertama."]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    page = _upload(client, "isi.csv", buffer.getvalue().encode("utf-8")).get_data(as_text=True)
    assert "Semua baris valid. 1 laporan" in page


def test_problems_keep_the_row_number_the_user_sees_after_blank_rows(client, coordinator, make_commitment):
    commitment = make_commitment()
    today = lab_today().isoformat()
    content = f"commitment_id,date,percent,text\n\n{commitment.id},{today},150,Terlalu tinggi.\n".encode()
    page = _upload(client, "kemajuan.csv", content).get_data(as_text=True)
    assert "<td>3</td><td>percent</td>" in page
