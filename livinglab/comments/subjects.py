"""What a thread belongs to: a piece or a commitment. One place knows how each is read, closed and named."""

from sqlalchemy import ColumnElement

from livinglab.accounts.models import User
from livinglab.comments.models import Comment
from livinglab.commitments.models import Commitment
from livinglab.commitments.services import commitment_subject
from livinglab.notifications.services import Subject as NotificationSubject
from livinglab.pieces.models import Piece, PieceStatus
from livinglab.pieces.permissions import can_view_piece
from livinglab.pieces.services import piece_subject

ThreadSubject = Piece | Commitment


def subject_of(comment: Comment) -> ThreadSubject:
    return comment.piece if comment.piece_id is not None else comment.commitment


def kind_of(subject: ThreadSubject) -> str:
    return "piece" if isinstance(subject, Piece) else "commitment"


def can_view_subject(user: User, subject: ThreadSubject) -> bool:
    """Piece threads follow the piece's visibility; commitments are public."""
    return can_view_piece(user, subject) if isinstance(subject, Piece) else True


def is_closed(subject: ThreadSubject) -> bool:
    """An archived piece takes no new comments."""
    return isinstance(subject, Piece) and subject.status is PieceStatus.ARCHIVED


def notification_subject(subject: ThreadSubject) -> NotificationSubject:
    return piece_subject(subject) if isinstance(subject, Piece) else commitment_subject(subject)


def in_thread(subject: ThreadSubject) -> ColumnElement[bool]:
    """SQL: the comments of this subject's thread."""
    if isinstance(subject, Piece):
        return Comment.piece_id == subject.id
    return Comment.commitment_id == subject.id


def comment_fields(subject: ThreadSubject) -> dict:
    return {"piece": subject} if isinstance(subject, Piece) else {"commitment": subject}
