"""Commitment pages: the public list, the form (also "replicate in my regency"), and the page where
officials report progress, manage milestones and move the status."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from livinglab import panels
from livinglab.accounts.queries import officials_of
from livinglab.clock import lab_today
from livinglab.commitments import queries, services
from livinglab.commitments.evidence import synthetic_judged
from livinglab.commitments.forms import (
    STATUS_LABELS,
    CommitmentForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProgressForm,
    StatusForm,
)
from livinglab.commitments.models import Commitment, CommitmentStatus
from livinglab.commitments.permissions import (
    allowed_statuses,
    can_create_commitment,
    can_edit_commitment,
    can_record_progress,
    can_view_commitment,
    load_commitment,
)
from livinglab.commitments.timeline import commitment_timeline
from livinglab.evaluations.queries import official_baselines
from livinglab.extensions import db
from livinglab.i18n import localized
from livinglab.indicators.queries import all_frameworks, catalogue_query, default_catalogue, framework_for_year
from livinglab.notifications import services as notifications
from livinglab.pagecache import public_page
from livinglab.pagination import paginate
from livinglab.pieces.attachments import UploadError, check_uploads
from livinglab.pieces.models import Piece, PieceStatus
from livinglab.regencies.queries import provinces

bp = Blueprint("commitments", __name__, url_prefix="/commitments")


def filter_options() -> dict:
    """Choices for the filter form shared by the list and the dashboard."""
    catalogue = default_catalogue()
    return {"provinces": provinces(), "indicators": catalogue,
            "domains": sorted({i.aspect.domain for i in catalogue if i.aspect.domain}, key=lambda d: d.number),
            "statuses": list(CommitmentStatus), "regencies": queries.regencies_with_commitments(),
            "sources": queries.replicated_pieces(), "start_years": queries.start_years()}


@bp.get("")
@public_page
def index():
    filters = queries.CommitmentFilters.from_args(request.args)
    today = lab_today()
    page = paginate(queries.commitment_list_query(filters, today))
    return render_template("commitments/index.html", page=page, filters=filters, today=today,
                           options=filter_options(), synthetic_ids=synthetic_judged(page.items))


def form_choices(form: CommitmentForm, regency_code: str, due_year: int) -> None:
    """Indicators of every framework in use, the one in force in the due year first, grouped by aspect."""
    in_force = framework_for_year(due_year)
    frameworks = sorted((f for f in all_frameworks() if not f.is_replaced), key=lambda f: f != in_force)
    choices = [SelectChoice("", _("— choose —"))]
    for framework in frameworks:
        label = framework_label(framework)
        choices += [SelectChoice(str(i.id), f"{i.code} {localized(i, 'name')}",
                                 optgroup=f"{label} · {localized(i.aspect, 'name')}")
                    for i in db.session.scalars(catalogue_query(framework))]
    for row in form.targets:
        row.indicator.choices = choices
    if form.owner is not None:
        form.owner.choices = [SelectChoice(u.id, u.name) for u in officials_of(regency_code)]


def _due_year(form: CommitmentForm) -> int:
    """The due year typed so far, or that of the default due date (a year from today)."""
    return form.due_on.data.year if form.due_on.data else lab_today().year + 1


def framework_label(framework) -> str:
    """A framework's short name with its years, e.g. "Indeks SPBE (2021–2025)"."""
    return f"{localized(framework, 'name').split(' (')[0]} ({framework.years_label})"


def _replicated_piece(form: CommitmentForm) -> Piece | None:
    source = form.source.data or ""
    piece = db.session.get(Piece, int(source)) if source.isdigit() and len(source) < 10 else None
    return piece if piece and piece.status is PieceStatus.PUBLISHED else None


def _prefill(form: CommitmentForm, piece: Piece | None) -> None:
    """Start from today for a year; a replication takes the piece's title and indicators."""
    today = lab_today()
    form.starts_on.data, form.due_on.data = today, date(today.year + 1, today.month, min(today.day, 28))
    form.owner.data = current_user.id
    if piece:
        form.source.data = str(piece.id)
        form.title.data = _("Replicate: %(title)s", title=piece.title)[:200]
        official = official_baselines(current_user.regency_code, today.year, [t.indicator_id for t in piece.targets])
        for row, target in zip(form.targets, piece.targets, strict=False):
            row.indicator.data = str(target.indicator_id)
            if target.indicator_id in official:
                row.baseline.data = str(official[target.indicator_id].level)


def editor(form: CommitmentForm, commitment: Commitment | None, status: int = 200):
    """The commitment form page (also used by the coordinators' "record after the fact" form)."""
    due_year = _due_year(form)
    return render_template("commitments/form.html", form=form, commitment=commitment, due_year=due_year,
                           in_force=framework_for_year(due_year), source=_replicated_piece(form)), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not can_create_commitment(current_user):
        abort(403)
    form = CommitmentForm()
    form_choices(form, current_user.regency_code, _due_year(form))
    if request.method == "GET":
        form.source.data = request.args.get("source", "")
        _prefill(form, _replicated_piece(form))
    elif checked(form, current_user.regency):
        try:
            commitment = services.create_commitment(current_user, form.to_input())
        except services.CommitmentError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash(_("Your commitment is registered. Add milestones so others can follow along."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return editor(form, None)


def checked(form: CommitmentForm, regency, commitment: Commitment | None = None, recorded_after: bool = False) -> bool:
    """Validate the form and the commitment rules together, so every problem is listed in one go."""
    valid = form.validate_on_submit()
    problems = services.input_problems(form.to_input(), regency, commitment, recorded_after) if regency else []
    for problem in problems:
        field_error(form, problem)
    return valid and not problems


def field_error(form, error: services.CommitmentError) -> None:
    """Show a rule's message at its field (a target's level in its own row), unless the field already
    says what is wrong."""
    field = {"targets": None, "source_piece_id": None, "owner_id": "owner"}.get(error.field, error.field)
    if error.indicator_id is not None:
        row = next((r for r in form.targets if r.indicator.data == str(error.indicator_id)), None)
        target = getattr(row, field) if row is not None else None
    else:
        target = getattr(form, field, None) if field else None
    if target is not None and hasattr(target, "errors") and isinstance(target.errors, list):
        if not target.errors:
            target.errors.append(error.message)
    elif error.message not in form.form_errors:
        form.form_errors.append(error.message)


@bp.route("/<int:commitment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(commitment_id: int):
    commitment = load_commitment(commitment_id, can_edit_commitment)
    form = CommitmentForm(obj=None)
    form_choices(form, commitment.regency_code, (form.due_on.data or commitment.due_on).year)
    if request.method == "GET":
        form.title.data, form.description.data = commitment.title, commitment.description
        form.starts_on.data, form.due_on.data, form.owner.data = (
            commitment.starts_on,
            commitment.due_on,
            commitment.owner_id,
        )
        form.source.data = str(commitment.source_piece_id or "")
        for row, target in zip(form.targets, commitment.targets, strict=False):
            row.indicator.data = str(target.indicator_id)
            row.baseline.data, row.target.data = str(target.baseline_level), str(target.target_level)
    elif checked(form, commitment.regency, commitment):
        try:
            services.update_commitment(commitment, current_user, form.to_input())
        except services.CommitmentError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash(_("The commitment is saved."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return editor(form, commitment)


def render_commitment(commitment: Commitment, forms: dict | None = None, status: int = 200):
    """The commitment page with its forms; a refused form comes back in `forms` with its errors."""
    today = lab_today()
    forms = forms or {}
    statuses = allowed_statuses(current_user, commitment)
    can_update = can_record_progress(current_user, commitment)
    # Forms only for those who may use them: a form prints a CSRF token, and a visitor's page is kept without one.
    status_form = forms.get("status") or (StatusForm(formdata=None) if statuses else None)
    if status_form is not None:
        status_form.status.choices = [SelectChoice(s.value, STATUS_LABELS[s]) for s in statuses]
    progress_form = milestone_form = done_form = None
    if can_update:
        progress_form = forms.get("progress") or ProgressForm(formdata=None, data={"reported_on": today,
                                                                                   "percent": commitment.percent})
        milestone_form = forms.get("milestone") or MilestoneForm(formdata=None)
        done_form = MilestoneDoneForm(formdata=None, data={"done_on": today})
    return render_template(
        "commitments/detail.html", commitment=commitment, today=today, status_form=status_form,
        progress_form=progress_form, milestone_form=milestone_form, done_form=done_form, can_update=can_update,
        achieved_gaps=services.achieved_gaps(commitment) if CommitmentStatus.ACHIEVED in statuses else "",
        following=notifications.is_following(current_user, "commitment", commitment.id),
        timeline=commitment_timeline(commitment), panels=panels.collect("commitment", commitment),
    ), status


@bp.get("/<int:commitment_id>")
@public_page
def detail(commitment_id: int):
    return render_commitment(load_commitment(commitment_id, can_view_commitment))


@bp.post("/<int:commitment_id>/status")
@login_required
def change_status(commitment_id: int):
    commitment = load_commitment(commitment_id, lambda user, c: bool(allowed_statuses(user, c)))
    form = StatusForm()
    form.status.choices = [SelectChoice(s.value, STATUS_LABELS[s]) for s in allowed_statuses(current_user, commitment)]
    if form.validate_on_submit():
        try:
            services.change_status(commitment, current_user, CommitmentStatus(form.status.data), form.comment.data,
                                   confirm_gaps=form.confirm_gaps.data)
        except services.CommitmentError as error:
            db.session.rollback()
            (form.confirm_gaps if error.field == "confirm_gaps" else form.comment).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The status is now “%(status)s”.", status=STATUS_LABELS[commitment.status]), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id, _anchor="timeline"))
    return render_commitment(commitment, {"status": form})


@bp.post("/<int:commitment_id>/progress")
@login_required
def progress(commitment_id: int):
    commitment = load_commitment(commitment_id, can_record_progress)
    form = ProgressForm()
    if form.validate_on_submit():
        try:
            evidence = check_uploads(None, [form.evidence.data]) if form.evidence.data else []
            update = services.record_progress(commitment, current_user, form.text.data, form.percent.data,
                                              form.reported_on.data, form.evidence_url.data or "",
                                              evidence[0] if evidence else None)
        except UploadError as error:
            form.evidence.errors.append(error.message)
        except services.CommitmentError as error:
            db.session.rollback()
            getattr(form, error.field or "text").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your progress update is published."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id, _anchor=f"update-{update.id}"))
    return render_commitment(commitment, {"progress": form})


@bp.get("/<int:commitment_id>/updates/<int:update_id>/evidence")
def evidence(commitment_id: int, update_id: int):
    commitment = load_commitment(commitment_id, can_view_commitment)
    update = next((u for u in commitment.updates if u.id == update_id and u.evidence_stored_name), None)
    if update is None:
        abort(404)
    path = services.evidence_path(update)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=update.evidence_type, download_name=update.evidence_name,
                         as_attachment=not update.evidence_type.startswith("image/"), conditional=True)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/<int:commitment_id>/follow")
@login_required
def follow(commitment_id: int):
    commitment = load_commitment(commitment_id, can_view_commitment)
    notifications.follow(current_user, "commitment", commitment.id)
    db.session.commit()
    flash(_("You follow this commitment: its news appears in your notifications."), "success")
    return redirect(url_for("commitments.detail", commitment_id=commitment.id))


@bp.post("/<int:commitment_id>/unfollow")
@login_required
def unfollow(commitment_id: int):
    commitment = load_commitment(commitment_id, can_view_commitment)
    notifications.unfollow(current_user, "commitment", commitment.id)
    db.session.commit()
    flash(_("You no longer follow this commitment."), "success")
    return redirect(url_for("commitments.detail", commitment_id=commitment.id))
