"""Importing official results: every bad input is reported by row and column, nothing half-done."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from livinglab.clock import lab_today
from livinglab.evaluations import services
from livinglab.evaluations.models import Evaluation, EvaluationScore
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code
from livinglab.regencies.models import Regency
from livinglab.results.services import import_results
from livinglab.sheets import SheetError


def _codes() -> list[str]:
    return [i.code for i in framework_by_code("spbe-2020").indicators]


def _csv(rows: list[list], header: list[str] | None = None) -> bytes:
    header = header or ["regency_code", "year", "framework", "index", *_codes()]
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _row(code="3211", year=2024, level=3, index="", **levels) -> list:
    return [code, year, "spbe-2020", index, *(levels.get(c, level) for c in _codes())]


def _read(content: bytes, name="hasil.csv"):
    return services.read_sheet(name, content, lab_today().year)


def test_a_clean_sheet_is_previewed_then_stored_and_reimporting_changes_nothing(content):
    checked = _read(_csv([_row("3211", 2024, 3, "3.00"), _row("1606", 2024, 4)]))
    assert checked.problems == [] and [r.change for r in checked.rows] == ["new", "new"]
    assert checked.rows[0].computed_index == "3.000" and checked.rows[0].predicate == "Baik"
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == 0  # a preview stores nothing
    stored = import_results(checked.rows, None, "Surat uji").stored
    db.session.commit()
    assert len(stored) == 2 and db.session.scalar(select(func.count()).select_from(EvaluationScore)) == 2 * 47
    again = _read(_csv([_row("3211", 2024, 3, "3.00"), _row("1606", 2024, 4)]))
    assert [r.change for r in again.rows] == ["unchanged", "unchanged"]
    assert import_results(again.rows, None, "Surat uji").stored == []
    changed = _read(_csv([_row("3211", 2024, 3, "3.00", I01=5)]))
    assert changed.rows[0].change == "changed" and changed.rows[0].changed_levels == 1
    import_results(changed.rows, None, "Surat koreksi")
    db.session.commit()
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.regency_code == "3211"))
    assert evaluation.source == "Surat koreksi" and float(evaluation.computed_index) > 3


def test_a_published_index_that_differs_is_kept_and_flagged(content):
    checked = _read(_csv([_row("3211", 2024, 3, "3.40")]))
    import_results(checked.rows, None, "Uji")
    db.session.commit()
    evaluation = db.session.scalar(select(Evaluation))
    assert float(evaluation.published_index) == 3.4 and evaluation.index_gap == pytest.approx(0.4)


@pytest.mark.parametrize("rows, column, words", [
    ([{"code": "9999"}], "regency_code", "tidak dikenal"),
    ([{"level": 6}], "I01", "1 sampai 5"),
    ([{"level": 0}], "I01", "1 sampai 5"),
    ([{"I05": "tiga"}], "I05", "1 sampai 5"),
    ([{"I07": ""}], "I07", "1 sampai 5"),
    ([{"year": 2019}], "year", "bukan tahun spbe-2020"),
    ([{"year": 2031}], "year", "bukan tahun"),
    ([{"year": "24"}], "year", "empat angka"),
    ([{"index": "7"}], "index", "0 sampai 5"),
    ([{}, {}], "regency_code", "Ganda: baris 2"),
])
def test_bad_rows_are_reported_by_row_and_column(content, rows, column, words):
    checked = _read(_csv([_row(**row) for row in rows]))
    assert any(p.column == column and words in p.message for p in checked.problems), checked.problems


def test_one_bad_row_stops_the_whole_file(client, make_user, login_as, content):
    login_as(make_user("coordinator"))
    sheet = _csv([_row("3211"), _row("1606", level=9)])
    page = client.post("/coordinator/scores", data={"source": "Surat uji", "file": (io.BytesIO(sheet), "hasil.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Tidak ada yang diimpor" in page and "Konfirmasi dan simpan" not in page
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == 0


def test_an_indicator_of_another_framework_is_refused(content):
    header = ["regency_code", "year", "framework", *_codes(), "P01"]
    checked = _read(_csv([[*_row()[:3], *[3] * 47, 4]], header=header))
    assert any(p.column == "P01" and "bukan indikator spbe-2020" in p.message for p in checked.problems)


@pytest.mark.parametrize("name, content_bytes, words", [
    ("kosong.csv", b"", "kosong"),
    ("judul.csv", b"regency_code,year,framework,I01\n", "tanpa baris data"),
    ("kolom.csv", b"kode,tahun\n3211,2024\n", "Kolom tidak ada: regency_code, year, framework"),
    ("aneh.csv", b"regency_code,year,framework,X99\n3211,2024,spbe-2020,3\n", "Kolom tidak dikenal: X99"),
    ("gambar.gif", b"GIF89a", "Unggah berkas .csv atau .xlsx"),
])
def test_unusable_files_are_refused_with_a_reason(content, name, content_bytes, words):
    with pytest.raises(SheetError, match=words):
        _read(content_bytes, name)


def test_missing_indicator_columns_are_listed(content):
    header = ["regency_code", "year", "framework", *_codes()[:-2]]
    checked = _read(_csv([_row()[:3] + [3] * 45], header=header))
    [problem] = checked.problems
    assert problem.column == ", ".join(sorted(_codes()[-2:])) and "2 indikator tanpa kolom" in problem.message


def test_xlsx_sheets_are_read_like_csv(content):
    book = Workbook()
    book.active.append(["regency_code", "year", "framework", *_codes()])
    book.active.append(["3211", 2025, "spbe-2020", *[4] * 47])
    buffer = io.BytesIO()
    book.save(buffer)
    checked = _read(buffer.getvalue(), "hasil.xlsx")
    assert checked.problems == [] and checked.rows[0].computed_index == "4.000"


@pytest.mark.parametrize("role", ["peer", "official"])
def test_only_coordinators_import(client, make_user, login_as, role):
    login_as(make_user(role))
    assert client.get("/coordinator/scores").status_code == 403
    assert client.post("/coordinator/scores", data={"source": "x", "payload": "y"}).status_code == 403
    assert client.get("/coordinator/scores/template.csv").status_code == 403


def test_the_template_lists_the_members_and_reads_back_once_filled_in(client, content, make_user, login_as):
    member = db.session.get(Regency, "3211")
    member.is_member = True
    db.session.commit()
    login_as(make_user("coordinator"))
    in_force = client.get("/coordinator/scores/template.csv")  # the framework in force this year by default
    assert in_force.headers["Content-Disposition"] == 'attachment; filename="hasil-pemdi-2026.csv"'
    response = client.get("/coordinator/scores/template.csv?framework=spbe-2020")
    assert response.headers["Content-Disposition"] == 'attachment; filename="hasil-spbe-2020.csv"'
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(["regency_code", "year", "framework", "index", *_codes()]) and len(lines) == 2
    code, _year, framework, _index, *levels = lines[1].split(",")
    assert (code, framework, set(levels)) == ("3211", "spbe-2020", {""})
    filled = ",".join([code, "2024", framework, "", *["3"] * len(levels)])
    checked = _read(("\n".join([lines[0], filled]) + "\n").encode("utf-8"))
    assert checked.problems == [] and checked.rows[0].computed_index == "3.000"


def test_rows_keep_their_numbers_after_blank_rows_and_repeated_columns_are_refused(content):
    header = ",".join(["regency_code", "year", "framework", "index", *_codes()])
    good, bad = ",".join(map(str, _row())), ",".join(map(str, _row("1606", level=9)))
    checked = _read(f"{header}\n{good}\n\n{bad}\n".encode())
    assert {p.line for p in checked.problems} == {4}
    with pytest.raises(SheetError, match="dua kali: I01"):
        _read(_csv([_row()], header=["regency_code", "year", "framework", *_codes(), "I01"]))


def test_a_precise_published_index_does_not_make_every_reimport_a_change(content):
    import_results(_read(_csv([_row(index="3.1234")])).rows, None, "Uji")
    db.session.commit()
    assert [r.change for r in _read(_csv([_row(index="3.1234")])).rows] == ["unchanged"]


def test_demo_loading_never_overwrites_real_results(content):
    from livinglab.demo.services import load_demo

    import_results(_read(_csv([_row("3211", 2024, 5, "5.00")])).rows, None, "Surat resmi")
    db.session.commit()
    load_demo()
    db.session.commit()
    real = db.session.scalar(select(Evaluation).where(Evaluation.regency_code == "3211", Evaluation.year == 2024))
    assert real.source == "Surat resmi" and not real.is_synthetic and float(real.computed_index) == 5.0
    same_as_synthetic = _read(_csv([_row("1606", 2024, **{})]))  # an official sheet replaces synthetic results
    assert same_as_synthetic.rows[0].change == "changed"


def test_missing_indicator_columns_are_said_once_not_on_every_row(content):
    header = ["regency_code", "year", "framework", *_codes()[:-2]]
    checked = _read(_csv([_row("3211")[:3] + [3] * 45, _row("1606")[:3] + [3] * 45], header=header))
    assert len(checked.problems) == 1 and checked.problems[0].line == 2


def test_an_indonesian_excel_sheet_with_dotted_codes_and_decimal_commas(content):
    header = ";".join(["regency_code", "year", "framework", "index", *_codes()])
    lines = [header, ";".join(["32.11", "2024", "spbe-2020", "3,40", *["3"] * 47]),
             ";".join(["16.06", "2024", "spbe-2020", "", *["4"] * 47])]
    checked = _read(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    assert checked.problems == []
    assert [(r.regency_code, r.published_index) for r in checked.rows] == [("3211", "3.400"), ("1606", None)]


def test_xlsx_regency_codes_typed_as_numbers(content):
    def sheet(*codes) -> bytes:
        book = Workbook()
        book.active.append(["regency_code", "year", "framework", "index", *_codes()])
        for code in codes:
            book.active.append([code, 2024, "spbe-2020", 3.4, *[3] * 47])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    checked = _read(sheet(32.11, 32.1), "hasil.xlsx")  # 32.10 shows as 32.1 in a number cell
    assert checked.problems == [] and [r.regency_code for r in checked.rows] == ["3211", "3210"]
    assert checked.rows[0].published_index == "3.400"
    [problem] = _read(sheet(32.99), "hasil.xlsx").problems
    assert problem.message == "Kode kabupaten/kota “3299” tidak dikenal; tulis seperti 3211 atau 32.11."


def test_the_same_regency_written_two_ways_is_a_duplicate(content):
    checked = _read(_csv([_row("3211"), _row("32.11")]))
    assert [(p.line, p.column) for p in checked.problems] == [(3, "regency_code")]


def test_a_sheet_over_the_row_limit_is_refused_with_the_limit(content, monkeypatch):
    monkeypatch.setattr(services, "MAX_ROWS", 2)
    with pytest.raises(SheetError, match="lebih dari 2 baris"):
        _read(_csv([_row("3211"), _row("1606"), _row("3273")]))
    assert len(_read(_csv([_row("3211"), _row("1606")])).rows) == 2
