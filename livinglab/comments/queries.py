"""Reads of threads, flags and blocks; a whole thread costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from livinglab.accounts.models import User
from livinglab.comments.models import Comment, CommentBlock, Flag
from livinglab.comments.subjects import ThreadSubject, in_thread
from livinglab.extensions import db

# Replies nest this deep; deeper replies are shown at this depth, saying whom they answer.
MAX_DEPTH = 4


@dataclass
class ThreadNode:
    comment: Comment
    depth: int
    replies: list[ThreadNode] = field(default_factory=list)
    # Set when the reply was flattened: it answers a comment that is not the one it is shown under.
    answers: Comment | None = None
    shown_under: ThreadNode | None = None


def thread_comments(subject: ThreadSubject) -> list[Comment]:
    """Every comment of a thread, oldest first, with authors and their regencies."""
    query = (select(Comment).where(in_thread(subject))
             .options(joinedload(Comment.author).joinedload(User.regency))
             .order_by(Comment.created_at, Comment.id))
    return list(db.session.scalars(query))


def build_thread(comments: list[Comment]) -> list[ThreadNode]:
    """Top-level nodes, each holding its replies; deeper replies are listed at MAX_DEPTH."""
    nodes = {comment.id: ThreadNode(comment, 1) for comment in comments}
    roots: list[ThreadNode] = []
    for comment in comments:
        node = nodes[comment.id]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        if parent is None:
            roots.append(node)
        elif parent.depth < MAX_DEPTH:
            node.depth, node.shown_under = parent.depth + 1, parent
            parent.replies.append(node)
        else:
            node.depth, node.answers, node.shown_under = MAX_DEPTH, parent.comment, parent.shown_under
            parent.shown_under.replies.append(node)
    return roots


def flagged_by(user: User, subject: ThreadSubject) -> set[int]:
    """Ids of the comments in this thread the user has already flagged."""
    if not user.is_authenticated:
        return set()
    query = select(Flag.comment_id).join(Flag.comment).where(Flag.user_id == user.id, in_thread(subject))
    return set(db.session.scalars(query))


def open_flag_counts(subject: ThreadSubject) -> dict[int, int]:
    """Open flags per comment of one thread, for moderators."""
    query = (select(Flag.comment_id, func.count()).join(Flag.comment)
             .where(in_thread(subject), Flag.resolved_at.is_(None)).group_by(Flag.comment_id))
    return dict(db.session.execute(query).all())


def flagged_comments_count() -> int:
    """Comments with at least one open flag: the moderation queue's length."""
    query = select(func.count(func.distinct(Flag.comment_id))).where(Flag.resolved_at.is_(None))
    return db.session.scalar(query) or 0


def moderation_queue() -> Select:
    """Comments with open flags, the most flagged and then the oldest flag first."""
    open_flags = (select(Flag.comment_id, func.count().label("flags"), func.min(Flag.created_at).label("first"))
                  .where(Flag.resolved_at.is_(None)).group_by(Flag.comment_id).subquery())
    return (select(Comment).join(open_flags, open_flags.c.comment_id == Comment.id)
            .options(joinedload(Comment.author), joinedload(Comment.piece), joinedload(Comment.commitment),
                     selectinload(Comment.open_flags).joinedload(Flag.user))
            .order_by(open_flags.c.flags.desc(), open_flags.c.first, Comment.id))


def hidden_comments() -> Select:
    return (
        select(Comment)
        .where(Comment.hidden_at.is_not(None))
        .options(
            joinedload(Comment.author),
            joinedload(Comment.piece),
            joinedload(Comment.commitment),
            joinedload(Comment.hidden_by),
        )
        .order_by(Comment.hidden_at.desc(), Comment.id.desc())
    )


def blocks() -> Select:
    return (select(CommentBlock).options(joinedload(CommentBlock.user), joinedload(CommentBlock.blocked_by))
            .order_by(CommentBlock.created_at.desc()))
