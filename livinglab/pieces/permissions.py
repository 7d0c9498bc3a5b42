"""Who may write, edit and see which pieces, and the loader that enforces it."""

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from livinglab.accounts.models import User
from livinglab.pieces.models import Piece, PieceStatus
from livinglab.pieces.queries import piece_for_page
from livinglab.roles import is_active_user


def can_create_piece(user: User) -> bool:
    """Officials write for their own regency; peers, coordinators and visitors do not."""
    return is_active_user(user) and user.is_official and user.regency_code is not None


def can_edit_regency_pieces(user: User, regency_code: str) -> bool:
    """Officials of the regency, coordinators and admins may edit its pieces and see its drafts."""
    if not is_active_user(user):
        return False
    return user.is_coordinator or (user.is_official and user.regency_code == regency_code)


def can_edit_piece(user: User, piece: Piece) -> bool:
    """An official of the piece's regency, or a coordinator or admin."""
    return can_edit_regency_pieces(user, piece.regency_code)


def can_view_piece(user: User, piece: Piece) -> bool:
    """Published and archived pieces are public; drafts only for those who may edit them."""
    return piece.status is not PieceStatus.DRAFT or can_edit_piece(user, piece)


def load_piece(piece_id: int, predicate: Callable[[User, Piece], bool]) -> Piece:
    """The piece with this id, or 404; 403 when the current user fails the predicate.

    A draft the user may not see is reported as missing, so its existence does not leak.
    """
    piece = piece_for_page(piece_id)
    if piece is None or not can_view_piece(current_user, piece):
        abort(404)
    if not predicate(current_user, piece):
        abort(403)
    return piece
