"""Writing, editing, deleting, flagging and moderating comments, and who hears about them."""

from datetime import datetime, timedelta

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import func, select

from livinglab.accounts.models import User
from livinglab.accounts.queries import users_by_handles
from livinglab.audit.services import record_event
from livinglab.clock import utcnow
from livinglab.comments.models import Comment, CommentBlock, Flag, FlagReason, FlagResolution
from livinglab.comments.permissions import can_comment, can_delete_comment, can_edit_comment, can_flag_comment
from livinglab.comments.subjects import (
    ThreadSubject,
    can_view_subject,
    comment_fields,
    in_thread,
    kind_of,
    notification_subject,
    subject_of,
)
from livinglab.extensions import db
from livinglab.notifications import services as notifications
from livinglab.notifications.models import NotificationKind
from livinglab.rendering import RENDERER_VERSION, mention_candidates, plain_text, render_markdown

DUPLICATE_WINDOW = timedelta(minutes=10)
MAX_MENTIONS = 10  # people one comment can notify by mentioning them


class CommentError(ValueError):
    """A comment rule was broken; `message` is shown to the user next to `field`."""

    def __init__(self, message: str, field: str | None = "body") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def render_body(body: str) -> tuple[str, list[User]]:
    """The sanitised HTML of a comment and the users it mentions (outside code, links and quotes)."""
    known = users_by_handles(mention_candidates(body))
    found: set[str] = set()
    html = render_markdown(body, "comment", {h: u.profile_path for h, u in known.items()}, found)
    return str(html), [known[handle] for handle in sorted(found)]


def rerender_stale_comments() -> int:
    """Render again every comment stored by another renderer (mentions as known now); returns how many."""
    stale = db.session.scalars(select(Comment).where(Comment.rendered_with != RENDERER_VERSION,
                                                     Comment.deleted_at.is_(None))).all()
    for comment in stale:
        comment.body_html, _mentioned = render_body(comment.body)
        comment.rendered_with = RENDERER_VERSION
    return len(stale)


def _check_body(body: str) -> str:
    body = (body or "").strip()
    limit = current_app.config["COMMENT_MAX_LENGTH"]
    if not body:
        raise CommentError(_("Write something before posting."))
    if len(body) > limit:
        raise CommentError(_("A comment can have at most %(max)d characters; this one has %(num)d.", max=limit,
                             num=len(body)))
    return body


def _check_rate(author: User, now: datetime) -> None:
    config = current_app.config
    for window, limit in ((timedelta(minutes=1), config["COMMENTS_PER_MINUTE"]),
                          (timedelta(hours=1), config["COMMENTS_PER_HOUR"])):
        query = select(func.count()).select_from(Comment).where(
            Comment.author_id == author.id, Comment.created_at >= now - window, Comment.created_at <= now)
        if (db.session.scalar(query) or 0) >= limit:
            raise CommentError(_("You are posting faster than the lab allows (%(num)d comments per %(window)s). "
                                 "Please wait a little; your text is kept below.", num=limit,
                                 window=_("minute") if window.total_seconds() == 60 else _("hour")))


def _duplicate(author: User, subject: ThreadSubject, parent: Comment | None, body: str, key: str | None,
               now: datetime) -> Comment | None:
    """The comment a double submit (same form key, or the same text just now) already created."""
    if key:
        same_key = db.session.scalar(select(Comment).where(Comment.author_id == author.id,
                                                           Comment.submission_key == key))
        if same_key:
            return same_key
    query = select(Comment).where(Comment.author_id == author.id, in_thread(subject),
                                  Comment.parent_id == (parent.id if parent else None), Comment.body == body,
                                  Comment.deleted_at.is_(None), Comment.created_at >= now - DUPLICATE_WINDOW)
    return db.session.scalars(query.limit(1)).first()


def _fan_out(comment: Comment, mentioned: list[User], followers: bool = True, at: datetime | None = None) -> None:
    """Each person hears once, by the most personal reason: mention, then reply, then follow."""
    thread = subject_of(comment)
    subject, author, anchor = notification_subject(thread), comment.author, f"comment-{comment.id}"
    told: set[int] = {author.id}
    readers = [user for user in mentioned if can_view_subject(user, thread)][:MAX_MENTIONS]  # drafts stay private
    batches = [(NotificationKind.MENTION, {user.id for user in readers})]
    if followers:
        parent_author = comment.parent.author_id if comment.parent and not comment.parent.is_deleted else None
        batches += [(NotificationKind.REPLY, {parent_author} - {None}),
                    (NotificationKind.COMMENT, notifications.follower_ids(subject.type, subject.id))]
    for kind, user_ids in batches:
        notifications.notify(user_ids - told, kind, subject, actor=author, anchor=anchor,
                             text=plain_text(comment.body), at=at)
        told |= user_ids


def add_comment(author: User, subject: ThreadSubject, body: str, parent: Comment | None = None,
                submission_key: str | None = None, now: datetime | None = None) -> Comment:
    """Post a comment (or a reply) on a piece or a commitment; a double submit returns the first one."""
    now = now or utcnow()
    if not can_comment(author, subject):
        raise CommentError(_("You cannot comment here."), field=None)
    body = _check_body(body)
    if parent is not None and (subject_of(parent) is not subject or not parent.is_visible):
        raise CommentError(_("The comment you are replying to is no longer shown."), field=None)
    existing = _duplicate(author, subject, parent, body, submission_key, now)
    if existing:
        return existing
    _check_rate(author, now)
    html, mentioned = render_body(body)
    comment = Comment(**comment_fields(subject), parent=parent, author=author, body=body, body_html=html,
                      rendered_with=RENDERER_VERSION, submission_key=submission_key or None, created_at=now)
    db.session.add(comment)
    db.session.flush()
    notifications.follow(author, kind_of(subject), subject.id)
    _fan_out(comment, mentioned, at=now)
    return comment


def edit_comment(comment: Comment, user: User, body: str, now: datetime | None = None) -> None:
    """Replace the text; only people newly mentioned by the edit are notified."""
    if not can_edit_comment(user, comment):
        raise CommentError(_("You cannot edit this comment."), field=None)
    body = _check_body(body)
    if body == comment.body:
        return
    subject = notification_subject(subject_of(comment))
    told = notifications.notified_about(subject.type, subject.id, f"comment-{comment.id}")
    comment.body_html, mentioned = render_body(body)
    comment.body, comment.rendered_with = body, RENDERER_VERSION
    comment.edited_at = now or utcnow()
    _fan_out(comment, [u for u in mentioned if u.id not in told], followers=False)


def _withdraw(comment: Comment) -> None:
    subject = notification_subject(subject_of(comment))
    notifications.withdraw_excerpts(subject.type, subject.id, f"comment-{comment.id}")


def _where(comment: Comment) -> dict:
    """The thread a comment belongs to, for audit details."""
    return {"piece": comment.piece_id} if comment.piece_id else {"commitment": comment.commitment_id}


def delete_comment(comment: Comment, user: User) -> None:
    """The author withdraws their text; the thread keeps a "comment deleted" placeholder."""
    if not can_delete_comment(user, comment):
        raise CommentError(_("You cannot delete this comment."), field=None)
    comment.deleted_at = utcnow()
    comment.body = comment.body_html = ""
    _withdraw(comment)
    record_event("comment.deleted", "comment", comment.id, actor=user, **_where(comment))


def flag_comment(comment: Comment, user: User, reason: FlagReason, note: str = "") -> Flag:
    if not can_flag_comment(user, comment):
        raise CommentError(_("You cannot flag this comment."), field=None)
    note = (note or "").strip()
    if reason is FlagReason.OTHER and not note:
        raise CommentError(_("Please say what is wrong with this comment."), field="note")
    if db.session.scalar(select(Flag.id).where(Flag.comment_id == comment.id, Flag.user_id == user.id)):
        raise CommentError(_("You have already flagged this comment; a moderator will look at it."), field=None)
    flag = Flag(comment=comment, user_id=user.id, reason=reason, note=note[:500])
    db.session.add(flag)
    db.session.flush()
    record_event("comment.flagged", "comment", comment.id, actor=user, reason=reason.value)
    return flag


def _resolve_flags(comment: Comment, moderator: User, resolution: FlagResolution) -> int:
    open_flags = db.session.scalars(select(Flag).where(Flag.comment_id == comment.id, Flag.resolved_at.is_(None)))
    count = 0
    for flag in open_flags:
        flag.resolved_at, flag.resolved_by_id, flag.resolution = utcnow(), moderator.id, resolution
        count += 1
    return count


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CommentError(_("Give a reason; the author and the audit log will see it."), field="reason")
    return reason[:500]


def hide_comment(comment: Comment, moderator: User, reason: str) -> None:
    """Hide from everyone but the author and moderators; resolves the open flags."""
    reason = _reason(reason)
    if comment.is_deleted or comment.is_hidden:
        raise CommentError(_("This comment is already hidden or deleted."), field=None)
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = utcnow(), moderator.id, reason
    _withdraw(comment)
    flags = _resolve_flags(comment, moderator, FlagResolution.HIDDEN)
    record_event("comment.hidden", "comment", comment.id, actor=moderator, reason=reason, flags=flags,
                 **_where(comment))


def restore_comment(comment: Comment, moderator: User, reason: str) -> None:
    reason = _reason(reason)
    if not comment.is_hidden:
        raise CommentError(_("This comment is not hidden."), field=None)
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = None, None, ""
    record_event("comment.restored", "comment", comment.id, actor=moderator, reason=reason, **_where(comment))


def dismiss_flags(comment: Comment, moderator: User, reason: str = "") -> int:
    """Keep the comment as it is and close its open flags."""
    count = _resolve_flags(comment, moderator, FlagResolution.DISMISSED)
    if not count:
        raise CommentError(_("This comment has no open flags."), field=None)
    record_event("comment.flags_dismissed", "comment", comment.id, actor=moderator, flags=count,
                 reason=(reason or "").strip()[:500], **_where(comment))
    return count


def block_user(user: User, by: User, reason: str) -> None:
    reason = _reason(reason)
    if user.id == by.id:
        raise CommentError(_("You cannot block yourself."), field=None)
    if user.is_coordinator:
        raise CommentError(_("Coordinators and admins cannot be blocked from commenting."), field=None)
    if db.session.get(CommentBlock, user.id):
        raise CommentError(_("This user is already blocked from commenting."), field=None)
    db.session.add(CommentBlock(user_id=user.id, blocked_by_id=by.id, reason=reason))
    g.pop("comment_blocks", None)
    record_event("user.comment_blocked", "user", user.id, actor=by, reason=reason)


def unblock_user(user: User, by: User) -> None:
    block = db.session.get(CommentBlock, user.id)
    if block is None:
        raise CommentError(_("This user is not blocked."), field=None)
    db.session.delete(block)
    g.pop("comment_blocks", None)
    record_event("user.comment_unblocked", "user", user.id, actor=by)
