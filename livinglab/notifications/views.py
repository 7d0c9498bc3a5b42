"""The notification list, opening one (which marks it read), and marking all read."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from livinglab.accounts.models import User
from livinglab.accounts.views import safe_next
from livinglab.extensions import db
from livinglab.notifications import access, services
from livinglab.notifications.models import Notification
from livinglab.pagination import page_link_args, paginate

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _own(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id or not access.is_visible(notification):
        abort(404)
    return notification


@bp.get("")
@login_required
def index():
    unread_only = request.args.get("show") == "unread"
    page = paginate(services.notifications_query(current_user, unread_only))
    return render_template("notifications/index.html", page=page, unread_only=unread_only)


@bp.get("/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    """Follow a notification to its comment or update; opening it is what marks it read."""
    notification = _own(notification_id)
    services.mark_read(notification)
    db.session.commit()
    return redirect(safe_next(notification.link, url_for("notifications.index")))


@bp.post("/<int:notification_id>/read")
@login_required
def read_one(notification_id: int):
    services.mark_read(_own(notification_id))
    db.session.commit()
    return redirect(url_for("notifications.index", **page_link_args()))


@bp.post("/read-all")
@login_required
def read_all():
    count = services.mark_all_read(current_user)
    db.session.commit()
    flash(_("All notifications are marked as read.") if count else _("There was nothing unread."), "success")
    return redirect(url_for("notifications.index"))


def unread_badge(user: User) -> int:
    """Menu badge: the signed-in user's unread notifications (see `livinglab/panels.py`)."""
    return services.unread_count(user)


@bp.app_template_global()
def describe_notification(notification: Notification) -> str:
    return services.describe(notification)
