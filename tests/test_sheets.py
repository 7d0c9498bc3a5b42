"""Reading sheets as Indonesian offices write them, row by row up to a limit, and refusing zip bombs."""

import codecs
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from livinglab import sheets
from livinglab.commitments import imports
from livinglab.evaluations import services as evaluations
from livinglab.sheets import SheetError, parse_date, parse_decimal, parse_percent, parse_regency_code, read_table

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                 'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
                 'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/{kind}" Target="{target}"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Lembar1" sheetId="1" r:id="rId1"/></sheets></workbook>')
SHEET_START = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def xlsx_by_hand(rows, dimension: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal XLSX written directly: much faster than openpyxl for a million rows."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS.format(kind="officeDocument", target="xl/workbook.xml"))
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS.format(kind="worksheet", target="worksheets/sheet1.xml"))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_START.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for row in rows:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def million_rows(tmp_path_factory) -> bytes:
    """An XLSX of a header and 1,000,000 numbered rows, written once per session, without a declared size.

    Its last row is broken XML: a reader that parsed the whole sheet would stumble on it."""
    path = tmp_path_factory.mktemp("sheets") / "juta.xlsx"
    rows = ('<row><c t="inlineStr"><is><t>id</t></is></c></row>',
            *(f"<row><c><v>{n}</v></c></row>" for n in range(1, 1_000_000)), "<row><c><v>rusak</row>")
    path.write_bytes(xlsx_by_hand(rows))
    return path.read_bytes()


@pytest.fixture
def rows_read(monkeypatch) -> list[int]:
    """The numbers of the rows the reader took from the file, in order."""
    seen, trimmed = [], sheets._trimmed

    def counting(line: int, row: list) -> list:
        seen.append(line)
        return trimmed(line, row)

    monkeypatch.setattr(sheets, "_trimmed", counting)
    return seen


@pytest.mark.parametrize("value, expected", [
    (70, 70), ("70", 70), ("70 %", 70), ("70%", 70), ("70\u00a0%", 70), (0.7, 70), ("0,7", 70), ("0.7", 70),
    (",5", 50), ("1", 1), (1, 1), (1.0, 1), ("1,0", 100), ("1.0", 100), ("1 %", 1), ("0", 0), ("0,0", 0),
    ("100", 100), ("100 %", 100), ("70,5", 71), ("33,3 %", 33), (0.333333, 33), ("0,005", 1),
    ("", None), ("101", None), ("1,5 %", 2), ("-5", None), ("tujuh puluh", None), ("70 persen", None),
    (True, None), (float("nan"), None), ("1000", None), (150, None),
])
def test_percent_rule(value, expected):
    assert parse_percent(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("31/03/2026", date(2026, 3, 31)), ("1/3/2026", date(2026, 3, 1)), ("31-03-2026", date(2026, 3, 31)),
    ("31.03.2026", date(2026, 3, 31)), ("2026-03-31", date(2026, 3, 31)), ("2026-03-31 00:00:00", date(2026, 3, 31)),
    (datetime(2026, 3, 31, 0, 0), date(2026, 3, 31)), (date(2026, 3, 31), date(2026, 3, 31)),
    ("31/02/2026", None), ("03/31/2026", None), ("31/03/26", None), ("31/03-2026", None), ("Maret 2026", None),
    ("", None), (46112, None),
])
def test_dates_day_first_or_iso(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("3211", "3211"), (3211, "3211"), (3211.0, "3211"), ("32.11", "3211"), ("32,11", "3211"), (32.11, "3211"),
    (" 32.01 ", "3201"), (32.01, "3201"), (32.1, "3210"), ("32.1", "3210"), ("32.11.01", "32.11.01"), ("", ""),
])
def test_regency_codes_plain_or_dotted(value, expected):
    assert parse_regency_code(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("3,45", "3.45"), ("3.45", "3.45"), (3.45, "3.45"), (3, "3"), ("3,4,5", None), ("tiga", None), (True, None),
])
def test_decimals_with_point_or_comma(value, expected):
    assert parse_decimal(value) == (None if expected is None else Decimal(expected))


def _table(content: bytes, name: str = "lembar.csv", max_rows: int = 100) -> list:
    return read_table(name, content, max_rows)


def test_a_semicolon_sheet_from_excel_with_bom_and_crlf():
    content = codecs.BOM_UTF8 + b'id;text;percent\r\n7;"Rapat; tim dibentuk";"0,7"\r\n\r\n8;Perbup;70 %\r\n'
    assert _table(content) == [(1, ["id", "text", "percent"]), (2, ["7", "Rapat; tim dibentuk", "0,7"]),
                               (4, ["8", "Perbup", "70 %"])]


@pytest.mark.parametrize("content, expected", [
    (b'id,text\n1,"a; b; c"\n', ["1", "a; b; c"]),  # semicolons inside quotes do not count
    (b'"a;b;c",d\n1,2\n', ["1", "2"]),
    (b"\n\nid;text\n1;x\n", ["1", "x"]),  # the first line with a separator decides
    (b"sep=;\r\nid;text\r\n1;x\r\n", ["1", "x"]),  # Excel's hint line
    ("id\ttext\r\n1\tx\r\n".encode("utf-16"), ["1", "x"]),  # Excel's "Unicode text"
    (b"id\n1\n", ["1"]),
])
def test_the_separator_is_detected(content, expected):
    assert _table(content)[1][1] == expected


def test_excel_hint_line_is_not_counted_as_a_row():
    assert [line for line, _row in _table(b"sep=;\r\nid;text\r\n1;x\r\n")] == [1, 2]


def test_a_csv_saved_by_excel_in_windows_encoding_is_read():
    content = "id;text\r\n1;Penguatan TIK — tahap 2\r\n".encode("cp1252")
    assert _table(content)[1][1] == ["1", "Penguatan TIK — tahap 2"]


def test_xlsx_cells_keep_their_meaning():
    book = Workbook()
    book.active.append(["regency_code", "last_update_on", "percent", "percent_plain"])
    book.active.append([32.11, datetime(2026, 3, 31), 0.7, 0.7])
    book.active["C2"].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    [_header, (_line, row)] = _table(buffer.getvalue(), "lembar.xlsx")
    assert parse_regency_code(row[0]) == "3211" and parse_date(row[1]) == date(2026, 3, 31)
    assert row[2] == "70 %" and parse_percent(row[2]) == 70 and parse_percent(row[3]) == 70


def test_a_declared_size_of_a_million_rows_is_not_trusted(rows_read):
    content = xlsx_by_hand(['<row r="1"><c r="A1"><v>1</v></c></row>', '<row r="2"><c r="B2"><v>2</v></c></row>'],
                           dimension="A1:XFD1048576")
    assert _table(content, "lembar.xlsx") == [(1, [1]), (2, [None, 2])]
    assert rows_read == [1, 2]


def test_a_million_row_xlsx_is_refused_after_the_limit(app, million_rows, rows_read):
    with app.test_request_context(), pytest.raises(SheetError) as refused:
        evaluations.read_sheet("hasil.xlsx", million_rows, 2026)
    assert refused.value.message == "Berkas memiliki lebih dari 5000 baris; impor paling banyak 5000 baris sekaligus."
    assert len(rows_read) == evaluations.MAX_ROWS + 2  # the header and one row too many, not a million


def test_a_million_row_csv_is_refused_after_the_limit(app, rows_read):
    content = b"id,percent,last_update_on\n" + b"1,5,2026-01-01\n" * 1_000_000
    with app.test_request_context(), pytest.raises(SheetError, match="lebih dari 2000 baris"):
        imports.parse("kemajuan.csv", content)
    assert len(rows_read) == imports.MAX_ROWS + 2


def test_blank_rows_do_not_hold_the_reader(rows_read):
    content = xlsx_by_hand(["<row><c><v>1</v></c></row>", *["<row/>"] * 200_000, "<row><c><v>2</v></c></row>"])
    with pytest.raises(SheetError, match="more than 10 rows"):
        _table(content, "lembar.xlsx", max_rows=10)
    assert len(rows_read) == 10 + 1 + sheets.BLANK_ROW_ALLOWANCE + 1


@pytest.mark.parametrize("extra", [
    {"xl/media/nol.bin": bytes(9 * 1024 * 1024)},  # 9 MB of zeros packed into a few kilobytes
    {f"xl/media/{n}.xml": b"<a/>" for n in range(sheets.XLSX_MAX_ENTRIES)},
])
def test_zip_bombs_are_refused_before_reading(extra, monkeypatch):
    monkeypatch.setattr(sheets, "load_workbook", lambda *args, **kwargs: pytest.fail("opened"))
    with pytest.raises(SheetError, match="far more data"):
        _table(xlsx_by_hand(["<row><c><v>1</v></c></row>"], extra=extra), "lembar.xlsx")


def test_too_many_columns_are_refused():
    with pytest.raises(SheetError, match="Row 1 has more than 250 columns"):
        _table(",".join(["x"] * 251).encode())
    assert len(_table(",".join(["x"] * 250).encode() + b"," * 100)[0][1]) == 250  # trailing empty cells dropped


@pytest.mark.parametrize("name, content, words", [
    ("rusak.csv", b'"' + b"a" * 200_000, "not a readable CSV"),
    ("rusak.csv", b"\x81\x8d\x8f", "UTF-8"),
    ("rusak.xlsx", b"PK\x03\x04 bukan zip", "not a readable XLSX"),
    ("kosong.csv", b"\r\n;;\r\n", "empty"),
])
def test_unreadable_files_say_why(name, content, words):
    with pytest.raises(SheetError, match=words):
        _table(content, name)
