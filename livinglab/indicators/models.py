"""SPBE indicator frameworks: domains, aspects, indicators, level names and predicate bands.

A framework is data loaded from `content/frameworks/<code>/`; the index of an evaluation is the
weighted sum of indicator levels (weights in percent add up to 100), and its predicate comes
from the framework's bands.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from livinglab.extensions import db


class Framework(db.Model):
    """An indicator set fixed by regulation, governing a range of evaluation years."""

    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    regulation: Mapped[str] = mapped_column(String(200))
    first_year: Mapped[int]
    last_year: Mapped[int | None]
    is_provisional: Mapped[bool] = mapped_column(default=False)
    is_default: Mapped[bool] = mapped_column(default=False)
    note_id: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")
    # Where the framework's text comes from; a corrected version names the one it replaces.
    source: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("frameworks.id", ondelete="SET NULL"))

    replaces: Mapped[Framework | None] = relationship(remote_side=[id], back_populates="replaced_by")
    replaced_by: Mapped[Framework | None] = relationship(back_populates="replaces")
    domains: Mapped[list[Domain]] = relationship(
        back_populates="framework", order_by="Domain.number", cascade="all, delete-orphan"
    )
    aspects: Mapped[list[Aspect]] = relationship(
        back_populates="framework", order_by="Aspect.number", cascade="all, delete-orphan"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="framework", order_by="Indicator.number", cascade="all, delete-orphan"
    )
    levels: Mapped[list[Level]] = relationship(
        back_populates="framework", order_by="Level.level", cascade="all, delete-orphan"
    )
    bands: Mapped[list[PredicateBand]] = relationship(
        back_populates="framework", order_by="PredicateBand.min_index.desc()", cascade="all, delete-orphan"
    )

    @property
    def years_label(self) -> str:
        """Evaluation years governed, e.g. "2021–2025" or "2026–"."""
        return f"{self.first_year}–{self.last_year or ''}"

    @property
    def is_replaced(self) -> bool:
        """A corrected version of this framework has been loaded; results stored on this one stay on it."""
        return self.replaced_by is not None

    def governs(self, year: int) -> bool:
        return self.first_year <= year <= (self.last_year or 9999)

    def __repr__(self) -> str:
        return f"<Framework {self.code}>"


class Domain(db.Model):
    """A domain of a framework (SPBE 2020 has four)."""

    __tablename__ = "domains"
    __table_args__ = (UniqueConstraint("framework_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    number: Mapped[int]
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    weight_percent: Mapped[Decimal] = mapped_column(Numeric(6, 2))

    framework: Mapped[Framework] = relationship(back_populates="domains")
    aspects: Mapped[list[Aspect]] = relationship(back_populates="domain", order_by="Aspect.number")


class Aspect(db.Model):
    """An aspect of a framework, inside a domain when the framework has domains."""

    __tablename__ = "aspects"
    __table_args__ = (UniqueConstraint("framework_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    domain_id: Mapped[int | None] = mapped_column(ForeignKey("domains.id", ondelete="CASCADE"))
    number: Mapped[int]
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    weight_percent: Mapped[Decimal] = mapped_column(Numeric(6, 2))

    framework: Mapped[Framework] = relationship(back_populates="aspects")
    domain: Mapped[Domain | None] = relationship(back_populates="aspects")
    indicators: Mapped[list[Indicator]] = relationship(back_populates="aspect", order_by="Indicator.number")


class Indicator(db.Model):
    """One indicator of a framework, scored at a level from 1 to 5."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"), index=True)
    aspect_id: Mapped[int] = mapped_column(ForeignKey("aspects.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10), index=True)
    number: Mapped[int]
    name_id: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    weight_percent: Mapped[Decimal] = mapped_column(Numeric(6, 3))
    description_id: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="indicators")
    aspect: Mapped[Aspect] = relationship(back_populates="indicators")

    def __repr__(self) -> str:
        return f"<Indicator {self.code}>"

    @property
    def short_name_id(self) -> str:
        """The Indonesian name without the words every SPBE 2020 name shares ("Tingkat Kematangan …
        Instansi Pusat/Pemerintah Daerah"), for charts, facets and menus where names are cut short."""
        return short_indicator_name(self.name_id)

    @property
    def short_name_en(self) -> str:
        return self.name_en


def short_indicator_name(name: str) -> str:
    short = name.removeprefix("Tingkat Kematangan ").removesuffix(" Instansi Pusat/Pemerintah Daerah").strip()
    return short[:1].upper() + short[1:] if short else name


class Level(db.Model):
    """The name and meaning of one maturity level (1–5) in a framework."""

    __tablename__ = "levels"
    __table_args__ = (UniqueConstraint("framework_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    level: Mapped[int]
    name_id: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    summary_id: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="levels")


class PredicateBand(db.Model):
    """An index band: an index at or above `min_index` earns this predicate."""

    __tablename__ = "predicate_bands"
    __table_args__ = (UniqueConstraint("framework_id", "min_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    min_index: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    name_id: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60))

    framework: Mapped[Framework] = relationship(back_populates="bands")


class CrosswalkLink(db.Model):
    """An indicator of one framework and its counterpart in another, with why they correspond.

    Crosswalks let a commitment made on one framework be judged by results scored on the next one."""

    __tablename__ = "crosswalk_links"
    __table_args__ = (UniqueConstraint("from_indicator_id", "to_indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    to_indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    note_id: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")
    is_provisional: Mapped[bool] = mapped_column(default=True)

    from_indicator: Mapped[Indicator] = relationship(foreign_keys=[from_indicator_id])
    to_indicator: Mapped[Indicator] = relationship(foreign_keys=[to_indicator_id])
