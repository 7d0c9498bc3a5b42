"""Users and their roles."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from livinglab.clock import as_utc, utcnow
from livinglab.extensions import db
from livinglab.roles import Role

if TYPE_CHECKING:
    from livinglab.regencies.models import Regency


class EmailFrequency(enum.Enum):
    """How often a user wants their unread notifications by e-mail."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    NEVER = "never"


HANDLE_PATTERN = r"[a-z0-9_]{3,30}"


class User(UserMixin, db.Model):
    """A registered person. Officials belong to exactly one regency."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Lower-case name used in @mentions and the public profile address; assigned when missing.
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        db.Enum(Role, name="role", values_callable=lambda roles: [r.value for r in roles]),
        default=Role.PEER,
        index=True,
    )
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regencies.code"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="id")
    email_frequency: Mapped[EmailFrequency] = mapped_column(
        db.Enum(EmailFrequency, name="email_frequency", values_callable=lambda items: [i.value for i in items]),
        default=EmailFrequency.IMMEDIATELY,
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

    regency: Mapped[Regency | None] = relationship(back_populates="users")
    sign_ins: Mapped[list[SignIn]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # The secret of the sign-in this object was loaded for or just created; not a column, never stored.
    sign_in_token = None

    def get_id(self) -> str:
        """What the session and the remember cookie carry: "user id:sign-in secret"."""
        return f"{self.id}:{self.sign_in_token}"

    @property
    def profile_path(self) -> str:
        """The lasting address of the public profile that mentions link to: by id, so a mention
        keeps leading to this person after they change their handle (`accounts.person_by_id`)."""
        return f"/u/{self.id}"

    @property
    def is_official(self) -> bool:
        return self.role is Role.OFFICIAL

    @property
    def is_coordinator(self) -> bool:
        """Coordinators and admins share the coordinator's powers."""
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value}>"


class SignIn(db.Model):
    """One signed-in browser. Only a hash of its secret is stored; it ends when revoked or expired."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(80), default="")
    is_remembered: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    # Remembered sign-ins end at a fixed time; others move it forward while in use (idle timeout).
    expires_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="sign_ins")

    def is_open_at(self, now: datetime) -> bool:
        """Not revoked and not expired at `now`."""
        return self.revoked_at is None and as_utc(self.expires_at) > now

    def __repr__(self) -> str:
        return f"<SignIn {self.id} of user {self.user_id}>"
