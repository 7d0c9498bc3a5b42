"""Importing official SPBE results (coordinators): check the sheet, preview, then one import stores, judges
and audits it."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, StringField
from wtforms.fields.choices import SelectChoice

from livinglab import previews
from livinglab.clock import lab_today
from livinglab.commitments import services as commitment_services, views as commitment_views
from livinglab.commitments.forms import RecordedCommitmentForm
from livinglab.commitments.permissions import can_import_progress
from livinglab.commitments.services import use_once
from livinglab.evaluations import services as evaluations
from livinglab.evaluations.queries import evaluation_of_year
from livinglab.extensions import db
from livinglab.indicators.queries import all_frameworks, framework_by_code, framework_for_year, load_crosswalk
from livinglab.regencies.models import Regency
from livinglab.results.frameworks import replaced_versions
from livinglab.results.judging import judge_commitment
from livinglab.results.services import import_results
from livinglab.sheets import SheetError, csv_bytes, read_upload
from livinglab.validators import length, required

bp = Blueprint("scores", __name__, url_prefix="/coordinator/scores")
results_bp = Blueprint("results", __name__, url_prefix="/coordinator/results")
SALT = "scores-import"
PREVIEW_ROWS, PREVIEW_PROBLEMS = 200, 300  # the most rows and problems the check page lists (it says so)


class ScoresForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), description=_l(
        "One row per regency and year: regency_code, year, framework, index (published, optional), then one "
        "column per indicator code with its level 1–5."))
    source = StringField(_l("Source of these results"), validators=[required(), length(5, 300)],
                         description=_l("E.g. the KemenPANRB letter or page they come from; kept in the audit log."))
    payload = HiddenField()


@bp.before_request
@results_bp.before_request
@login_required
def _coordinators_only():
    if not can_import_progress(current_user):
        abort(403)


@bp.route("", methods=["GET", "POST"])
def index():
    form = ScoresForm()
    checked = None
    if form.validate_on_submit() and form.payload.data:
        return _apply(form)
    if form.validate_on_submit():
        try:
            name, content = read_upload(form.file.data, current_app.config["MAX_ATTACHMENT_BYTES"])
            checked = evaluations.read_sheet(name, content, lab_today().year)
        except SheetError as error:
            form.file.errors.append(error.message)
        if checked and checked.rows and not checked.problems:
            form.payload.data = previews.sign_preview(SALT, {"source": form.source.data, "filename": name,
                                                             "rows": evaluations.serialise(checked.rows)})
    return render_template("results/scores.html", form=form, checked=checked, frameworks=all_frameworks(),
                           shown_rows=PREVIEW_ROWS, shown_problems=PREVIEW_PROBLEMS)


@bp.get("/template.csv")
def template():
    """A results sheet to fill in: the member regencies and one column per indicator of the framework asked for,
    or of the framework in force this year."""
    framework = framework_by_code(request.args.get("framework", "")) if request.args.get("framework") \
        else framework_for_year(lab_today().year)
    if framework is None or framework.is_replaced:
        abort(404)
    codes = [indicator.code for indicator in framework.indicators]
    members = db.session.scalars(select(Regency.code).where(Regency.is_member).order_by(Regency.code))
    body = csv_bytes([*evaluations.BASE_COLUMNS, "index", *codes],
                     ([code, "", framework.code, "", *[""] * len(codes)] for code in members))
    return body, 200, {"Content-Type": "text/csv; charset=utf-8",
                       "Content-Disposition": f'attachment; filename="hasil-{framework.code}.csv"'}


def _apply(form: ScoresForm):
    try:
        payload, _digest = previews.open_preview(
            SALT, form.payload.data, claim=lambda digest: use_once(f"scores:{digest}"),
            upload_endpoint="scores.index", done_endpoint="coordinator.index")
    except previews.PreviewRefused as refused:
        return refused.response
    summary = import_results(evaluations.deserialise(payload["rows"]), current_user, payload["source"],
                             payload.get("filename", ""))
    try:
        db.session.commit()
    except IntegrityError:  # the same preview confirmed twice at the same moment
        db.session.rollback()
        return previews.already_applied("coordinator.index")
    flash(_("%(num)d evaluations stored; %(judged)d commitments judged against them.", num=len(summary.stored),
            judged=len(summary.judged)), "success")
    return redirect(url_for("coordinator.index"))


@results_bp.get("/frameworks")
def frameworks():
    """Every framework version, and what still points at a version a corrected one replaced."""
    return render_template("results/frameworks.html", frameworks=all_frameworks(), replaced=replaced_versions())


@results_bp.route("/record", methods=["GET", "POST"])
def record():
    """Record a regency's commitment after the fact: it is judged at once when its results are stored, and
    left out of every count."""
    form = RecordedCommitmentForm()
    form.regency.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(r.code, r.name) for r in db.session.scalars(select(Regency).where(Regency.is_member)
                                                                  .order_by(Regency.name))]
    commitment_views.form_choices(form, form.regency.data or "", form.due_on.data.year if form.due_on.data
                                  else lab_today().year)
    regency = db.session.get(Regency, form.regency.data) if form.regency.data else None
    if request.method == "POST" and commitment_views.checked(form, regency, recorded_after=True) and regency:
        try:
            commitment = commitment_services.create_commitment(current_user, form.to_input(), recorded_for=regency)
        except commitment_services.CommitmentError as error:
            db.session.rollback()
            commitment_views.field_error(form, error)
        else:
            evaluation = evaluation_of_year(regency.code, commitment.due_on.year)
            if evaluation is not None:
                judge_commitment(commitment, evaluation, load_crosswalk(), notify=False)
            db.session.commit()
            flash(_("The commitment is recorded after the fact; it is left out of every outcome count."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return commitment_views.editor(form, None)
