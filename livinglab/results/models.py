"""Judgements: what the results of a due year said about a commitment, kept with what they were based on.

A commitment's `outcome` is its current judgement; every judgement, including those a correction of the
results replaced, stays here with the evaluation, the import and the levels it was read from.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from livinglab.clock import utcnow
from livinglab.commitments.models import Outcome, _enum
from livinglab.extensions import db

if TYPE_CHECKING:
    from livinglab.commitments.models import Commitment
    from livinglab.evaluations.models import Evaluation, ResultImport
    from livinglab.indicators.models import Framework


class Judgement(db.Model):
    """One reading of a commitment against the results of its due year."""

    __tablename__ = "judgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("result_imports.id", ondelete="SET NULL"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"))
    year: Mapped[int]
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome, "outcome"))
    previous_outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "outcome"))
    # "first" (the first judgement), "correction" (results of the year were corrected), "withdrawn" is never
    # used: a judged commitment cannot be withdrawn.
    reason: Mapped[str] = mapped_column(String(20))
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    is_synthetic: Mapped[bool] = mapped_column(default=False)
    # Per target: indicator code, baseline, target, observed level, the indicators read, and the outcome.
    details: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    commitment: Mapped[Commitment] = relationship()
    evaluation: Mapped[Evaluation | None] = relationship()
    result_import: Mapped[ResultImport | None] = relationship()
    framework: Mapped[Framework] = relationship()

    @property
    def provenance(self) -> str:
        return "synthetic_demo" if self.is_synthetic else "official_import"

    def __repr__(self) -> str:
        return f"<Judgement {self.commitment_id} {self.year} {self.outcome.value}>"
