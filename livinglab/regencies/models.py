"""Provinces and regencies (kabupaten/kota) with their official Kemendagri codes."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from livinglab.extensions import db

if TYPE_CHECKING:
    from livinglab.accounts.models import User


class RegencyKind(enum.Enum):
    """A regency is either a kabupaten or a kota."""

    KABUPATEN = "kabupaten"
    KOTA = "kota"


class Province(db.Model):
    """One of Indonesia's provinces, keyed by its two-digit code."""

    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    regencies: Mapped[list[Regency]] = relationship(back_populates="province", order_by="Regency.code")

    def __repr__(self) -> str:
        return f"<Province {self.code} {self.name}>"


class Regency(db.Model):
    """A kabupaten or kota; members of the living lab carry the cohort they joined."""

    __tablename__ = "regencies"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    code_kemendagri: Mapped[str] = mapped_column(String(5), unique=True)
    kind: Mapped[RegencyKind] = mapped_column(
        db.Enum(RegencyKind, name="regency_kind", values_callable=lambda kinds: [k.value for k in kinds])
    )
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    is_member: Mapped[bool] = mapped_column(default=False, index=True)
    cohort: Mapped[str | None] = mapped_column(String(60))

    province: Mapped[Province] = relationship(back_populates="regencies")
    users: Mapped[list[User]] = relationship(back_populates="regency")

    def __repr__(self) -> str:
        return f"<Regency {self.code} {self.name}>"
