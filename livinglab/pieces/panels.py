"""The blocks pieces add to other features' pages (registered in `create_app`, see `livinglab/panels.py`)."""

from collections.abc import Mapping

from livinglab.accounts.models import User
from livinglab.indicators.models import Indicator
from livinglab.pieces import queries
from livinglab.pieces.models import Piece
from livinglab.pieces.permissions import can_edit_regency_pieces
from livinglab.regencies.models import Regency


def regency_pieces(regency: Regency, user: User) -> Mapping[str, list[Piece]]:
    """The regency page: its published pieces, and its drafts too for those who may edit them."""
    return {"pieces": queries.pieces_for_regency(regency.code, can_edit_regency_pieces(user, regency.code))}


def indicator_pieces(indicator: Indicator, user: User) -> Mapping[str, list[Piece]]:
    """The indicator page: the published pieces aiming at it."""
    return {"pieces": queries.pieces_for_indicator(indicator)}


def person_pieces(person: User, user: User) -> Mapping[str, list[Piece]]:
    """A person's public profile: the pieces they published."""
    return {"pieces": queries.pieces_by_author(person.id)}
