"""Reads of provinces and regencies."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from livinglab.extensions import db
from livinglab.regencies.models import Province, Regency


@dataclass
class LabCounts:
    regencies: int
    members: int
    provinces_with_members: int


def lab_counts() -> LabCounts:
    """Headline numbers for the home page, in one query each."""
    members = select(func.count()).select_from(Regency).where(Regency.is_member)
    provinces = select(func.count(func.distinct(Regency.province_code))).where(Regency.is_member)
    return LabCounts(
        regencies=db.session.scalar(select(func.count()).select_from(Regency)) or 0,
        members=db.session.scalar(members) or 0,
        provinces_with_members=db.session.scalar(provinces) or 0,
    )


def provinces() -> list[Province]:
    return list(db.session.scalars(select(Province).order_by(Province.name)))


def regency_list_query(text: str = "", province_code: str = "", membership: str = "") -> Select:
    """Regencies filtered by name, province and membership, ordered by name."""
    query = select(Regency).options(joinedload(Regency.province)).order_by(Regency.name)
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(func.lower(Regency.name).like(pattern) | (Regency.code == text.strip()))
    if province_code:
        query = query.where(Regency.province_code == province_code)
    if membership == "member":
        query = query.where(Regency.is_member)
    elif membership == "other":
        query = query.where(~Regency.is_member)
    return query


def find_regency(code: str) -> Regency | None:
    query = select(Regency).where(Regency.code == code).options(joinedload(Regency.province))
    return db.session.scalars(query).first()


def regency_choices() -> list[tuple[str, str, str]]:
    """(province name, regency code, regency name) in province then name order, for grouped selects."""
    query = select(Province.name, Regency.code, Regency.name).join(Regency.province)
    return [tuple(row) for row in db.session.execute(query.order_by(Province.name, Regency.name))]
