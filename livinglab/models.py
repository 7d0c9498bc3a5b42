"""Every model class, imported in one place for migrations and the shell."""

from livinglab.accounts.models import Role, User
from livinglab.audit.models import AuditEvent
from livinglab.indicators.models import Aspect, Domain, Framework, Indicator, Level, PredicateBand
from livinglab.pieces.models import Attachment, Piece, PieceIndicator, PieceKind, PieceRevision, PieceStatus, Tag
from livinglab.regencies.models import Province, Regency, RegencyKind
from livinglab.search.models import SearchQueueItem

__all__ = [
    "Aspect",
    "Attachment",
    "AuditEvent",
    "Domain",
    "Framework",
    "Indicator",
    "Level",
    "Piece",
    "PieceIndicator",
    "PieceKind",
    "PieceRevision",
    "PieceStatus",
    "PredicateBand",
    "Province",
    "Regency",
    "RegencyKind",
    "Role",
    "SearchQueueItem",
    "Tag",
    "User",
]
