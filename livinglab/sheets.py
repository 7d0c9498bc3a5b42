"""Spreadsheets in and out: an uploaded CSV or XLSX read row by row up to a limit, cells read as Indonesian
offices write them, and CSV written so that spreadsheet programs open it in UTF-8 and never run user text.

Accepted cells: dates as DD/MM/YYYY or YYYY-MM-DD (or date cells); percentages as 70, "70 %", 0.7 or
"0,7" (a number with a decimal point or comma up to 1 is a fraction: "1" is 1 %, "1,0" is 100 %; a
cell formatted as a percentage reads as shown); regency codes as 3211 or 32.11 (Kemendagri).
"""

import codecs
import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask import Response
from flask_babel import gettext as _
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage

from livinglab.i18n import filesize

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (",", ";", "\t")  # Excel writes ";" where the decimal separator is a comma, as in Indonesia
MAX_COLUMNS = 250
BLANK_ROW_ALLOWANCE = 1000  # blank rows read past the row limit before giving up
# An XLSX is a zip: refuse archives that unpack to far more than any sheet of a few thousand rows needs.
XLSX_MAX_ENTRIES = 500
XLSX_MAX_UNPACKED = 64 * 1024 * 1024
XLSX_MAX_RATIO = 100  # unpacked size over file size, checked once the unpacked size passes the floor
XLSX_RATIO_FLOOR = 8 * 1024 * 1024

Row = tuple[int, list]


class SheetError(ValueError):
    """The file as a whole cannot be used (not chosen, too large, unreadable, empty, wrong columns)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_upload(upload: FileStorage | None, limit: int) -> tuple[str, bytes]:
    """The name and content of an uploaded file, refused when missing or larger than `limit` bytes."""
    if not upload or not upload.filename:
        raise SheetError(_("Choose a CSV or XLSX file."))
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise SheetError(_("The file is larger than %(size)s.", size=filesize(limit)))
    return upload.filename, content


def cell_text(value) -> str:
    """A cell as trimmed text; XLSX whole numbers (3.0) read as 3."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def read_table(filename: str, content: bytes, max_rows: int) -> list[Row]:
    """The header and non-blank rows of a .csv or .xlsx file, each with the row number the user sees.

    Rows are read one at a time and reading stops as soon as there are more than `max_rows` data rows."""
    too_many = SheetError(_("The file has more than %(max)d rows; import at most %(max)d rows at a time.",
                            max=max_rows))
    rows = iter_rows(filename, content)
    numbered: list[Row] = []
    try:
        for line, row in rows:
            if any(cell_text(value) for value in row):
                numbered.append((line, row))
            if len(numbered) > max_rows + 1 or line > max_rows + 1 + BLANK_ROW_ALLOWANCE:
                raise too_many
    finally:
        rows.close()
    if not numbered:
        raise SheetError(_("The file is empty."))
    return numbered


def iter_rows(filename: str, content: bytes) -> Iterator[Row]:
    """Every row of the file in order, numbered from 1, without trailing empty cells."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(content)
    if name.endswith(".csv"):
        return _csv_rows(content)
    raise SheetError(_("Upload a .csv or .xlsx file."))


def _check_archive(content: bytes) -> None:
    try:
        entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SheetError(_("This is not a readable XLSX file.")) from error
    unpacked = sum(entry.file_size for entry in entries)
    if (len(entries) > XLSX_MAX_ENTRIES or unpacked > XLSX_MAX_UNPACKED
            or (unpacked > XLSX_RATIO_FLOOR and unpacked > XLSX_MAX_RATIO * len(content))):
        raise SheetError(_("This XLSX file unpacks to far more data than a sheet needs. Save it again from "
                           "your spreadsheet program, or save it as CSV."))


def _sized(content: bytes) -> bytes:
    """The archive with a declared size on every worksheet that lacks one.

    Without it openpyxl parses a whole worksheet just to learn its size, before the first row is read."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    unsized = []
    for entry in archive.infolist():
        with archive.open(entry) as source:
            head = source.read(65536)
        if re.search(rb"<(\w+:)?worksheet[\s>]", head) and not re.search(rb"<(\w+:)?dimension[\s/>]", head):
            unsized.append(entry.filename)
    if not unsized:
        return content
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as sized:
        for entry in archive.infolist():
            data = archive.read(entry)
            if entry.filename in unsized:
                data = re.sub(rb"<(\w+:)?sheetData([\s/>])", rb'<\1dimension ref="A1"/><\1sheetData\2', data, count=1)
            sized.writestr(entry, data, compresslevel=1)
    return buffer.getvalue()


def _xlsx_rows(content: bytes) -> Iterator[Row]:
    _check_archive(content)
    try:
        book = load_workbook(io.BytesIO(_sized(content)), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SheetError(_("This is not a readable XLSX file.")) from error
    try:
        sheet = book.active
        sheet.reset_dimensions()  # the declared size may claim a million rows: read the rows that are there
        for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
            yield line, _trimmed(line, [_xlsx_value(cell) for cell in cells])
    except SheetError:
        raise
    except Exception as error:
        raise SheetError(_("This is not a readable XLSX file.")) from error
    finally:
        book.close()


def _xlsx_value(cell):
    """A cell's value; a number formatted as a percentage reads as shown (0.7 → "70 %")."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return f"{value * 100:.6g} %"
    return value


def _trimmed(line: int, row: list) -> list:
    while row and cell_text(row[-1]) == "":
        row.pop()
    if len(row) > MAX_COLUMNS:
        raise SheetError(_("Row %(line)d has more than %(max)d columns.", line=line, max=MAX_COLUMNS))
    return row


def _csv_rows(content: bytes) -> Iterator[Row]:
    text = _decode(content)
    first, _sep, rest = text.partition("\n")
    if re.fullmatch(r"sep=.\r?", first):  # Excel's hint line: it is not shown, so rows count from the next
        delimiter, text = first[4], rest
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for line, row in enumerate(reader, start=1):
            yield line, _trimmed(line, row)
    except csv.Error as error:
        raise SheetError(_("This is not a readable CSV file.")) from error


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM ("Unicode text"), else Windows-1252 (Excel's "CSV")."""
    try:
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return content.decode("utf-16")
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SheetError(_("Save the CSV file as UTF-8.")) from error


def _delimiter(text: str) -> str:
    """The separator used most on the first line that has one, outside quotes; a comma on a tie."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text[:65536]:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in counts:
            counts[char] += 1
        elif char in "\r\n" and any(counts.values()):
            break
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


def parse_date(value) -> date | None:
    """A date cell, or text as DD/MM/YYYY (also with - or .) or YYYY-MM-DD; None for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", text):
        year, month, day = match.groups()
    elif match := re.fullmatch(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", text):
        day, _separator, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_percent(value) -> int | None:
    """A whole percentage 0–100 from 70, "70 %", 0.7 or "0,7" (see the module's rule); decimals are rounded."""
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, int | float):
        number, is_fraction = Decimal(str(value)), isinstance(value, float) and not value.is_integer()
    else:
        text = cell_text(value).replace("\u00a0", " ")
        has_sign = text.endswith("%")
        text = text.removesuffix("%").strip()
        if not re.fullmatch(r"\d{1,3}(?:[.,]\d{1,6})?|[.,]\d{1,6}", text):
            return None
        number = Decimal(text.replace(",", "."))
        is_fraction = not has_sign and ("." in text or "," in text)
    if is_fraction and number <= 1:
        number *= 100
    if not 0 <= number <= 100:
        return None
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_decimal(value) -> Decimal | None:
    """A number written with a decimal point or comma (3.45, "3,45"), or a number cell; None otherwise."""
    if isinstance(value, bool):
        return None
    text = repr(value) if isinstance(value, float) else cell_text(value)
    if not re.fullmatch(r"\d{1,6}(?:[.,]\d+)?", text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def parse_regency_code(value) -> str:
    """A regency code as stored (3211) from 3211, "32.11", "32,11" or the number 32.11; other text as typed.

    A number cell drops a trailing zero (32.10 shows as 32.1), so one digit after the point means ×10."""
    if isinstance(value, float) and not value.is_integer() and 10 < value < 100:
        return f"{value:.2f}".replace(".", "")
    text = cell_text(value)
    if match := re.fullmatch(r"(\d{2})[.,](\d{1,2})", text):
        return match[1] + match[2].ljust(2, "0")
    return text


def inert(value):
    """Text a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def csv_bytes(header: list[str], rows: Iterable[Iterable]) -> bytes:
    """UTF-8 CSV with a byte-order mark; dates as YYYY-MM-DD, nothing for None, text kept inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else inert(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_response(name: str, header: list[str], rows: list[list]) -> Response:
    """A spreadsheet-friendly CSV download."""
    return Response(csv_bytes(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
