"""Exports read back as they were written; the bulk import is checked row by row and is all or nothing."""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from livinglab.clock import lab_today
from livinglab.commitments import services
from livinglab.commitments.exports import KEYS
from livinglab.commitments.imports import COLUMNS
from livinglab.commitments.models import CommitmentStatus, Milestone, OneTimeKey, ProgressUpdate
from livinglab.commitments.reminders import send_reminders
from livinglab.evaluations.checks import ScoreRow
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code
from livinglab.notifications.models import Notification
from livinglab.regencies.models import Regency
from livinglab.results.services import import_results


@pytest.fixture
def coordinator(client, make_user, login_as):
    user = make_user("coordinator")
    login_as(user)
    return user


def test_xlsx_export_has_keys_typed_cells_and_a_sheet_explaining_the_columns(client, coordinator, make_commitment):
    late = make_commitment(title="Perbup arsitektur", due_on=lab_today() - timedelta(days=3), percent=40)
    make_commitment(title="Katalog data")
    response = client.get("/coordinator/export.xlsx?status=overdue")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Komitmen", "Kolom"]
    rows = list(book["Komitmen"].iter_rows(values_only=True))
    assert rows[0] == KEYS and len(rows) == 2  # the filter applies
    row = dict(zip(KEYS, rows[1], strict=False))
    assert (row["id"], row["title"], row["status"], row["is_overdue"]) == (
        late.id,
        "Perbup arsitektur",
        "planned",
        True,
    )
    assert row["regency_code"] == late.regency_code and row["outcome"] is None and row["provenance"] is None
    assert row["due_on"].date() == late.due_on and row["percent"] == 40 and isinstance(row["percent"], int)
    assert book["Komitmen"].freeze_panes == "A2"
    guide = list(book["Kolom"].iter_rows(values_only=True))
    assert guide[0] == ("Kunci kolom", "Label", "Arti") and [r[0] for r in guide[1:]] == list(KEYS)
    assert guide[1][1] == "ID" and guide[9][1] == "Persentase kemajuan" and "official_import" in guide[-1][2]


def test_csv_export_is_utf8_with_bom_and_keys(client, coordinator, make_commitment):
    make_commitment(title="Penguatan TIK — tahap 2")
    data = client.get("/coordinator/export.csv").data
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == KEYS
    row = dict(zip(KEYS, rows[1], strict=False))
    assert row["title"] == "Penguatan TIK — tahap 2" and (row["is_overdue"], row["outcome"]) == ("false", "")


def test_the_export_says_where_each_outcome_comes_from(client, coordinator, content, make_commitment, make_user):
    framework = framework_by_code("spbe-2020")
    i01 = framework.indicators[0]
    made = {}
    for code, synthetic in (("3211", False), ("1606", True), ("3273", None)):
        owner = make_user("official", regency=db.session.get(Regency, code))
        made[code] = make_commitment(
            owner=owner, indicators=[i01], starts_on=date(2024, 1, 1), due_on=date(2024, 12, 31)
        )
        if synthetic is not None:
            row = ScoreRow(
                2, code, code, "spbe-2020", 2024, {i.code: 3 for i in framework.indicators}, None
            )
            import_results([row], None, "Uji", synthetic=synthetic)
    db.session.commit()
    rows = list(csv.reader(io.StringIO(client.get("/coordinator/export.csv").data.decode("utf-8-sig"))))
    found = {r[1]: (r[-3], r[-2], r[-1]) for r in rows[1:]}
    assert found == {"3211": ("met", "2024", "official_import"), "1606": ("met", "2024", "synthetic_demo"),
                     "3273": ("", "", "")}


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
    content = _xlsx([["id", "last_update_on", "percent", "text"],
                     [commitment.id, today, 30, "Rapat koordinasi."],
                     [99999, today, 30, "Tidak ada."],
                     [commitment.id, today, 140, "Terlalu tinggi."],
                     [commitment.id, "31/02/2026", 30, "Tanggal salah."],
                     [commitment.id, today, 35, ""]])
    page = _upload(client, "kemajuan.xlsx", content).get_data(as_text=True)
    assert "ditemukan 4 masalah" in page
    for expected in ("<td>3</td><td>id</td>", "<td>4</td><td>percent</td>", "<td>5</td><td>last_update_on</td>",
                     "<td>6</td><td>text</td>", "99999", "HH/BB/TTTT"):
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
               f"https://contoh.go.id/sk\n{second.id},{yesterday},10,Rapat awal.,\n").encode()
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
    cell = sheet.cell(row=2, column=KEYS.index("title") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    rows = list(csv.reader(io.StringIO(client.get("/coordinator/export.csv").data.decode("utf-8-sig"))))
    assert rows[1][KEYS.index("title")] == "'=HYPERLINK(\"http://evil.example\",\"klik\")"


def test_problems_keep_the_row_number_the_user_sees_after_blank_rows(client, coordinator, make_commitment):
    commitment = make_commitment()
    today = lab_today().isoformat()
    content = f"commitment_id,date,percent,text\n\n{commitment.id},{today},150,Terlalu tinggi.\n".encode()
    page = _upload(client, "kemajuan.csv", content).get_data(as_text=True)
    assert "<td>3</td><td>percent</td>" in page


def _template(client) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get("/coordinator/import/template.csv").data.decode("utf-8-sig"))))


def _semicolons(rows: list[list]) -> bytes:
    """A sheet as Excel with Indonesian settings saves it: semicolons, CRLF, here with a BOM."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _updates() -> int:
    return db.session.scalar(select(func.count()).select_from(ProgressUpdate))


def _payload(page: str) -> str:
    return page.split('name="payload" type="hidden" value="')[1].split('"')[0]


def test_the_unedited_template_imports_as_nothing_changed(client, coordinator, make_commitment):
    fresh, reported = make_commitment(title="Komitmen baru"), make_commitment(title="Komitmen berjalan")
    services.record_progress(reported, reported.owner, "Rapat awal.", 20, lab_today() - timedelta(days=3))
    make_commitment(title="Komitmen selesai", status=CommitmentStatus.VERIFIED)
    db.session.commit()
    response = client.get("/coordinator/import/template.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    by_id = {int(r[0]): r for r in rows[1:]}
    assert set(by_id) == {fresh.id, reported.id}
    assert by_id[reported.id][3:5] == ["20", (lab_today() - timedelta(days=3)).isoformat()]
    page = _upload(client, "kemajuan-komitmen.csv", response.data).get_data(as_text=True)
    assert "Tidak ada yang diimpor: semua 2 baris dalam berkas ini sama dengan yang tersimpan." in page
    assert 'name="payload"' not in page and _updates() == 1


def test_an_indonesian_excel_sheet_round_trips(client, coordinator, make_commitment):
    first, second, third = make_commitment(), make_commitment(), make_commitment()
    rows = _template(client)
    day = lab_today() - timedelta(days=2)
    edits = {first.id: ["70 %", day.strftime("%d/%m/%Y"), "Perbup ditandatangani."],
             second.id: ["0,25", day.isoformat(), "Rapat; tim dibentuk."]}
    for row in rows[1:]:
        row[3:6] = edits.get(int(row[0]), row[3:6])
    page = _upload(client, "kemajuan.csv", _semicolons(rows)).get_data(as_text=True)
    assert "Semua baris valid. 2 laporan" in page and "1 baris sama dengan yang tersimpan" in page
    assert "0% → 70%" in page
    assert client.post("/coordinator/import", data={"payload": _payload(page)}).status_code == 302
    db.session.expire_all()
    assert (first.percent, first.last_update_on, second.percent, third.percent) == (70, day, 25, 0)
    assert second.updates[0].text == "Rapat; tim dibentuk."
    again = _template(client)
    assert {int(r[0]): r[3:5] for r in again[1:]}[first.id] == ["70", day.isoformat()]
    page = _upload(client, "kemajuan.csv", _semicolons(again)).get_data(as_text=True)
    assert "Tidak ada yang diimpor" in page and _updates() == 2


def test_the_commitments_export_imports_back(client, coordinator, make_commitment):
    commitment = make_commitment()
    make_commitment(status=CommitmentStatus.VERIFIED)  # closed, unchanged: skipped without a complaint
    for fmt in ("csv", "xlsx"):
        page = _upload(client, f"komitmen.{fmt}", client.get(f"/coordinator/export.{fmt}").data).get_data(as_text=True)
        assert "Tidak ada yang diimpor: semua 2 baris" in page, fmt
    book = load_workbook(io.BytesIO(client.get("/coordinator/export.xlsx").data))
    sheet = book["Komitmen"]
    sheet.cell(row=1, column=len(KEYS) + 1, value="text")
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == commitment.id:
            row[KEYS.index("percent")].value = 0.45
            row[KEYS.index("percent")].number_format = "0%"
            row[KEYS.index("last_update_on")].value = lab_today()
            sheet.cell(row=row[0].row, column=len(KEYS) + 1, value="Tim dibentuk.")
    buffer = io.BytesIO()
    book.save(buffer)
    page = _upload(client, "komitmen.xlsx", buffer.getvalue()).get_data(as_text=True)
    assert "Semua baris valid. 1 laporan" in page
    client.post("/coordinator/import", data={"payload": _payload(page)})
    db.session.expire_all()
    assert (commitment.percent, commitment.last_update_on) == (45, lab_today())


def test_a_changed_row_needs_its_date_and_text(client, coordinator, make_commitment):
    commitment = make_commitment()
    rows = [list(COLUMNS), [commitment.id, "", "", "50", "", "", ""]]
    page = _upload(client, "kemajuan.csv", _semicolons(rows)).get_data(as_text=True)
    assert "<td>2</td><td>last_update_on</td>" in page and "<td>2</td><td>text</td>" in page
