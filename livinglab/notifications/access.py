"""Whether a user may (still) see what a notification is about, asked of the feature that owns the subject.

Notifications need only accounts, so they cannot import pieces or commitments; the app factory registers,
per subject type, how to load subjects and the permission predicate their pages use. Access is asked when a
notification is created and again whenever it is listed, counted, opened or e-mailed: an official who moved
to another regency no longer hears about, nor sees the title of, a draft they followed.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import ColumnElement, and_, case, func, or_, select

from livinglab import requestlocal
from livinglab.accounts.models import User
from livinglab.extensions import db
from livinglab.notifications.models import Notification
from livinglab.pagecache import kept_value

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


def visible_ids(user: User, subject_type: str, ids: Iterable[int]) -> frozenset[int]:
    """Of these subject ids, the ones the user may view now (kept until anything public changes: who may view
    a subject depends on the user's and the subject's rows only)."""
    access = _access(subject_type)
    if access is None:
        return frozenset()
    ids = sorted(set(ids))

    def compute() -> frozenset[int]:
        return frozenset(subject_id for subject_id, subject in access.load(ids).items()
                         if access.can_view(user, subject))

    return kept_value(f"visible;{user.id};{subject_type};{','.join(map(str, ids))}", compute)


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


def subject_counts(user: User) -> list[tuple[str, int, int, int]]:
    """(subject type, subject id, notifications, unread ones) of the user's notifications: one query, read once per
    page view (the list and the menu's unread count both need it; a GET changes no notification before it renders)."""
    reading = has_request_context() and request.method in ("GET", "HEAD")
    kept = requestlocal.found().get("notification_subjects") if reading else None
    if kept is not None and kept[0] == user.id:
        return kept[1]
    unread = func.count(case((Notification.read_at.is_(None), 1)))
    rows = [tuple(row) for row in db.session.execute(
        select(Notification.subject_type, Notification.subject_id, func.count(), unread)
        .where(Notification.user_id == user.id).group_by(Notification.subject_type, Notification.subject_id))]
    if reading:
        requestlocal.found()["notification_subjects"] = (user.id, rows)
    return rows


def visible_subjects(user: User, unread_only: bool = False) -> dict[str, frozenset[int]]:
    """Per subject type, the subjects of the user's (unread) notifications that the user may view now."""
    subjects: dict[str, set[int]] = defaultdict(set)
    for subject_type, subject_id, _total, unread in subject_counts(user):
        if unread or not unread_only:
            subjects[subject_type].add(subject_id)
    return {subject_type: visible_ids(user, subject_type, ids) for subject_type, ids in subjects.items()}


def hidden_for(user: User, unread_only: bool = False) -> ColumnElement[bool] | None:
    """SQL: the user's notifications about subjects they may no longer view; None when there are none."""
    visible = visible_subjects(user, unread_only)
    hidden: dict[str, set[int]] = defaultdict(set)
    for subject_type, subject_id, _total, unread in subject_counts(user):
        if (unread or not unread_only) and subject_id not in visible[subject_type]:
            hidden[subject_type].add(subject_id)
    conditions = [and_(Notification.subject_type == subject_type, Notification.subject_id.in_(sorted(ids)))
                  for subject_type, ids in hidden.items()]
    return or_(*conditions) if conditions else None
