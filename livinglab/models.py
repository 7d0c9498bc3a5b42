"""Every model class, imported in one place for migrations and the shell."""

from livinglab.accounts.models import EmailFrequency, User
from livinglab.audit.models import AuditEvent
from livinglab.comments.models import Comment, CommentBlock, Flag, FlagReason, FlagResolution
from livinglab.commitments.models import (
    BaselineSource,
    Commitment,
    CommitmentStatus,
    CommitmentTarget,
    Milestone,
    OneTimeKey,
    Outcome,
    ProgressUpdate,
    StatusChange,
)
from livinglab.evaluations.models import Evaluation, EvaluationScore, ResultImport
from livinglab.indicators.models import Aspect, CrosswalkLink, Domain, Framework, Indicator, Level, PredicateBand
from livinglab.notifications.models import Follow, Notification, NotificationKind
from livinglab.pagecache import SiteGeneration
from livinglab.pieces.models import Attachment, Piece, PieceIndicator, PieceKind, PieceRevision, PieceStatus, Tag
from livinglab.regencies.models import Province, Regency, RegencyKind
from livinglab.results.models import Judgement
from livinglab.roles import Role
from livinglab.search.models import SearchQueueItem

__all__ = [
    "Aspect",
    "Attachment",
    "AuditEvent",
    "BaselineSource",
    "Comment",
    "CommentBlock",
    "Commitment",
    "CommitmentStatus",
    "CommitmentTarget",
    "CrosswalkLink",
    "Domain",
    "EmailFrequency",
    "Evaluation",
    "EvaluationScore",
    "Flag",
    "FlagReason",
    "FlagResolution",
    "Follow",
    "Framework",
    "Indicator",
    "Judgement",
    "Level",
    "Milestone",
    "Notification",
    "NotificationKind",
    "OneTimeKey",
    "Outcome",
    "Piece",
    "PieceIndicator",
    "PieceKind",
    "PieceRevision",
    "PieceStatus",
    "PredicateBand",
    "ProgressUpdate",
    "Province",
    "Regency",
    "RegencyKind",
    "ResultImport",
    "Role",
    "SearchQueueItem",
    "SiteGeneration",
    "StatusChange",
    "Tag",
    "User",
]
