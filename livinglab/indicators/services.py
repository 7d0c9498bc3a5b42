"""Loading indicator frameworks from `content/frameworks/<code>/`."""

import csv
import tomllib
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from livinglab.extensions import db
from livinglab.indicators.models import Aspect, CrosswalkLink, Domain, Framework, Indicator, Level, PredicateBand
from livinglab.regencies.services import upsert


class FrameworkFileError(ValueError):
    """A framework file is missing something the loader needs."""


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _framework(meta: dict) -> Framework:
    values = {
        "name_id": meta["name_id"],
        "name_en": meta["name_en"],
        "regulation": meta["regulation"],
        "first_year": int(meta["first_year"]),
        "last_year": meta.get("last_year"),
        "is_provisional": bool(meta.get("provisional", False)),
        "is_default": bool(meta.get("default", False)),
        "note_id": meta.get("note_id", ""),
        "note_en": meta.get("note_en", ""),
        "source": meta.get("source", ""),
        "version": int(meta.get("version", 1)),
    }
    if meta.get("replaces"):
        replaced = db.session.scalars(select(Framework).filter_by(code=meta["replaces"])).first()
        if replaced is None:
            raise FrameworkFileError(f"{meta['code']} replaces {meta['replaces']}, which is not loaded")
        values["replaces_id"] = replaced.id
    upsert(Framework, {"code": meta["code"]}, values)
    db.session.flush()
    return db.session.scalars(select(Framework).filter_by(code=meta["code"])).one()


def _weights(rows: list[dict[str, str]], key: str) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for row in rows:
        totals[int(row[key])] = totals.get(int(row[key]), Decimal(0)) + Decimal(row["weight_percent"])
    return totals


def _structure(framework: Framework, rows: list[dict[str, str]], meta: dict) -> dict[int, Aspect]:
    """Upsert domains (when the file has them) and aspects; return aspects by number."""
    fid = framework.id
    domains: dict[int, Domain] = {}
    if "domain" in rows[0]:
        domain_weights = _weights(rows, "domain")
        for row in rows:
            number = int(row["domain"])
            values = {"name_id": row["domain_name_id"], "name_en": row["domain_name_en"],
                      "weight_percent": domain_weights[number]}
            upsert(Domain, {"framework_id": fid, "number": number}, values)
        db.session.flush()
        domains = {d.number: d for d in db.session.scalars(select(Domain).filter_by(framework_id=fid))}
    aspect_weights = _weights(rows, "aspect")
    names_en = {int(k): v for k, v in meta.get("aspect_names_en", {}).items()}
    for row in rows:
        number = int(row["aspect"])
        values = {
            "domain_id": domains[int(row["domain"])].id if domains else None,
            "name_id": row["aspect_name_id"],
            "name_en": row.get("aspect_name_en") or names_en.get(number, row["aspect_name_id"]),
            "weight_percent": Decimal(row.get("aspect_weight_percent") or aspect_weights[number]),
        }
        upsert(Aspect, {"framework_id": fid, "number": number}, values)
    db.session.flush()
    return {a.number: a for a in db.session.scalars(select(Aspect).filter_by(framework_id=fid))}


def load_framework(directory: Path) -> tuple[Framework, dict[str, int]]:
    """Load (or update) one framework from its folder; idempotent."""
    meta_path = directory / "framework.toml"
    if not meta_path.exists():
        raise FrameworkFileError(f"{meta_path} is missing")
    meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    framework = _framework(meta)
    rows = _read_csv(directory / meta["indicators"])
    if not rows:
        raise FrameworkFileError(f"{directory / meta['indicators']} has no indicators")
    aspects = _structure(framework, rows, meta)
    descriptions = {}
    if meta.get("descriptions") and (directory / meta["descriptions"]).exists():
        descriptions = {r["code"]: r for r in _read_csv(directory / meta["descriptions"])}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        text = descriptions.get(row["code"], {})
        values = {
            "aspect_id": aspects[int(row["aspect"])].id,
            "number": int(row["number"]),
            "name_id": row["name_id"],
            "name_en": row["name_en"],
            "weight_percent": Decimal(row["weight_percent"]),
            "description_id": text.get("description_id", ""),
            "description_en": text.get("description_en", ""),
        }
        counts[upsert(Indicator, {"framework_id": framework.id, "code": row["code"]}, values)] += 1
    if meta.get("levels"):
        for row in _read_csv(directory / meta["levels"]):
            values = {k: row[k] for k in ("name_id", "name_en", "summary_id", "summary_en")}
            upsert(Level, {"framework_id": framework.id, "level": int(row["level"])}, values)
    for band in meta.get("bands", []):
        values = {"name_id": band["name_id"], "name_en": band["name_en"]}
        upsert(PredicateBand, {"framework_id": framework.id, "min_index": Decimal(str(band["min_index"]))}, values)
    db.session.flush()
    return framework, counts


def load_frameworks(root: Path) -> dict[str, dict[str, int]]:
    """Load every framework folder under `root`: first versions in name order, then the corrected versions
    that replace them."""
    folders = [d for d in sorted(root.iterdir()) if (d / "framework.toml").exists()]
    replacing = {d for d in folders if "replaces" in tomllib.loads((d / "framework.toml").read_text(encoding="utf-8"))}
    ordered = [d for d in folders if d not in replacing] + sorted(replacing)
    return {d.name: load_framework(d)[1] for d in ordered}


def load_crosswalks(root: Path) -> dict[str, int]:
    """Load every crosswalk CSV under `root` (columns from_framework, from_code, to_framework, to_code,
    provisional, note_id, note_en); idempotent. Links are only added or updated, never removed, so that
    what was judged through them can still be explained."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    if not root.is_dir():
        return counts
    indicators = {(code, indicator_code): indicator_id for indicator_id, code, indicator_code in db.session.execute(
        select(Indicator.id, Framework.code, Indicator.code).join(Indicator.framework))}
    for path in sorted(root.glob("*.csv")):
        for number, row in enumerate(_read_csv(path), start=2):
            ends = [(row["from_framework"], row["from_code"]), (row["to_framework"], row["to_code"])]
            missing = [f"{framework}/{code}" for framework, code in ends if (framework, code) not in indicators]
            if missing:
                raise FrameworkFileError(f"{path.name} line {number}: unknown indicator {', '.join(missing)}")
            values = {"note_id": row["note_id"], "note_en": row["note_en"],
                      "is_provisional": row.get("provisional", "yes").strip().lower() in ("yes", "true", "1")}
            keys = {"from_indicator_id": indicators[ends[0]], "to_indicator_id": indicators[ends[1]]}
            counts[upsert(CrosswalkLink, keys, values)] += 1
    db.session.flush()
    return counts
