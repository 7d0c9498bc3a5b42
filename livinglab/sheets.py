"""Spreadsheets in and out: an uploaded CSV or XLSX read into numbered rows, and CSV written so that
spreadsheet programs open it in UTF-8 and never run user text as a formula."""

import csv
import io
from collections.abc import Iterable
from datetime import date

from flask import Response
from flask_babel import gettext as _
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        raise SheetError(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    return upload.filename, content


def cell_text(value) -> str:
    """A cell as trimmed text; XLSX whole numbers (3.0) read as 3."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def read_table(filename: str, content: bytes) -> list[tuple[int, list]]:
    """The non-blank rows of a .csv (UTF-8) or .xlsx file, each with its row number as the user sees it."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise SheetError(_("This is not a readable XLSX file.")) from error
    elif name.endswith(".csv"):
        try:
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        except UnicodeDecodeError as error:
            raise SheetError(_("Save the CSV file as UTF-8.")) from error
    else:
        raise SheetError(_("Upload a .csv or .xlsx file."))
    numbered = [(line, row) for line, row in enumerate(rows, start=1) if any(cell_text(v) for v in row)]
    if not numbered:
        raise SheetError(_("The file is empty."))
    return numbered


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
