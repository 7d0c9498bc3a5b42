"""The filtered commitment list as CSV (UTF-8 with BOM, for spreadsheets) and as typed XLSX.

The first row holds stable English keys (documented in README, "Data dictionary"); the XLSX adds a
second sheet giving each key's label and meaning in the reader's language.
"""

import io
from collections.abc import Iterable

from flask_babel import gettext as _, ngettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from livinglab import rules
from livinglab.commitments.models import Commitment
from livinglab.evaluations.models import Evaluation
from livinglab.extensions import db
from livinglab.sheets import csv_bytes

KEYS = ("id", "regency_code", "regency_name", "province", "title", "status", "is_overdue", "is_at_risk",
        "percent", "starts_on", "due_on", "last_update_on", "targets", "replicates", "owner", "url",
        "outcome", "outcome_year", "provenance")
WIDTHS = (7, 12, 28, 24, 50, 12, 10, 10, 9, 12, 12, 14, 30, 40, 24, 40, 11, 12, 16)
DATE_KEYS = {"starts_on", "due_on", "last_update_on"}
CHUNK = 500  # ids per query, well under every database's limit on bound parameters


def columns() -> list[tuple[str, str, str]]:
    """Each column's key, label and meaning, in the reader's language."""
    return [
        ("id", _("ID"), _("The commitment's number; the progress import reads it back.")),
        ("regency_code", _("Regency code"), _("Kemendagri code without the point, e.g. 3211 for 32.11.")),
        ("regency_name", _("Regency or city"), _("Name of the regency or city.")),
        ("province", _("Province"), _("Name of the province.")),
        ("title", _("Title"), _("The commitment's title.")),
        ("status", _("Status"), _("planned, in_progress, at_risk, achieved, verified, missed or withdrawn.")),
        ("is_overdue", _("Overdue"), _("true when the due date has passed and the commitment is still open.")),
        (
            "is_at_risk",
            _("At risk"),
            ngettext("true when marked at risk, a milestone is late, or no progress was reported for %(num)d day.",
                     "true when marked at risk, a milestone is late, or no progress was reported for %(num)d days.",
                     rules.stale_after().days),
        ),
        ("percent", _("Percent complete"), _("Latest reported progress, a whole number from 0 to 100.")),
        ("starts_on", _("Start date"), _("Date the commitment starts (YYYY-MM-DD).")),
        ("due_on", _("Due date"), _("Date the commitment is due (YYYY-MM-DD).")),
        ("last_update_on", _("Last progress update"), _("Date of the latest progress report; empty if none.")),
        ("targets", _("Indicators"), _("Each target as indicator code, baseline level → target level.")),
        ("replicates", _("Replicates"), _("Title of the practice the commitment replicates; empty if none.")),
        ("owner", _("Owner"), _("Name of the official who answers for the commitment.")),
        ("url", _("Address"), _("Web address of the commitment's page.")),
        (
            "outcome",
            _("Outcome"),
            _("What the official levels of the due year show: met, improved, unchanged or fell; empty until judged."),
        ),
        ("outcome_year", _("Outcome year"), _("Evaluation year the outcome was judged against.")),
        (
            "provenance",
            _("Provenance"),
            _(
                "Where the levels behind the outcome come from: official_import "
                "(imported official results) or synthetic_demo (generated demo "
                "data); empty until judged."
            ),
        ),
    ]


def _judgements(ids: list[int]) -> dict[int, tuple]:
    """Regency code, outcome, outcome year and provenance of each commitment, a few queries in all."""
    def levels_from(synthetic: bool):
        # The results of the outcome year, in whichever framework they were scored (a 2026 outcome of an SPBE
        # 2020 commitment is read from Pemdi results through the crosswalk).
        return (select(Evaluation.id)
                .where(Evaluation.regency_code == Commitment.regency_code,
                       Evaluation.year == Commitment.outcome_year, Evaluation.is_synthetic.is_(synthetic))
                .exists())

    found = {}
    for start in range(0, len(ids), CHUNK):
        query = select(Commitment.id, Commitment.regency_code, Commitment.outcome, Commitment.outcome_year,
                       levels_from(False), levels_from(True)).where(Commitment.id.in_(ids[start:start + CHUNK]))
        for commitment_id, code, outcome, year, official, synthetic in db.session.execute(query):
            provenance = "" if outcome is None else "official_import" if official else (
                "synthetic_demo" if synthetic else "")
            found[commitment_id] = (code, outcome.value if outcome else "", year, provenance)
    return found


def rows(data: list[tuple], site_url: str) -> Iterable[list]:
    """Spreadsheet rows from `queries.export_rows` in the order of KEYS: dates stay dates, percent a number."""
    base = site_url.rstrip("/")
    judged = _judgements([row[0] for row in data])
    for (commitment_id, title, regency, province, status, is_overdue, is_at_risk, starts_on, due_on, percent,
         last_update_on, targets, source, owner) in data:
        code, outcome, outcome_year, provenance = judged.get(commitment_id, ("", "", None, ""))
        levels = ", ".join(f"{indicator} {baseline}→{target}" for indicator, baseline, target in targets)
        yield [commitment_id, code, regency, province, title, status.value, bool(is_overdue), bool(is_at_risk),
               percent, starts_on, due_on, last_update_on, levels, source or "", owner or "",
               f"{base}/commitments/{commitment_id}", outcome, outcome_year, provenance]


def to_csv(data: Iterable[list]) -> bytes:
    """Keys in the first row; true/false for yes and no (spreadsheets show them in their own language)."""
    return csv_bytes(list(KEYS), ([str(v).lower() if isinstance(v, bool) else v for v in row] for row in data))


def _bold_row(sheet, values: Iterable[str]) -> None:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def to_xlsx(data: Iterable[list]) -> bytes:
    """A workbook with a bold, frozen row of keys, typed cells (streamed), and a sheet explaining the columns."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Commitments")[:31])
    for number, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    _bold_row(sheet, KEYS)
    count = 0
    for row in data:
        cells = []
        for key, value in zip(KEYS, row, strict=False):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # user text stays text, never a formula
            if key in DATE_KEYS:
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(KEYS))}{count + 1}"
    guide = book.create_sheet(_("Columns")[:31])
    for letter, width in zip("ABC", (16, 24, 90), strict=False):
        guide.column_dimensions[letter].width = width
    _bold_row(guide, [_("Column key"), _("Label"), _("Meaning")])
    for key, label, meaning in columns():
        cell = WriteOnlyCell(guide, value=meaning)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        guide.append([key, label, cell])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
