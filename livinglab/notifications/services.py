"""Following subjects, creating notifications, reading them, and e-mailing them."""

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from livinglab import rules
from livinglab.accounts.models import EmailFrequency, User
from livinglab.clock import utcnow
from livinglab.extensions import db
from livinglab.i18n import force_locale, gettext as _, ngettext
from livinglab.mail import send_mail
from livinglab.notifications import access
from livinglab.notifications.models import Follow, Notification, NotificationKind

log = logging.getLogger(__name__)
EXCERPT_LENGTH = 280

# Status codes other features pass as `detail`; the label is translated when shown.
STATUS_LABELS = {
    "published": _l("published"),
    "archived": _l("archived"),
    "restored": _l("restored"),
    "planned": _l("planned"),
    "in_progress": _l("in progress"),
    "at_risk": _l("at risk"),
    "achieved": _l("achieved"),
    "verified": _l("verified"),
    "missed": _l("missed"),
    "withdrawn": _l("withdrawn"),
    "outcome_met": _l("official scores: target met"),
    "outcome_improved": _l("official scores: improved, short of the target"),
    "outcome_unchanged": _l("official scores: unchanged"),
    "outcome_fell": _l("official scores: fell"),
}


@dataclass(frozen=True)
class Subject:
    """What a notification is about: a piece or a commitment, with its title and page path."""

    type: str
    id: int
    title: str
    path: str


def follow(user: User, subject_type: str, subject_id: int) -> bool:
    """Follow a subject; True when the user was not following it yet."""
    if is_following(user, subject_type, subject_id):
        return False
    db.session.add(Follow(user_id=user.id, subject_type=subject_type, subject_id=subject_id))
    return True


def unfollow(user: User, subject_type: str, subject_id: int) -> None:
    db.session.execute(delete(Follow).where(
        Follow.user_id == user.id, Follow.subject_type == subject_type, Follow.subject_id == subject_id))


def is_following(user: User, subject_type: str, subject_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    query = select(Follow.id).where(
        Follow.user_id == user.id, Follow.subject_type == subject_type, Follow.subject_id == subject_id)
    return db.session.scalar(query) is not None


def follower_ids(subject_type: str, subject_id: int) -> set[int]:
    query = select(Follow.user_id).where(Follow.subject_type == subject_type, Follow.subject_id == subject_id)
    return set(db.session.scalars(query))


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """Plain text shortened at a word boundary, for lists and e-mails."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    return flat[:length].rsplit(" ", 1)[0] + "…"


def notify(user_ids: Iterable[int], kind: NotificationKind, subject: Subject, actor: User | None = None,
           anchor: str = "", text: str = "", detail: str = "", at: datetime | None = None) -> list[Notification]:
    """One notification per active recipient who may view the subject; never to the actor about their own action."""
    recipients = set(user_ids) - ({actor.id} if actor else set())
    if not recipients:
        return []
    active = db.session.scalars(select(User).where(User.id.in_(sorted(recipients)), User.is_active))
    allowed = access.readers(active, subject.type, subject.id)  # a draft's title stays with those who may see it
    link = f"{subject.path}#{anchor}" if anchor else subject.path
    created = [
        Notification(user_id=user.id, actor_id=actor.id if actor else None, kind=kind, subject_type=subject.type,
                     subject_id=subject.id, subject_title=subject.title[:200], link=link[:300],
                     excerpt=excerpt(text) if text else "", detail=detail, created_at=at or utcnow())
        for user in sorted(allowed, key=lambda user: user.id)
    ]
    db.session.add_all(created)
    return created


def notify_followers(kind: NotificationKind, subject: Subject, actor: User | None = None, anchor: str = "",
                     text: str = "", detail: str = "", also: Iterable[int] = (),
                     at: datetime | None = None) -> list[Notification]:
    """Notify everyone who follows the subject (and `also`, e.g. an owner who does not follow)."""
    return notify(follower_ids(subject.type, subject.id) | set(also), kind, subject, actor, anchor, text, detail, at)


def withdraw_excerpts(subject_type: str, subject_id: int, anchor: str) -> None:
    """A hidden or deleted comment: its text leaves every notification, and nothing about it is e-mailed."""
    db.session.execute(update(Notification).where(
        Notification.subject_type == subject_type, Notification.subject_id == subject_id,
        Notification.link.endswith(f"#{anchor}")).values(excerpt=""))
    db.session.execute(update(Notification).where(
        Notification.subject_type == subject_type, Notification.subject_id == subject_id,
        Notification.link.endswith(f"#{anchor}"), Notification.emailed_at.is_(None)).values(emailed_at=utcnow()))


def notified_about(subject_type: str, subject_id: int, anchor: str) -> set[int]:
    """Users already notified about this anchor (e.g. one comment), whatever the reason."""
    query = select(Notification.user_id).where(
        Notification.subject_type == subject_type, Notification.subject_id == subject_id,
        Notification.link.endswith(f"#{anchor}"))
    return set(db.session.scalars(query))


def describe(notification: Notification) -> str:
    """The sentence shown in the list and in e-mails, in the current language."""
    values = {"actor": notification.actor.name if notification.actor else _("Livinglab"),
              "title": notification.subject_title}
    kind = notification.kind
    if kind is NotificationKind.COMMENT:
        return _("%(actor)s commented on “%(title)s”", **values)
    if kind is NotificationKind.REPLY:
        return _("%(actor)s replied to your comment on “%(title)s”", **values)
    if kind is NotificationKind.MENTION:
        return _("%(actor)s mentioned you on “%(title)s”", **values)
    if kind is NotificationKind.PROGRESS:
        return _("%(actor)s posted a progress update on “%(title)s”", **values)
    if kind is NotificationKind.REMINDER and notification.detail == "overdue":
        return _("“%(title)s” is past its due date", **values)
    if kind is NotificationKind.REMINDER:
        days = rules.reminder_window().days
        return ngettext("A milestone of “%(title)s” is due within %(num)d day",
                        "A milestone of “%(title)s” is due within %(num)d days", days, **values)
    status = STATUS_LABELS.get(notification.detail, notification.detail)
    return _("%(actor)s changed “%(title)s”: %(status)s", status=status, **values)


def unread_count(user: User) -> int:
    """Unread notifications about subjects the user may still view (one query when who sees what is kept)."""
    visible = access.visible_subjects(user, unread_only=True)
    return sum(unread for subject_type, subject_id, _total, unread in access.subject_counts(user)
               if unread and subject_id in visible[subject_type])


def notifications_query(user: User, unread_only: bool = False):
    """The user's notifications, newest first, leaving out subjects they may no longer view."""
    query = select(Notification).where(Notification.user_id == user.id).options(
        joinedload(Notification.actor).load_only(User.name))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    hidden = access.hidden_for(user, unread_only)
    if hidden is not None:
        query = query.where(~hidden)
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user: User) -> int:
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    return result.rowcount or 0


def _absolute(path: str) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + path


def _pending(frequency: EmailFrequency, now: datetime):
    """Unread notifications not e-mailed yet, of active users with this preference."""
    oldest = now - timedelta(days=current_app.config["NOTIFICATION_MAIL_MAX_AGE_DAYS"])
    return (select(Notification.id).join(Notification.user)
            .where(User.email_frequency == frequency, User.is_active, Notification.read_at.is_(None),
                   Notification.emailed_at.is_(None), Notification.created_at >= oldest))


def _claim(ids: list[int], now: datetime) -> list[Notification]:
    """Mark these notifications e-mailed and commit before sending, so a second run cannot send them
    again; returns the ones this run claimed (another run may have taken some). Items whose subject the
    reader may no longer view are claimed too, and so never mailed."""
    if not ids:
        return []
    db.session.execute(update(Notification).where(Notification.id.in_(ids), Notification.emailed_at.is_(None))
                       .values(emailed_at=now))
    db.session.commit()
    query = select(Notification).where(Notification.id.in_(ids), Notification.emailed_at == now)
    return list(db.session.scalars(query.order_by(Notification.user_id, Notification.created_at.desc())))


def _release(notifications: list[Notification]) -> None:
    """A failed send gives the items back to the next run."""
    for notification in notifications:
        notification.emailed_at = None
    db.session.commit()


def _mail_lines(notification: Notification) -> list[str]:
    lines = [f"- {describe(notification)}"]
    if notification.excerpt:
        lines.append(f"  “{notification.excerpt}”")
    lines.append(f"  {_absolute(notification.link)}")
    return lines


def _footer() -> list[str]:
    return ["", _("You receive this because of your e-mail setting in Livinglab. Change it here:"),
            _absolute("/account")]


def _send(user: User, subject: str, lines: list[str], items: list[Notification]) -> bool:
    try:
        send_mail(user.email, " ".join(subject.split())[:200], "\n".join(lines + _footer()))
    except (OSError, smtplib.SMTPException):  # the server may be back next run; other errors would recur
        log.exception("Notification mail to user %s failed; it is retried on the next run.", user.id)
        _release(items)
        return False
    except Exception:  # one broken message must not stop the others
        log.exception("Notification mail to user %s could not be built; it is not retried.", user.id)
        return False
    return True


def send_immediate(now: datetime | None = None) -> int:
    """One e-mail per pending notification for users who want them immediately; returns mails sent."""
    now = now or utcnow()
    claimed = access.only_visible(_claim(list(db.session.scalars(_pending(EmailFrequency.IMMEDIATELY, now))), now))
    sent = 0
    for notification in claimed:
        user = notification.user
        with force_locale(user.locale):
            title = f"[Livinglab] {describe(notification)}"
            sent += _send(user, title[:200], [_("Hello %(name)s,", name=user.name), "", *_mail_lines(notification)],
                          [notification])
    return sent


def send_digests(now: datetime | None = None) -> int:
    """One digest per user who wants a daily e-mail, grouped by subject, newest first; returns mails sent."""
    now = now or utcnow()
    claimed = access.only_visible(_claim(list(db.session.scalars(_pending(EmailFrequency.DAILY, now))), now))
    sent = 0
    for _user_id, user_items in groupby(claimed, key=lambda n: n.user_id):
        items = list(user_items)
        user = items[0].user
        with force_locale(user.locale):
            lines = [_("Hello %(name)s,", name=user.name), "",
                     _("What happened in Livinglab since your last digest:")]
            for subject_title, group in _by_subject(items):
                lines += ["", f"## {subject_title}"]
                for notification in group:
                    lines += _mail_lines(notification)
            title = _("[Livinglab] Your daily digest: %(num)d new", num=len(items))
            sent += _send(user, title, lines, items)
    return sent


def _by_subject(items: list[Notification]) -> list[tuple[str, list[Notification]]]:
    """Items grouped by subject; the subject with the newest item first, items newest first."""
    groups: dict[tuple[str, int], list[Notification]] = {}
    for notification in sorted(items, key=lambda n: (n.created_at, n.id), reverse=True):
        groups.setdefault((notification.subject_type, notification.subject_id), []).append(notification)
    return [(group[0].subject_title, group) for group in groups.values()]
