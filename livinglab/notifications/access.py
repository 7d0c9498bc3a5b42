"""Whether a user may (still) see what a notification is about, asked of the feature that owns the subject.

Notifications need only accounts, so they cannot import pieces or commitments; the app factory registers,
per subject type, how to load subjects and the permission predicate their pages use. Access is asked when a
notification is created and again whenever it is listed, counted, opened or e-mailed: an official who moved
to another regency no longer hears about, nor sees the title of, a draft they followed.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import ColumnElement, and_, or_, select

from livinglab.accounts.models import User
from livinglab.extensions import db
from livinglab.notifications.models import Notification

EXTENSION_KEY = "notification_subjects"


@dataclass(frozen=True)
class SubjectAccess:
    """How to load subjects of one type by id, and the predicate saying who may view one."""

    load: Callable[[Iterable[int]], dict[int, object]]
    can_view: Callable[[User, object], bool]


def register_subject(app: Flask, subject_type: str, load: Callable[[Iterable[int]], dict[int, object]],
                     can_view: Callable[[User, object], bool]) -> None:
    """Tell notifications how to check access to subjects of this type (called by the app factory)."""
    app.extensions.setdefault(EXTENSION_KEY, {})[subject_type] = SubjectAccess(load, can_view)


def _access(subject_type: str) -> SubjectAccess | None:
    return current_app.extensions.get(EXTENSION_KEY, {}).get(subject_type)


def readers(users: Iterable[User], subject_type: str, subject_id: int) -> list[User]:
    """The users who may view this subject now; an unknown type or a missing subject has none."""
    access = _access(subject_type)
    subject = access.load([subject_id]).get(subject_id) if access else None
    if subject is None:
        return []
    return [user for user in users if access.can_view(user, subject)]


def visible_ids(user: User, subject_type: str, ids: Iterable[int]) -> set[int]:
    """Of these subject ids, the ones the user may view now."""
    access = _access(subject_type)
    if access is None:
        return set()
    return {subject_id for subject_id, subject in access.load(ids).items() if access.can_view(user, subject)}


def is_visible(notification: Notification) -> bool:
    """The recipient may still view the notification's subject."""
    return notification.subject_id in visible_ids(notification.user, notification.subject_type,
                                                  [notification.subject_id])


def only_visible(items: list[Notification]) -> list[Notification]:
    """The items whose recipient may still view their subject, in the same order."""
    wanted: dict[tuple[int, str], set[int]] = defaultdict(set)
    users: dict[int, User] = {}
    for item in items:
        wanted[(item.user_id, item.subject_type)].add(item.subject_id)
        users[item.user_id] = item.user
    allowed = {key: visible_ids(users[key[0]], key[1], ids) for key, ids in wanted.items()}
    return [item for item in items if item.subject_id in allowed[(item.user_id, item.subject_type)]]


def hidden_for(user: User, unread_only: bool = False) -> ColumnElement[bool] | None:
    """SQL: the user's notifications about subjects they may no longer view; None when there are none."""
    query = select(Notification.subject_type, Notification.subject_id).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    subjects: dict[str, set[int]] = defaultdict(set)
    for subject_type, subject_id in db.session.execute(query.distinct()):
        subjects[subject_type].add(subject_id)
    conditions = []
    for subject_type, ids in subjects.items():
        hidden = ids - visible_ids(user, subject_type, ids)
        if hidden:
            conditions.append(and_(Notification.subject_type == subject_type,
                                   Notification.subject_id.in_(sorted(hidden))))
    return or_(*conditions) if conditions else None
