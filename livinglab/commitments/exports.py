"""The filtered commitment list as CSV (UTF-8 with BOM, for spreadsheets) and as typed XLSX."""

import io
from collections.abc import Iterable

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from livinglab.commitments.forms import STATUS_LABELS
from livinglab.sheets import csv_bytes


def _columns() -> list[str]:
    return [_("ID"), _("Title"), _("Regency or city"), _("Province"), _("Status"), _("Overdue"), _("At risk"),
            _("Start date"), _("Due date"), _("Percent complete"), _("Last progress update"), _("Indicators"),
            _("Replicates"), _("Owner"), _("Address")]


def rows(data: list[tuple], site_url: str) -> Iterable[list]:
    """Spreadsheet rows from `queries.export_rows`: dates stay dates and percent a number."""
    yes, no, base = _("yes"), _("no"), site_url.rstrip("/")
    for (commitment_id, title, regency, province, status, is_overdue, is_at_risk, starts_on, due_on, percent,
         last_update_on, targets, source, owner) in data:
        levels = ", ".join(f"{code} {baseline}→{target}" for code, baseline, target in targets)
        yield [commitment_id, title, regency, province, str(STATUS_LABELS[status]), yes if is_overdue else no,
               yes if is_at_risk else no, starts_on, due_on, percent, last_update_on, levels, source or "",
               owner or "", f"{base}/commitments/{commitment_id}"]


def to_csv(data: Iterable[list]) -> bytes:
    return csv_bytes(_columns(), data)


DATE_COLUMNS = {7, 8, 10}  # zero-based: start, due and last update
WIDTHS = [7, 50, 28, 24, 14, 10, 10, 12, 12, 10, 14, 30, 40, 24, 40]


def to_xlsx(data: Iterable[list]) -> bytes:
    """A workbook with a bold, frozen header row; dates are dates and percent is a number (streamed)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Commitments")[:31])
    for number, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for name in _columns():
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in data:
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # user text stays text, never a formula
            if index in DATE_COLUMNS:
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(WIDTHS))}{count + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
