"""Reads of users."""

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from livinglab.accounts.models import User
from livinglab.extensions import db
from livinglab.roles import Role


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email.strip().lower())).first()


def find_user_by_handle(handle: str) -> User | None:
    return db.session.scalars(select(User).where(User.handle == handle.strip().lower())).first()


def users_by_handles(handles: set[str]) -> dict[str, User]:
    """Active users among these lower-case handles, keyed by handle (one query)."""
    if not handles:
        return {}
    query = select(User).where(User.handle.in_(sorted(handles)), User.is_active)
    return {user.handle: user for user in db.session.scalars(query)}


def officials_of(regency_code: str) -> list[User]:
    """Active officials of one regency, by name."""
    query = select(User).where(User.regency_code == regency_code, User.role == Role.OFFICIAL, User.is_active)
    return list(db.session.scalars(query.order_by(User.name)))


def count_officials() -> int:
    query = select(func.count()).select_from(User).where(User.role == Role.OFFICIAL, User.is_active)
    return db.session.scalar(query) or 0


def user_list_query(text: str = "", role: str = "", status: str = "") -> Select:
    """Users filtered by name or e-mail, role and active state, newest first."""
    query = select(User).options(joinedload(User.regency)).order_by(User.created_at.desc(), User.id.desc())
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if status == "active":
        query = query.where(User.is_active)
    elif status == "inactive":
        query = query.where(~User.is_active)
    return query
