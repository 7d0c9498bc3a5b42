"""Moderation on the comments blueprint: the coordinators' queue, hiding, restoring, dismissing flags,
and blocking users from commenting."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from livinglab.accounts.models import User
from livinglab.comments import queries, services
from livinglab.comments.forms import FLAG_REASON_LABELS, BlockForm, ConfirmForm, DismissForm, HideForm, RestoreForm
from livinglab.comments.models import Comment, FlagReason
from livinglab.comments.permissions import can_hide_comment, can_restore_comment, can_review_flags, load_comment
from livinglab.comments.views import comment_url
from livinglab.extensions import db
from livinglab.pagination import paginate
from livinglab.routing import RouteTable

routes = RouteTable()


@routes.get("/comments/<int:comment_id>/moderate")
@login_required
def moderate(comment_id: int):
    comment = load_comment(comment_id, can_hide_comment)
    return _moderation_page(comment)


def _moderation_page(comment: Comment, failed: FlaskForm | None = None) -> str:
    """The comment, its flags, and the form that applies (hide or show again), plus dismissing flags."""
    change = (RestoreForm if comment.is_hidden else HideForm)(formdata=None)
    dismiss = DismissForm(formdata=None, prefix="dismiss")
    if failed is not None:
        change, dismiss = (change, failed) if isinstance(failed, DismissForm) else (failed, dismiss)
    return render_template("comments/moderate.html", comment=comment, form=change, dismiss_form=dismiss,
                           can_restore=can_restore_comment(current_user, comment))


def _moderation_action(comment_id: int, action, message: str, form_class: type[FlaskForm], prefix: str = "",
                       predicate=can_hide_comment):
    comment = load_comment(comment_id, predicate)
    form = form_class(prefix=prefix)
    if form.validate_on_submit():
        try:
            action(comment, current_user, form.reason.data)
        except services.CommentError as error:
            db.session.rollback()
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(message, "success")
            back_to_queue = request.form.get("next") == "queue"
            return redirect(url_for("comments.queue") if back_to_queue else comment_url(comment))
    return _moderation_page(comment, form)


@routes.post("/comments/<int:comment_id>/hide")
@login_required
def hide(comment_id: int):
    return _moderation_action(comment_id, services.hide_comment, _("The comment is hidden."), HideForm)


@routes.post("/comments/<int:comment_id>/restore")
@login_required
def restore(comment_id: int):
    return _moderation_action(comment_id, services.restore_comment, _("The comment is shown again."), RestoreForm,
                              predicate=can_restore_comment)


@routes.post("/comments/<int:comment_id>/dismiss")
@login_required
def dismiss(comment_id: int):
    return _moderation_action(comment_id, services.dismiss_flags, _("The flags are dismissed; the comment stays."),
                              DismissForm, prefix="dismiss")


@routes.get("/moderation")
@login_required
def queue():
    if not can_review_flags(current_user):
        abort(403)
    show = request.args.get("show", "flagged")
    query = {"hidden": queries.hidden_comments, "blocked": queries.blocks}.get(show, queries.moderation_queue)()
    return render_template("comments/queue.html", page=paginate(query), show=show)


@routes.route("/moderation/users/<int:user_id>/block", methods=["GET", "POST"])
@login_required
def block(user_id: int):
    if not can_review_flags(current_user):
        abort(403)
    user = db.session.get(User, user_id) or abort(404)
    form = BlockForm()
    if form.validate_on_submit():
        try:
            services.block_user(user, current_user, form.reason.data)
        except services.CommentError as error:
            db.session.rollback()
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("%(name)s can no longer comment.", name=user.name), "success")
            return redirect(url_for("comments.queue", show="blocked"))
    return render_template("comments/block.html", person=user, form=form)


@routes.post("/moderation/users/<int:user_id>/unblock")
@login_required
def unblock(user_id: int):
    if not can_review_flags(current_user):
        abort(403)
    user = db.session.get(User, user_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.unblock_user(user, current_user)
        except services.CommentError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s can comment again.", name=user.name), "success")
    return redirect(url_for("comments.queue", show="blocked"))


def moderation_badge(user: User) -> int | None:
    """Menu badge: comments waiting in the queue, for those who review flags (see `livinglab/panels.py`)."""
    return queries.flagged_comments_count() if can_review_flags(user) else None


@routes.app_template_global()
def flag_reason_label(reason: FlagReason) -> str:
    return str(FLAG_REASON_LABELS[reason])
