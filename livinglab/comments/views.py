"""Posting, editing, deleting and flagging comments, and the thread shown under a piece or commitment.

Moderation (the queue, hiding, restoring, blocking) is in `moderation.py`, on the same blueprint."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from livinglab.comments import queries, services
from livinglab.comments.forms import CommentForm, ConfirmForm, EditCommentForm, FlagForm
from livinglab.comments.models import Comment, FlagReason
from livinglab.comments.permissions import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_flag_comment,
    can_moderate_thread,
    can_see_hidden_text,
    is_blocked,
    load_comment,
)
from livinglab.comments.subjects import ThreadSubject, kind_of, subject_of
from livinglab.commitments.permissions import load_commitment
from livinglab.commitments.views import render_commitment
from livinglab.extensions import db
from livinglab.pieces.models import Piece
from livinglab.pieces.permissions import load_piece
from livinglab.pieces.views import piece_url, render_piece

if TYPE_CHECKING:
    from livinglab.accounts.models import User

bp = Blueprint("comments", __name__)
REPLY_PREFIX = "reply"


@dataclass
class Discussion:
    """Everything the thread template needs, read with a fixed number of queries."""

    subject: ThreadSubject
    roots: list[queries.ThreadNode]
    count: int
    form: CommentForm | None
    reply_form: CommentForm | None = None
    reply_to: int | None = None
    flagged: set[int] = field(default_factory=set)
    flag_counts: dict[int, int] = field(default_factory=dict)
    can_comment: bool = False
    is_blocked: bool = False
    is_moderator: bool = False

    def actions(self, comment: Comment) -> dict[str, bool]:
        """What the current user may do with one comment of this thread (no further queries)."""
        user = current_user
        return {"reply": self.can_comment and comment.is_visible, "edit": can_edit_comment(user, comment),
                "delete": can_delete_comment(user, comment),
                "flag": can_flag_comment(user, comment) and comment.id not in self.flagged,
                "flagged": comment.id in self.flagged,
                "moderate": self.is_moderator and comment.author_id != user.id,
                "see_hidden": can_see_hidden_text(user, comment)}

    @property
    def kind(self) -> str:
        return kind_of(self.subject)

    def url(self, **args) -> str:
        """The subject's page, with query arguments or an `_anchor`."""
        return subject_url(self.subject, **args)

    @property
    def post_url(self) -> str:
        if isinstance(self.subject, Piece):
            return url_for("comments.create", piece_id=self.subject.id)
        return url_for("comments.create_on_commitment", commitment_id=self.subject.id)


def subject_url(subject: ThreadSubject, **args) -> str:
    if isinstance(subject, Piece):
        return piece_url(subject, **args)
    return url_for("commitments.detail", commitment_id=subject.id, **args)


def comment_url(comment: Comment) -> str:
    return subject_url(subject_of(comment), _anchor=f"comment-{comment.id}")


def _arg_id(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _quoted(comment: Comment) -> str:
    lines = comment.body.splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


def discussion_panel(subject: ThreadSubject, user: User) -> Mapping[str, Discussion]:
    """Panel of the piece and commitment pages: the thread under them (see `livinglab/panels.py`). Unlike other
    builders it reads the request: the comment being replied to or edited (query string), and a refused form
    that `_post` re-renders the page with."""
    return {"thread": discussion(subject, user)}


def discussion(subject: ThreadSubject, user: User) -> Discussion:
    """The thread under a piece or commitment, with the forms for a new comment and for a reply."""
    comments = queries.thread_comments(subject)
    by_id = {comment.id: comment for comment in comments}
    signed_in = user.is_authenticated
    view = Discussion(subject=subject, roots=queries.build_thread(comments),
                      count=sum(1 for c in comments if not c.is_deleted), form=None,
                      can_comment=signed_in and can_comment(user, subject),
                      is_blocked=signed_in and is_blocked(user),
                      is_moderator=signed_in and can_moderate_thread(user, subject))
    if signed_in:
        view.flagged = queries.flagged_by(user, subject)
    if view.is_moderator:
        view.flag_counts = queries.open_flag_counts(subject)
    if not view.can_comment:
        return view
    failed: CommentForm | None = g.pop("comment_form", None)  # a refused post shows its form again
    view.form = failed if failed is not None and failed._prefix == "" else CommentForm(formdata=None)
    if failed is not None and failed._prefix:
        view.reply_form, view.reply_to = failed, _int(failed.parent_id.data)
        return view
    target = by_id.get(_arg_id("reply_to") or _arg_id("quote") or 0)
    if target is not None and target.is_visible:
        body = _quoted(target) if _arg_id("quote") else ""
        view.reply_form = CommentForm(formdata=None, prefix=REPLY_PREFIX, data={"parent_id": target.id, "body": body})
        view.reply_to = target.id
    return view


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@bp.post("/pieces/<int:piece_id>/comments")
@login_required
def create(piece_id: int):
    piece = load_piece(piece_id, can_comment)
    return _post(piece) or render_piece(piece)


@bp.post("/commitments/<int:commitment_id>/comments")
@login_required
def create_on_commitment(commitment_id: int):
    commitment = load_commitment(commitment_id, can_comment)
    return _post(commitment) or render_commitment(commitment)


def _post(subject: ThreadSubject):
    """Post the submitted comment or reply and redirect to it; None (form kept in `g`) when refused."""
    prefix = REPLY_PREFIX if f"{REPLY_PREFIX}-body" in request.form else ""
    form = CommentForm(prefix=prefix)
    parent = None
    if prefix:
        parent = db.session.get(Comment, _int(form.parent_id.data) or 0)
        if parent is None or subject_of(parent) is not subject:
            abort(404)
    if form.validate_on_submit():
        try:
            comment = services.add_comment(current_user, subject, form.body.data, parent=parent,
                                           submission_key=form.submission_key.data)
        except services.CommentError as error:
            db.session.rollback()
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your reply is posted.") if parent else _("Your comment is posted."), "success")
            return redirect(comment_url(comment))
    g.comment_form = form
    return None


@bp.get("/comments/<int:comment_id>")
def permalink(comment_id: int):
    return redirect(comment_url(load_comment(comment_id, lambda user, comment: True)))


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    comment = load_comment(comment_id, can_edit_comment)
    form = EditCommentForm(data={"body": comment.body})
    if form.validate_on_submit():
        try:
            services.edit_comment(comment, current_user, form.body.data)
        except services.CommentError as error:
            db.session.rollback()
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your comment is saved."), "success")
            return redirect(comment_url(comment))
    return render_template("comments/edit.html", comment=comment, form=form)


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id: int):
    comment = load_comment(comment_id, can_delete_comment)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_comment(comment, current_user)
        db.session.commit()
        flash(_("Your comment is deleted. Replies to it stay in the thread."), "success")
        return redirect(comment_url(comment))
    return render_template("comments/delete.html", comment=comment, form=form)


@bp.route("/comments/<int:comment_id>/flag", methods=["GET", "POST"])
@login_required
def flag(comment_id: int):
    comment = load_comment(comment_id, can_flag_comment)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            services.flag_comment(comment, current_user, FlagReason(form.reason.data), form.note.data)
        except services.CommentError as error:
            db.session.rollback()
            (getattr(form, error.field) if error.field else form.reason).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Thank you. A moderator will look at this comment."), "success")
            return redirect(comment_url(comment))
    return render_template("comments/flag.html", comment=comment, form=form)
