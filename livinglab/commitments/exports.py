"""The filtered commitment list as CSV (UTF-8 with BOM, for spreadsheets) and as typed XLSX."""

import csv
import io
from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from livinglab.commitments.forms import STATUS_LABELS
from livinglab.commitments.models import Commitment


def _columns() -> list[str]:
    return [_("ID"), _("Title"), _("Regency or city"), _("Province"), _("Status"), _("Overdue"), _("At risk"),
            _("Start date"), _("Due date"), _("Percent complete"), _("Last progress update"), _("Indicators"),
            _("Replicates"), _("Owner"), _("Address")]


def rows(commitments: Iterable[Commitment], today: date, site_url: str) -> Iterable[list]:
    """One row per commitment with typed values (dates as dates, percent as a number)."""
    yes, no = _("yes"), _("no")
    for c in commitments:
        targets = ", ".join(f"{t.indicator.code} {t.baseline_level}→{t.target_level}" for t in c.targets)
        yield [c.id, c.title, c.regency.name, c.regency.province.name, str(STATUS_LABELS[c.status]),
               yes if c.is_overdue(today) else no, yes if c.risk_reasons(today) else no, c.starts_on, c.due_on,
               c.percent, c.last_update_on, targets, c.source_piece.title if c.source_piece else "",
               c.owner.name if c.owner else "", f"{site_url.rstrip('/')}/commitments/{c.id}"]


def to_csv(data: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_columns())
    for row in data:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


DATE_COLUMNS, PERCENT_COLUMN, WIDTHS = (8, 9, 11), 10, [7, 50, 28, 24, 14, 10, 10, 12, 12, 10, 14, 30, 40, 24, 40]


def to_xlsx(data: Iterable[list]) -> bytes:
    """A workbook with a bold, frozen header row; dates are dates and percent is a number."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Commitments")[:31]
    sheet.append(_columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in data:
        sheet.append(row)
    for column in DATE_COLUMNS:
        for cell in sheet.iter_cols(min_col=column, max_col=column, min_row=2).__next__():
            cell.number_format = "yyyy-mm-dd"
    for number, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
