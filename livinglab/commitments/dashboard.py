"""The coordinator dashboard: totals, urgent commitments, progress charts, exports and bulk progress."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from livinglab import previews
from livinglab.audit.services import record_event
from livinglab.clock import lab_today
from livinglab.commitments import evidence, exports, imports, queries, services
from livinglab.commitments.forms import ImportForm
from livinglab.commitments.models import OPEN_STATUSES, Commitment
from livinglab.commitments.permissions import can_import_progress, can_view_dashboard
from livinglab.commitments.views import filter_options
from livinglab.extensions import db
from livinglab.pagecache import kept_fragment
from livinglab.pagination import paginate
from livinglab.sheets import SheetError, csv_response, read_upload

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")
SALT = "progress-import"
STALE_SHOWN = 20  # the longest silences listed on the dashboard (the page says how many)


@bp.before_request
@login_required
def _coordinators_only():
    if not can_view_dashboard(current_user):
        abort(403)


@bp.get("")
def index():
    return render_template("commitments/dashboard.html", body=kept_fragment("coordinator", _dashboard_body))


def _dashboard_body() -> str:
    """Everything below the menu; the same for every coordinator."""
    filters = queries.CommitmentFilters.from_args(request.args)
    today = lab_today()
    page = paginate(queries.commitment_list_query(filters, today))
    return render_template(
        "commitments/_dashboard_body.html", filters=filters, options=filter_options(), today=today,
        totals=queries.status_totals(filters, today), page=page, synthetic_ids=evidence.synthetic_judged(page.items),
        by_indicator=queries.progress_by_indicator(filters, today),
        by_province=queries.progress_by_province(filters, today),
        stale=db.paginate(queries.stale_query(filters, today), page=1, per_page=STALE_SHOWN, error_out=False),
        attention=db.paginate(evidence.needs_attention_query(filters, today), page=1,
                              per_page=evidence.ATTENTION_LIMIT, error_out=False),
        synthetic_judged=evidence.synthetic_judged_count(filters, today),
    )


@bp.get("/export.<fmt>")
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    filters = queries.CommitmentFilters.from_args(request.args)
    today = lab_today()
    data = exports.rows(queries.export_rows(filters, today), current_app.config["SITE_URL"])
    name = f"komitmen-livinglab-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        body, mimetype = exports.to_csv(data), "text/csv; charset=utf-8"
    else:
        body, mimetype = exports.to_xlsx(data), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return body, 200, {"Content-Type": mimetype, "Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/import/template.csv")
def import_template():
    """The import sheet pre-filled with every open commitment matching the dashboard's filters."""
    filters = queries.CommitmentFilters.from_args(request.args)
    query = queries.filtered(select(Commitment).where(Commitment.status.in_(OPEN_STATUSES)), filters, lab_today())
    body = imports.template_csv(list(db.session.scalars(query.order_by(Commitment.regency_code, Commitment.id))))
    return body, 200, {"Content-Type": "text/csv; charset=utf-8",
                       "Content-Disposition": 'attachment; filename="kemajuan-komitmen.csv"'}


@bp.get("/charts/<chart>.csv")
def chart_csv(chart: str):
    """The numbers behind a dashboard chart, with the same filters."""
    filters = queries.CommitmentFilters.from_args(request.args)
    reads = {"indicators": queries.progress_by_indicator, "provinces": queries.progress_by_province}
    if chart not in reads:
        abort(404)
    rows = reads[chart](filters, lab_today())
    return csv_response(
        f"kemajuan-{chart}.csv",
        ["key", "label", "commitments", "mean_percent", "achieved_or_verified"],
        [[r.key, r.label, r.commitments, f"{r.mean_percent:.1f}", r.achieved] for r in rows],
    )


@bp.route("/import", methods=["GET", "POST"])
def progress_import():
    """Upload → check every row → preview → apply. A preview is signed, so what is applied is what was shown."""
    if not can_import_progress(current_user):
        abort(403)
    form = ImportForm()
    parsed = None
    if form.validate_on_submit() and form.payload.data:
        return _apply(form)
    if form.validate_on_submit():
        try:
            parsed = imports.parse(*read_upload(form.file.data, current_app.config["MAX_ATTACHMENT_BYTES"]))
        except SheetError as error:
            form.file.errors.append(error.message)
        if parsed and parsed.rows and not parsed.problems:
            form.payload.data = previews.sign_preview(SALT, {"rows": imports.serialise(parsed.rows)})
    return render_template("commitments/import.html", form=form, parsed=parsed,
                           rows=parsed.rows if parsed else [], problems=parsed.problems if parsed else [],
                           max_rows=imports.MAX_ROWS)


def _apply(form: ImportForm):
    try:
        payload, digest = previews.open_preview(
            SALT, form.payload.data, claim=lambda digest: services.use_once(f"import:{digest}"),
            upload_endpoint="coordinator.progress_import", done_endpoint="coordinator.index")
    except previews.PreviewRefused as refused:
        return refused.response
    try:
        count = imports.apply(imports.deserialise(payload["rows"]), current_user)
    except services.CommitmentError as error:
        db.session.rollback()
        flash(_("Nothing was imported: %(reason)s", reason=error.message), "error")
        return redirect(url_for("coordinator.progress_import"))
    record_event("commitment.progress_imported", "import", digest[:40], actor=current_user, rows=count)
    db.session.commit()
    flash(_("%(num)d progress updates imported.", num=count), "success")
    return redirect(url_for("coordinator.index"))
