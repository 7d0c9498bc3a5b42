"""Who may create, update, verify and see commitments, and the loader that enforces it."""

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from livinglab.accounts.models import User
from livinglab.commitments.models import Commitment, CommitmentStatus
from livinglab.commitments.queries import commitment_for_page
from livinglab.roles import is_active_coordinator, is_active_user

S = CommitmentStatus
# Allowed moves; who may make them is decided by `can_change_status`.
TRANSITIONS: dict[CommitmentStatus, set[CommitmentStatus]] = {
    S.PLANNED: {S.IN_PROGRESS, S.MISSED, S.WITHDRAWN},
    S.IN_PROGRESS: {S.AT_RISK, S.ACHIEVED, S.MISSED, S.WITHDRAWN},
    S.AT_RISK: {S.IN_PROGRESS, S.ACHIEVED, S.MISSED, S.WITHDRAWN},
    S.ACHIEVED: {S.VERIFIED, S.IN_PROGRESS},
    S.MISSED: {S.IN_PROGRESS},
    S.VERIFIED: set(),
    S.WITHDRAWN: set(),
}
# Moves that belong to coordinators: confirming the evidence, or sending it back for more.
COORDINATOR_MOVES = {(S.ACHIEVED, S.VERIFIED), (S.ACHIEVED, S.IN_PROGRESS)}


def can_view_commitment(user: User, commitment: Commitment) -> bool:
    """Commitments are public promises: anyone may read them."""
    return True


def can_create_commitment(user: User) -> bool:
    """Officials commit on behalf of their own regency."""
    return is_active_user(user) and user.is_official and user.regency_code is not None


def is_regency_official(user: User, commitment: Commitment) -> bool:
    return is_active_user(user) and user.is_official and user.regency_code == commitment.regency_code


def can_record_progress(user: User, commitment: Commitment) -> bool:
    """Officials of the commitment's regency report progress, edit it and manage its milestones, while it
    is open: what was achieved, verified, missed or withdrawn stays as it was."""
    return is_regency_official(user, commitment) and commitment.is_open


can_edit_commitment = can_record_progress


def can_verify_commitment(user: User, commitment: Commitment) -> bool:
    """Coordinators (and admins) confirm the evidence of an achieved commitment."""
    return is_active_coordinator(user) and commitment.status is S.ACHIEVED


def can_change_status(user: User, commitment: Commitment, to: CommitmentStatus) -> bool:
    if to not in TRANSITIONS[commitment.status]:
        return False
    if to is S.WITHDRAWN and commitment.is_judged:  # withdrawing would erase an outcome already known
        return False
    if to is S.VERIFIED:
        return can_verify_commitment(user, commitment)
    if (commitment.status, to) in COORDINATOR_MOVES:
        return is_active_coordinator(user)
    return is_regency_official(user, commitment)


def allowed_statuses(user: User, commitment: Commitment) -> list[CommitmentStatus]:
    """The statuses this user may move the commitment to, in the lifecycle's order."""
    return [s for s in CommitmentStatus if can_change_status(user, commitment, s)]


def can_import_progress(user: User) -> bool:
    """Bulk progress imports and the dashboard belong to coordinators."""
    return is_active_coordinator(user)


can_view_dashboard = can_import_progress


def can_record_historical_commitment(user: User) -> bool:
    """Coordinators may record a commitment made before its due year's results were known, after the fact."""
    return is_active_coordinator(user)


def load_commitment(commitment_id: int, predicate: Callable[[User, Commitment], bool]) -> Commitment:
    """The commitment, or 404; 403 when the current user fails the predicate. Commitments are public."""
    commitment = commitment_for_page(commitment_id)
    if commitment is None:
        abort(404)
    if not predicate(current_user, commitment):
        abort(403)
    return commitment
