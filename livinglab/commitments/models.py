"""Commitments with their target indicators, milestones, progress updates and status history.

Overdue and at risk are derived from dates (see `is_overdue` and `risk_reasons`), never stored.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from livinglab.clock import lab_today, utcnow
from livinglab.extensions import db
from livinglab.rules import stale_after

if TYPE_CHECKING:
    from livinglab.accounts.models import User
    from livinglab.evaluations.models import Evaluation
    from livinglab.indicators.models import Indicator
    from livinglab.pieces.models import Piece
    from livinglab.regencies.models import Regency



class CommitmentStatus(enum.Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    AT_RISK = "at_risk"
    ACHIEVED = "achieved"
    VERIFIED = "verified"
    MISSED = "missed"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS, CommitmentStatus.AT_RISK)
ACTIVE_STATUSES = (CommitmentStatus.IN_PROGRESS, CommitmentStatus.AT_RISK)


class Outcome(enum.Enum):
    """What the official scores of the due year say about a target (or a whole commitment)."""

    MET = "met"
    IMPROVED = "improved"  # rose, but short of the target
    UNCHANGED = "unchanged"
    FELL = "fell"


class BaselineSource(enum.Enum):
    SELF_ASSESSED = "self_assessed"
    OFFICIAL = "official"


def _enum(kind: type[enum.Enum], name: str) -> db.Enum:
    return db.Enum(kind, name=name, values_callable=lambda members: [m.value for m in members])


class Commitment(db.Model):
    """A regency's promise: raise these indicators from a baseline to a target level by a date."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    regency_code: Mapped[str] = mapped_column(ForeignKey("regencies.code"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source_piece_id: Mapped[int | None] = mapped_column(ForeignKey("pieces.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[CommitmentStatus] = mapped_column(_enum(CommitmentStatus, "commitment_status"),
                                                     default=CommitmentStatus.PLANNED, index=True)
    percent: Mapped[int] = mapped_column(default=0)
    # The date of the newest progress update: the stale rule reads it without touching the updates.
    last_update_on: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Recorded by a coordinator after the results of its due year were known: shown, never counted.
    is_recorded_after: Mapped[bool] = mapped_column(default=False)
    # Judged from the official scores of the due year, when they arrive.
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "outcome"), index=True)
    outcome_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    regency: Mapped[Regency] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    source_piece: Mapped[Piece | None] = relationship()
    targets: Mapped[list[CommitmentTarget]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="CommitmentTarget.id")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="(Milestone.due_on, Milestone.id)")
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan",
        order_by="(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())")
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="StatusChange.id")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        """Past its due date and neither achieved nor closed."""
        return self.is_open and self.due_on < (today or lab_today())

    def is_stale(self, today: date | None = None) -> bool:
        """Under way, and no progress update for STALE_AFTER_DAYS (counted from the start before the first one)."""
        today = today or lab_today()
        return self.status in ACTIVE_STATUSES and (self.last_update_on or self.starts_on) < today - stale_after()

    def late_milestones(self, today: date | None = None) -> list[Milestone]:
        today = today or lab_today()
        return [m for m in self.milestones if m.is_late(today)] if self.is_open else []

    def risk_reasons(self, today: date | None = None) -> list[str]:
        """Why the commitment counts as at risk: "status", "milestone" and/or "stale"; empty when it is not."""
        today = today or lab_today()
        reasons = []
        if self.status is CommitmentStatus.AT_RISK:
            reasons.append("status")
        if self.late_milestones(today):
            reasons.append("milestone")
        if self.is_stale(today):
            reasons.append("stale")
        return reasons

    def evidence_gaps(self) -> list[str]:
        """Why an achieved or verified commitment's own evidence does not back its status: "percent" (progress
        below 100 %) and/or "milestones" (milestones not done); empty otherwise."""
        if self.status not in (CommitmentStatus.ACHIEVED, CommitmentStatus.VERIFIED):
            return []
        gaps = ["percent"] if self.percent < 100 else []
        return gaps + (["milestones"] if any(m.done_on is None for m in self.milestones) else [])

    @property
    def is_judged(self) -> bool:
        return self.outcome is not None

    @property
    def promises_judgement(self) -> bool:
        """Only a commitment that is not withdrawn waits for the results of its due year."""
        return self.status is not CommitmentStatus.WITHDRAWN

    def __repr__(self) -> str:
        return f"<Commitment {self.id} {self.regency_code} {self.status.value}>"


class CommitmentTarget(db.Model):
    """One indicator a commitment aims to raise, from a baseline level to a target level."""

    __tablename__ = "commitment_targets"
    __table_args__ = (UniqueConstraint("commitment_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    baseline_level: Mapped[int]
    target_level: Mapped[int]
    baseline_source: Mapped[BaselineSource] = mapped_column(_enum(BaselineSource, "baseline_source"),
                                                            default=BaselineSource.SELF_ASSESSED)
    baseline_year: Mapped[int | None]
    # The stored result the baseline was read from (its provenance: official import or synthetic demo).
    baseline_evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"))
    observed_level: Mapped[int | None]
    observed_year: Mapped[int | None]
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "outcome"))

    commitment: Mapped[Commitment] = relationship(back_populates="targets")
    indicator: Mapped[Indicator] = relationship()
    baseline_evaluation: Mapped[Evaluation | None] = relationship()

    @property
    def baseline_provenance(self) -> str:
        """"self_assessed", "official_import" or "synthetic_demo"."""
        if self.baseline_source is BaselineSource.SELF_ASSESSED or self.baseline_evaluation is None:
            return "self_assessed" if self.baseline_source is BaselineSource.SELF_ASSESSED else "official_import"
        return self.baseline_evaluation.provenance


class Milestone(db.Model):
    """A dated step of a commitment; done when `done_on` is set."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)

    commitment: Mapped[Commitment] = relationship(back_populates="milestones")

    def is_late(self, today: date | None = None) -> bool:
        return self.done_on is None and self.due_on < (today or lab_today())


class ProgressUpdate(db.Model):
    """A dated report: what was done, how far along the commitment is, and optional evidence."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reported_on: Mapped[date] = mapped_column(Date)
    percent: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    evidence_name: Mapped[str] = mapped_column(String(200), default="")
    evidence_stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    evidence_type: Mapped[str] = mapped_column(String(120), default="")
    evidence_size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()


class StatusChange(db.Model):
    """Who moved a commitment from one status to another, when, and why."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[CommitmentStatus | None] = mapped_column(_enum(CommitmentStatus, "commitment_status"))
    to_status: Mapped[CommitmentStatus] = mapped_column(_enum(CommitmentStatus, "commitment_status"))
    comment: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()


class OneTimeKey(db.Model):
    """Something that must happen once: a reminder about a date, an import preview applied."""

    __tablename__ = "one_time_keys"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
