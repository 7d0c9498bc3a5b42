"""Bulk progress from CSV or XLSX: every row is checked before anything changes (all or nothing)."""

from dataclasses import asdict, dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.commitments import services
from livinglab.commitments.models import OPEN_STATUSES, Commitment, lab_today
from livinglab.extensions import db
from livinglab.sheets import SheetError, cell_text, csv_bytes, read_table

REQUIRED = ("commitment_id", "date", "percent", "text")
OPTIONAL = ("evidence_url", "title")  # the title is only there to help people filling the sheet in
MAX_ROWS = 2000


@dataclass
class ImportRow:
    line: int
    commitment_id: int
    reported_on: str
    percent: int
    text: str
    evidence_url: str = ""
    title: str = ""


@dataclass
class ImportProblem:
    line: int
    column: str
    message: str


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _percent(value) -> int | None:
    text = cell_text(value)
    return int(text) if text.isdigit() and len(text) <= 3 else None


def parse(filename: str, content: bytes) -> tuple[list[ImportRow], list[ImportProblem]]:
    """Rows to apply and the problems found; the import may go ahead only when there are none."""
    numbered = read_table(filename, content)
    table = [row for _line, row in numbered]
    header = [cell_text(v).lower() for v in table[0]]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        raise SheetError(_("Wrong columns. Missing: %(missing)s. Unknown: %(unknown)s. Expected: %(expected)s.",
                           missing=", ".join(missing) or "—", unknown=", ".join(unknown) or "—",
                           expected=", ".join(REQUIRED + OPTIONAL)))
    if len(table) == 1:
        raise SheetError(_("The file has a header row but no data rows."))
    if len(table) > MAX_ROWS + 1:
        raise SheetError(_("At most %(max)d rows per import.", max=MAX_ROWS))
    records = [(line, dict(zip(header, row))) for line, row in numbered[1:]]
    raw_ids = {cell_text(record.get("commitment_id")) for _line, record in records}
    ids = {int(raw) for raw in raw_ids if raw.isdigit() and len(raw) < 10}
    known = {c.id: c for c in db.session.scalars(select(Commitment).where(Commitment.id.in_(ids)))} if ids else {}
    rows, problems, seen = [], [], {}
    for line, record in records:
        row, found = _check(line, record, known)
        problems += found
        if row is None:
            continue
        key = (row.commitment_id, row.reported_on, row.percent, row.text)
        if key in seen:
            problems.append(ImportProblem(line, "", _("Same as row %(line)d.", line=seen[key])))
            continue
        seen[key] = line
        rows.append(row)
    return rows, problems


def _check(line: int, record: dict, known: dict[int, Commitment]) -> tuple[ImportRow | None, list[ImportProblem]]:
    problems = []
    raw_id = cell_text(record.get("commitment_id"))
    commitment = known.get(int(raw_id)) if raw_id.isdigit() and len(raw_id) < 10 else None
    if commitment is None:
        problems.append(ImportProblem(line, "commitment_id", _("No commitment has the number “%(value)s”.",
                                                                value=raw_id[:20])))
    elif commitment.status not in OPEN_STATUSES:
        problems.append(ImportProblem(line, "commitment_id", _("Commitment %(id)s is closed.", id=commitment.id)))
    reported_on = _date(record.get("date"))
    if reported_on is None:
        problems.append(ImportProblem(line, "date", _("Write the date as YYYY-MM-DD, e.g. 2026-03-31.")))
    elif reported_on > lab_today():
        problems.append(ImportProblem(line, "date", _("The date is in the future.")))
    elif commitment is not None and reported_on < commitment.starts_on:
        problems.append(ImportProblem(line, "date", _("The date is before the commitment starts.")))
    percent = _percent(record.get("percent"))
    if percent is None or percent > 100:
        problems.append(ImportProblem(line, "percent", _("The percentage must be a whole number from 0 to 100.")))
    text = str(record.get("text") or "").strip()
    if not text:
        problems.append(ImportProblem(line, "text", _("Describe what was done; a percentage needs its explanation.")))
    url = str(record.get("evidence_url") or "").strip()
    if url and not url.startswith(("https://", "http://")):
        problems.append(ImportProblem(line, "evidence_url", _("Enter a full address starting with https://.")))
    if problems:
        return None, problems
    return ImportRow(line, commitment.id, reported_on.isoformat(), percent, text[:5000], url[:500],
                     commitment.title), []


def apply(rows: list[ImportRow], by: User) -> int:
    """Record every row as a progress update (the caller commits once, so it is all or nothing)."""
    commitments = {c.id: c for c in db.session.scalars(
        select(Commitment).where(Commitment.id.in_({r.commitment_id for r in rows})))}
    for row in sorted(rows, key=lambda r: (r.commitment_id, r.reported_on)):
        services.record_progress(commitments[row.commitment_id], by, row.text, row.percent,
                                 date.fromisoformat(row.reported_on), row.evidence_url)
    return len(rows)


def serialise(rows: list[ImportRow]) -> list[dict]:
    return [asdict(row) for row in rows]


def deserialise(data: list[dict]) -> list[ImportRow]:
    return [ImportRow(**item) for item in data]


def template_csv(commitments: list[Commitment]) -> bytes:
    """A sheet to fill in: one row per open commitment, with its number and title."""
    return csv_bytes(["commitment_id", "title", "date", "percent", "text", "evidence_url"],
                     ([c.id, c.title, "", "", "", ""] for c in commitments))
