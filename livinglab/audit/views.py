"""The audit log, for coordinators and admins."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from livinglab.audit.models import AuditEvent
from livinglab.audit.permissions import can_view_audit
from livinglab.audit.queries import audit_log_query
from livinglab.pagination import paginate
from livinglab.roles import ROLE_LABELS, Role

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("")
@login_required
def index():
    if not can_view_audit(current_user):
        abort(403)
    action = request.args.get("action", "")
    page = paginate(audit_log_query(action))
    return render_template("audit/index.html", page=page, action=action)


ACTION_LABELS = {
    "user.registered": _l("Account registered"),
    "user.role_changed": _l("Role changed"),
    "user.deactivated": _l("Account deactivated"),
    "user.activated": _l("Account reactivated"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset": _l("Password reset by e-mail link"),
    "piece.created": _l("Piece created"),
    "piece.published": _l("Piece published"),
    "piece.archived": _l("Piece archived"),
    "piece.restored": _l("Piece restored"),
    "piece.edited_by_coordinator": _l("Piece edited by a coordinator"),
    "attachment.deleted": _l("Attachment removed"),
    "comment.deleted": _l("Comment deleted by its author"),
    "comment.flagged": _l("Comment flagged"),
    "comment.hidden": _l("Comment hidden by a moderator"),
    "comment.restored": _l("Comment shown again by a moderator"),
    "comment.flags_dismissed": _l("Flags on a comment dismissed"),
    "user.comment_blocked": _l("Blocked from commenting"),
    "user.comment_unblocked": _l("Allowed to comment again"),
    "commitment.created": _l("Commitment registered"),
    "commitment.updated": _l("Commitment changed"),
    "commitment.status_changed": _l("Commitment status changed"),
    "commitment.progress_imported": _l("Progress imported from a file"),
    "milestone.deleted": _l("Milestone removed"),
    "evaluations.imported": _l("Results imported"),
}


def _readable(key: str, value: object) -> str:
    """Role values by their translated name; other values as stored (regency codes, statuses)."""
    if key == "role" and value in {r.value for r in Role}:
        return str(ROLE_LABELS[Role(value)])
    return "—" if value is None else str(value)


OBJECT_LABELS = {"piece": _l("Piece"), "comment": _l("Comment"), "commitment": _l("Commitment"),
                 "user": _l("User"), "evaluations": _l("Official results"), "import": _l("Import"),
                 "result_import": _l("Results import")}
OBJECT_LINKS = {"piece": ("pieces.detail", "piece_id"), "commitment": ("commitments.detail", "commitment_id"),
                "comment": ("comments.permalink", "comment_id"), "user": ("accounts.user_detail", "user_id")}


@bp.app_template_global()
def audit_object(event: AuditEvent) -> tuple[str, str | None]:
    """What an event is about, translated, and the page that shows it (None when there is none)."""
    label = f"{OBJECT_LABELS.get(event.object_type, event.object_type)} #{event.object_id}"
    endpoint = OBJECT_LINKS.get(event.object_type)
    if endpoint is None or not str(event.object_id).isdigit():
        return label, None
    return label, url_for(endpoint[0], **{endpoint[1]: int(event.object_id)})


@bp.app_template_global()
def audit_label(event: AuditEvent) -> str:
    """A readable, translated description of an audit event."""
    label = str(ACTION_LABELS.get(event.action, event.action))
    before, after = event.details.get("before"), event.details.get("after")
    if before and after:
        changes = [
            f"{_readable(k, before.get(k))} → {_readable(k, after[k])}" for k in after if before.get(k) != after[k]
        ]
        label += f": {', '.join(str(c) for c in changes)}" if changes else ""
    if event.details.get("reason"):
        label += f" — {event.details['reason']}"
    return label
