"""Loading the demo discussions from `content/demo/comments.toml`."""

import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from livinglab.accounts.models import utcnow
from livinglab.accounts.queries import find_user_by_email
from livinglab.comments import services
from livinglab.comments.models import Comment, Flag, FlagReason
from livinglab.demo.pieces import read_demo_pieces
from livinglab.extensions import db
from livinglab.notifications.models import Notification
from livinglab.pieces.models import Piece

UNREAD_KEPT = 3  # each demo user finds their newest few notifications unread


def _demo_pieces(folder: Path) -> dict[str, Piece]:
    """Demo piece file stem → its piece in the database."""
    found = {}
    for item in read_demo_pieces(folder):
        query = select(Piece).where(Piece.is_demo, Piece.regency_code == item.meta["regency"],
                                    Piece.title == item.meta["title"])
        piece = db.session.scalars(query).first()
        if piece:
            found[item.key] = piece
    return found


def load_demo_comments(path: Path, pieces_folder: Path, now: datetime | None = None) -> int:
    """Post every demo thread whose piece has no comments yet, back-dated; returns comments created."""
    now = now or utcnow()
    pieces = _demo_pieces(pieces_folder)
    created = 0
    for thread in tomllib.loads(path.read_text(encoding="utf-8"))["thread"]:
        piece = pieces.get(thread["piece"])
        if piece is None or db.session.scalar(select(Comment.id).where(Comment.piece_id == piece.id).limit(1)):
            continue
        posted: dict[str, Comment] = {}
        for item in sorted(thread["comment"], key=lambda c: -c["days_ago"]):
            at = now - timedelta(days=item["days_ago"])
            author = find_user_by_email(item["author"])
            comment = services.add_comment(author, piece, item["body"], parent=posted.get(item.get("reply_to", "")),
                                           now=at)
            if "edited_days_ago" in item:
                comment.edited_at = now - timedelta(days=item["edited_days_ago"])
            for flag in item.get("flags", []):
                services.flag_comment(comment, find_user_by_email(flag["by"]), FlagReason(flag["reason"]),
                                      flag.get("note", "")).created_at = at + timedelta(hours=3)
            posted[item["key"]] = comment
            created += 1
    db.session.flush()
    # Demo notifications are history: never e-mailed, and read unless recent.
    demo = (Notification.subject_type == "piece", Notification.subject_id.in_([p.id for p in pieces.values()]))
    db.session.execute(update(Notification).where(*demo, Notification.emailed_at.is_(None))
                       .values(emailed_at=Notification.created_at))
    newest_first = select(Notification).where(*demo, Notification.read_at.is_(None)).order_by(
        Notification.user_id, Notification.created_at.desc(), Notification.id.desc())
    seen: dict[int, int] = {}
    for notification in db.session.scalars(newest_first):
        seen[notification.user_id] = seen.get(notification.user_id, 0) + 1
        if seen[notification.user_id] > UNREAD_KEPT:
            notification.read_at = notification.created_at
    return created
