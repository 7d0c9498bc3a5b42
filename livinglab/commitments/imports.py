"""Bulk progress from CSV or XLSX: every row is checked before anything changes (all or nothing).

The sheet is the template (`COLUMNS`) or the commitments export: a row whose percent and date are as
downloaded and whose text is empty changes nothing, so a sheet imported back unedited records nothing.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.clock import lab_today
from livinglab.commitments import services
from livinglab.commitments.exports import KEYS as EXPORT_KEYS
from livinglab.commitments.models import OPEN_STATUSES, Commitment
from livinglab.extensions import db
from livinglab.sheets import SheetError, cell_text, csv_bytes, parse_date, parse_percent, read_table

COLUMNS = ("id", "regency_code", "title", "percent", "last_update_on", "text", "evidence_url")
ALIASES = {"commitment_id": "id", "date": "last_update_on"}  # the names of sheets made before May 2026
REQUIRED = ("id", "percent", "last_update_on")
READ = ("id", "percent", "last_update_on", "text", "evidence_url")  # every other known column is only shown
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
    previous_percent: int = 0


@dataclass
class ImportProblem:
    line: int
    column: str
    message: str


@dataclass
class Parsed:
    """Rows to apply, problems found, and how many rows were left as they were."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    unchanged: int = 0


def _header(first_row: list) -> list[str]:
    header = [ALIASES.get(name, name) for name in (cell_text(v).lower() for v in first_row)]
    known = set(COLUMNS) | set(EXPORT_KEYS)
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in known]
    if missing or unknown:
        raise SheetError(_("Wrong columns. Missing: %(missing)s. Unknown: %(unknown)s. Expected: %(expected)s.",
                           missing=", ".join(missing) or "—", unknown=", ".join(unknown) or "—",
                           expected=", ".join(COLUMNS)))
    repeated = sorted({name for name in header if name in READ and header.count(name) > 1})
    if repeated:
        raise SheetError(_("Columns named twice: %(columns)s.", columns=", ".join(repeated)))
    return header


def parse(filename: str, content: bytes) -> Parsed:
    """Rows to apply and the problems found; the import may go ahead only when there are none."""
    numbered = read_table(filename, content, MAX_ROWS)
    header = _header(numbered[0][1])
    if len(numbered) == 1:
        raise SheetError(_("The file has a header row but no data rows."))
    records = [(line, {k: v for k, v in zip(header, row, strict=False) if k in READ}) for line, row in numbered[1:]]
    raw_ids = {cell_text(record.get("id")) for _line, record in records}
    ids = {int(raw) for raw in raw_ids if raw.isdigit() and len(raw) < 10}
    known = {c.id: c for c in db.session.scalars(select(Commitment).where(Commitment.id.in_(ids)))} if ids else {}
    parsed, seen = Parsed(), {}
    for line, record in records:
        row, found = _check(line, record, known)
        parsed.problems += found
        if row is None:
            parsed.unchanged += not found
            continue
        key = (row.commitment_id, row.reported_on, row.percent, row.text)
        if key in seen:
            parsed.problems.append(ImportProblem(line, "", _("Same as row %(line)d.", line=seen[key])))
            continue
        seen[key] = line
        parsed.rows.append(row)
    return parsed


def _is_unchanged(commitment: Commitment, record: dict) -> bool:
    """Percent and date as stored (or both left empty), and nothing written: a row the user did not touch."""
    percent, reported_on = cell_text(record.get("percent")), cell_text(record.get("last_update_on"))
    if cell_text(record.get("text")) or cell_text(record.get("evidence_url")):
        return False
    if not percent and not reported_on:
        return True
    return (parse_percent(record.get("percent")) == commitment.percent
            and parse_date(record.get("last_update_on")) == commitment.last_update_on)


def _check(line: int, record: dict, known: dict[int, Commitment]) -> tuple[ImportRow | None, list[ImportProblem]]:
    """A row to apply, or None with the problems found (none at all for a row left unchanged)."""
    raw_id = cell_text(record.get("id"))
    commitment = known.get(int(raw_id)) if raw_id.isdigit() and len(raw_id) < 10 else None
    if commitment is None:
        return None, [ImportProblem(line, "id", _("No commitment has the number “%(value)s”.", value=raw_id[:20]))]
    if _is_unchanged(commitment, record):
        return None, []
    problems = []
    if commitment.status not in OPEN_STATUSES:
        problems.append(ImportProblem(line, "id", _("Commitment %(id)s is closed.", id=commitment.id)))
    reported_on, typed = parse_date(record.get("last_update_on")), cell_text(record.get("last_update_on"))
    if reported_on is None:
        problems.append(ImportProblem(line, "last_update_on", _(
            "“%(value)s” is not a date: write DD/MM/YYYY or YYYY-MM-DD, e.g. 31/03/2026.", value=typed[:20])
            if typed else _("Write the date of this report, e.g. 31/03/2026.")))
    elif reported_on > lab_today():
        problems.append(ImportProblem(line, "last_update_on", _("The date is in the future.")))
    elif reported_on < commitment.starts_on:
        problems.append(ImportProblem(line, "last_update_on", _("The date is before the commitment starts.")))
    percent = parse_percent(record.get("percent"))
    if percent is None:
        typed = cell_text(record.get("percent"))
        problems.append(ImportProblem(line, "percent", _(
            "“%(value)s” is not a percentage from 0 to 100: write 70, 70 %% or 0,7.", value=typed[:20])
            if typed else _("Write the percentage, e.g. 70.")))
    text = cell_text(record.get("text"))
    if not text:
        problems.append(ImportProblem(line, "text", _("Describe what was done; a percentage needs its explanation.")))
    url = cell_text(record.get("evidence_url"))
    if url and not url.startswith(("https://", "http://")):
        problems.append(ImportProblem(line, "evidence_url", _("Enter a full address starting with https://.")))
    if problems:
        return None, problems
    return ImportRow(line, commitment.id, reported_on.isoformat(), percent, text[:5000], url[:500],
                     commitment.title, commitment.percent), []


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
    """A sheet to fill in: one row per open commitment as it stands; imported back unedited, it changes nothing."""
    return csv_bytes(list(COLUMNS), ([c.id, c.regency_code, c.title, c.percent, c.last_update_on, "", ""]
                                     for c in commitments))
