"""Loading and changing regencies."""

import csv
from pathlib import Path

from sqlalchemy import select

from livinglab.extensions import db
from livinglab.regencies.models import Province, Regency, RegencyKind


def upsert(model: type, key: dict, values: dict) -> str:
    """Insert or update one row by its natural key; return "created", "updated" or "unchanged"."""
    row = db.session.scalars(select(model).filter_by(**key)).first()
    if row is None:
        db.session.add(model(**key, **values))
        return "created"
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return "updated" if changed else "unchanged"


def load_regencies(directory: Path) -> dict[str, int]:
    """Load provinces and regencies from CSV; idempotent, never touches membership."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with open(directory / "provinces.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            counts[upsert(Province, {"code": row["code"]}, {"name": row["name"]})] += 1
    db.session.flush()
    with open(directory / "regencies.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            values = {
                "name": row["name"],
                "province_code": row["province_code"],
                "kind": RegencyKind(row["type"]),
                "code_kemendagri": row["code_kemendagri"],
            }
            counts[upsert(Regency, {"code": row["code"]}, values)] += 1
    db.session.flush()
    return counts


def set_membership(regency: Regency, is_member: bool, cohort: str | None) -> None:
    """Mark a regency as a member of the living lab (with its cohort) or not."""
    regency.is_member = is_member
    regency.cohort = cohort if is_member else None
