"""Milestones of a commitment: added, marked done, reopened and removed by officials of its regency."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from livinglab.commitments import services
from livinglab.commitments.forms import MilestoneDoneForm, MilestoneForm
from livinglab.commitments.models import Commitment, Milestone
from livinglab.commitments.permissions import can_record_progress, load_commitment
from livinglab.commitments.views import render_commitment
from livinglab.extensions import db
from livinglab.routing import RouteTable

routes = RouteTable()


def _milestone(commitment: Commitment, milestone_id: int) -> Milestone:
    milestone = next((m for m in commitment.milestones if m.id == milestone_id), None)
    if milestone is None:
        abort(404)
    return milestone


@routes.post("/<int:commitment_id>/milestones")
@login_required
def add_milestone(commitment_id: int):
    commitment = load_commitment(commitment_id, can_record_progress)
    form = MilestoneForm()
    if form.validate_on_submit():
        try:
            services.add_milestone(commitment, current_user, form.title.data, form.due_on.data)
        except services.CommitmentError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The milestone is added."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id, _anchor="milestones"))
    return render_commitment(commitment, {"milestone": form})


def _milestone_change(commitment_id: int, milestone_id: int, change):
    """Apply `change(milestone)` for an official of the regency, then go back to the milestones."""
    commitment = load_commitment(commitment_id, can_record_progress)
    try:
        change(_milestone(commitment, milestone_id))
    except services.CommitmentError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The milestone is saved."), "success")
    return redirect(url_for("commitments.detail", commitment_id=commitment.id, _anchor="milestones"))


@routes.post("/<int:commitment_id>/milestones/<int:milestone_id>/done")
@login_required
def complete_milestone(commitment_id: int, milestone_id: int):
    form = MilestoneDoneForm()

    def done(milestone: Milestone) -> None:
        if not form.validate_on_submit():
            raise services.CommitmentError(" ".join(error for errors in form.errors.values() for error in errors))
        services.complete_milestone(milestone, current_user, form.done_on.data)

    return _milestone_change(commitment_id, milestone_id, done)


@routes.post("/<int:commitment_id>/milestones/<int:milestone_id>/reopen")
@login_required
def reopen_milestone(commitment_id: int, milestone_id: int):
    return _milestone_change(commitment_id, milestone_id, lambda m: services.reopen_milestone(m, current_user))


@routes.post("/<int:commitment_id>/milestones/<int:milestone_id>/delete")
@login_required
def delete_milestone(commitment_id: int, milestone_id: int):
    return _milestone_change(commitment_id, milestone_id, lambda m: services.delete_milestone(m, current_user))
