"""An edit conflict: the version someone else saved meanwhile, compared with what the user typed."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.extensions import db
from livinglab.indicators.models import Indicator
from livinglab.pieces.diff import FieldDiff, compare_revisions
from livinglab.pieces.models import Piece
from livinglab.pieces.services import PieceInput


@dataclass
class Snapshot:
    """The compared fields of one version of a piece."""

    title: str
    summary: str
    body: str
    indicator_codes: list[str]
    tag_names: list[str]


@dataclass
class Conflict:
    """What the editor shows above the form when a save was based on an older version."""

    fields: list[FieldDiff]
    saved_at: datetime
    saved_by: User | None
    version: int


def _saved(piece: Piece) -> Snapshot:
    return Snapshot(piece.title, piece.summary, piece.body, [t.indicator.code for t in piece.targets],
                    [t.name for t in piece.tags])


def _typed(data: PieceInput) -> Snapshot:
    query = select(Indicator.id, Indicator.code).where(Indicator.id.in_(data.indicator_ids))
    codes = dict(db.session.execute(query).all())
    return Snapshot(data.title.strip(), data.summary.strip(), data.body.strip(),
                    [codes[i] for i in dict.fromkeys(data.indicator_ids) if i in codes], list(data.tags))


def describe_conflict(piece: Piece, data: PieceInput) -> Conflict:
    """Compare the saved piece (reloaded: call after the rollback) with the user's input, theirs → yours."""
    latest = piece.revisions[-1] if piece.revisions else None
    return Conflict(compare_revisions(_saved(piece), _typed(data)), piece.updated_at,
                    latest.author if latest else None, piece.version)
