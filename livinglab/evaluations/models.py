"""One evaluation per regency, framework and year, with the level of each indicator."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from livinglab.clock import utcnow
from livinglab.extensions import db

if TYPE_CHECKING:
    from livinglab.accounts.models import User
    from livinglab.indicators.models import Framework, Indicator
    from livinglab.regencies.models import Regency


class ResultImport(db.Model):
    """One import of results (a sheet, a command, or the demo generator): where they came from, who, when."""

    __tablename__ = "result_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(200), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_synthetic: Mapped[bool] = mapped_column(default=False)
    added: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    actor: Mapped[User | None] = relationship()


class Evaluation(db.Model):
    """A regency's official result for one year: the published index and the index we recompute."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("regency_code", "framework_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    regency_code: Mapped[str] = mapped_column(ForeignKey("regencies.code"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    published_index: Mapped[float | None] = mapped_column(Numeric(5, 3))
    computed_index: Mapped[float] = mapped_column(Numeric(5, 3))
    predicate_id: Mapped[str] = mapped_column(String(60))
    predicate_en: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(300))
    # Demo scores are generated, never real: the pages say so.
    is_synthetic: Mapped[bool] = mapped_column(default=False)
    imported_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    # The import that last stored or corrected these results.
    import_id: Mapped[int | None] = mapped_column(ForeignKey("result_imports.id", ondelete="SET NULL"), index=True)

    regency: Mapped[Regency] = relationship()
    framework: Mapped[Framework] = relationship()
    result_import: Mapped[ResultImport | None] = relationship()
    scores: Mapped[list[EvaluationScore]] = relationship(back_populates="evaluation", cascade="all, delete-orphan")

    @property
    def index_gap(self) -> float | None:
        """Published minus recomputed index, when they differ by more than 0.01."""
        if self.published_index is None:
            return None
        gap = float(self.published_index) - float(self.computed_index)
        return gap if abs(gap) > 0.01 else None

    @property
    def shown_index(self) -> Decimal:
        """The index as the lab shows it: the published value when the sheet had one, else the recomputed
        value rounded to two decimals, as KemenPANRB publishes it. The predicate is read from this value."""
        if self.published_index is not None:
            return Decimal(str(self.published_index)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return Decimal(str(self.computed_index)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def provenance(self) -> str:
        """"synthetic_demo" for generated demo results, "official_import" for imported official ones."""
        return "synthetic_demo" if self.is_synthetic else "official_import"

    def __repr__(self) -> str:
        return f"<Evaluation {self.regency_code} {self.year}>"


class EvaluationScore(db.Model):
    """The level (1–5) an indicator received in an evaluation."""

    __tablename__ = "evaluation_scores"
    __table_args__ = (UniqueConstraint("evaluation_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    level: Mapped[int]

    evaluation: Mapped[Evaluation] = relationship(back_populates="scores")
    indicator: Mapped[Indicator] = relationship()
