"""The blocks commitments add to other features' pages (registered in `create_app`, see `livinglab/panels.py`)."""

from collections.abc import Mapping
from typing import Any

from livinglab.accounts.models import User
from livinglab.commitments import evidence, queries
from livinglab.commitments.permissions import can_create_commitment
from livinglab.indicators.models import Indicator
from livinglab.pieces.models import Piece, PieceStatus
from livinglab.regencies.models import Regency


def regency_commitments(regency: Regency, user: object) -> Mapping[str, Any]:
    """The regency page: its commitments, open ones first, and which outcomes rest on synthetic results."""
    commitments = queries.for_regency(regency.code)
    return {"commitments": commitments, "synthetic_ids": evidence.synthetic_judged(commitments)}


def indicator_commitments(indicator: Indicator, user: object) -> Mapping[str, Any]:
    """The indicator page: who committed to raise it, with their baseline and target."""
    committed = queries.for_indicator(indicator.id)
    return {"committed": committed, "synthetic_ids": evidence.synthetic_judged(c for c, _ in committed)}


def person_commitments(person: User, user: object) -> Mapping[str, Any]:
    """A person's public profile: the commitments they answer for."""
    commitments = queries.owned_by(person.id)
    return {"commitments": commitments, "synthetic_ids": evidence.synthetic_judged(commitments)}


def piece_replications(piece: Piece, user: object) -> Mapping[str, Any] | None:
    """A published piece: the regencies replicating it, each with its commitment's status, and whether this
    user may commit to replicate it (an official of another regency)."""
    if piece.status is not PieceStatus.PUBLISHED:
        return None
    can_replicate = can_create_commitment(user) and user.regency_code != piece.regency_code
    return {"adopters": queries.replications(piece.id), "can_replicate": can_replicate}
