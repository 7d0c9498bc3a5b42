"""Loading the demo discussions from `content/demo/comments.toml`."""

import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from livinglab.accounts.queries import find_user_by_email
from livinglab.clock import utcnow
from livinglab.comments import services
from livinglab.comments.models import Comment, FlagReason
from livinglab.demo.pieces import demo_pieces_by_key
from livinglab.extensions import db


def load_demo_comments(path: Path, pieces_folder: Path, now: datetime | None = None) -> int:
    """Post every demo thread whose piece has no comments yet, back-dated; returns comments created."""
    now = now or utcnow()
    pieces = demo_pieces_by_key(pieces_folder)
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
    return created
