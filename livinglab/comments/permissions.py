"""Who may read, write, edit, flag and moderate comments, and the loader that enforces it."""

from collections.abc import Callable

from flask import abort, g
from flask_login import current_user

from livinglab.accounts.models import User
from livinglab.comments.models import Comment, CommentBlock
from livinglab.comments.subjects import ThreadSubject, can_view_subject, is_closed, subject_of
from livinglab.extensions import db
from livinglab.roles import is_active_coordinator, is_active_user


def is_blocked(user: User) -> bool:
    """Blocked from commenting by a coordinator (read once per request)."""
    if not is_active_user(user):
        return False
    known = g.setdefault("comment_blocks", {})
    if user.id not in known:
        known[user.id] = db.session.get(CommentBlock, user.id) is not None
    return known[user.id]


def can_comment(user: User, subject: ThreadSubject) -> bool:
    """Signed-in, unblocked users who can see the piece or commitment, unless the piece is archived."""
    return is_active_user(user) and can_view_subject(user, subject) and not is_closed(subject) and not is_blocked(user)


def can_moderate_thread(user: User, subject: ThreadSubject) -> bool:
    """Coordinators moderate every thread; officials moderate the threads of their own regency."""
    if not is_active_user(user):
        return False
    return user.is_coordinator or (user.is_official and user.regency_code == subject.regency_code)


def can_hide_comment(user: User, comment: Comment) -> bool:
    """Hide a comment or dismiss its flags: a moderator of the thread, never on their own comment."""
    return comment.author_id != getattr(user, "id", None) and can_moderate_thread(user, subject_of(comment))


def can_restore_comment(user: User, comment: Comment) -> bool:
    """Only coordinators show a hidden comment again, so an official cannot overrule them."""
    return can_hide_comment(user, comment) and user.is_coordinator


def can_edit_comment(user: User, comment: Comment) -> bool:
    """Authors edit their own comment while it is shown and they are not blocked."""
    return is_active_user(user) and comment.author_id == user.id and comment.is_visible and not is_blocked(user)


def can_delete_comment(user: User, comment: Comment) -> bool:
    return is_active_user(user) and comment.author_id == user.id and not comment.is_deleted


def can_flag_comment(user: User, comment: Comment) -> bool:
    """Anyone signed in, on someone else's comment that is still shown."""
    return is_active_user(user) and comment.author_id != user.id and comment.is_visible


def can_see_hidden_text(user: User, comment: Comment) -> bool:
    """A hidden comment stays readable in full for its author and its moderators."""
    return is_active_user(user) and (comment.author_id == user.id or can_hide_comment(user, comment))


def can_review_flags(user: User) -> bool:
    """The moderation queue and comment blocks belong to coordinators (and admins)."""
    return is_active_coordinator(user)


def load_comment(comment_id: int, predicate: Callable[[User, Comment], bool]) -> Comment:
    """The comment, or 404 when it or its thread is not visible; 403 when the predicate refuses."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or not can_view_subject(current_user, subject_of(comment)):
        abort(404)
    if not predicate(current_user, comment):
        abort(403)
    return comment
