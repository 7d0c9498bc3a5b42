"""Pages for reading, writing and revising pieces."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from livinglab import panels
from livinglab.extensions import db
from livinglab.i18n import localized
from livinglab.indicators.queries import default_catalogue, default_framework, group_catalogue
from livinglab.notifications import services as notifications
from livinglab.pagecache import public_page
from livinglab.pagination import paginate
from livinglab.pieces import attachments, queries, services
from livinglab.pieces.conflicts import describe_conflict
from livinglab.pieces.diff import compare_revisions
from livinglab.pieces.forms import KIND_HINTS, KIND_LABELS, STATUS_LABELS, PieceForm, template_body
from livinglab.pieces.models import Piece, PieceKind, PieceStatus
from livinglab.pieces.permissions import can_create_piece, can_edit_piece, can_view_piece, load_piece
from livinglab.regencies.queries import provinces
from livinglab.rendering import render_markdown

bp = Blueprint("pieces", __name__, url_prefix="/pieces")


@bp.app_template_global()
def kind_label(kind: PieceKind) -> str:
    return str(KIND_LABELS[kind])


@bp.app_template_global()
def kind_label_value(value: str) -> str:
    """The label of a kind given as its stored value (search facets)."""
    return kind_label(PieceKind(value)) if value in {k.value for k in PieceKind} else value


@bp.app_template_global()
def status_label(status: PieceStatus) -> str:
    return str(STATUS_LABELS[status])


@bp.app_template_global()
def piece_url(piece: Piece, **kwargs) -> str:
    """The canonical address of a piece: id plus the current slug."""
    return url_for("pieces.detail", piece_id=piece.id, slug=piece.slug, **kwargs)


@bp.get("")
@public_page
def index():
    filters = queries.PieceFilters.from_args(request.args)
    page = paginate(queries.piece_list_query(filters))
    framework = default_framework()
    return render_template(
        "pieces/index.html", page=page, filters=filters, options=queries.filter_options(), kinds=list(PieceKind),
        domains=framework.domains if framework else [], provinces=provinces(),
        indicators=default_catalogue(),
    )


def _indicator_groups(form: PieceForm):
    """Offer the default framework's indicators; return them grouped for the template."""
    indicators = default_catalogue()
    form.indicators.choices = [SelectChoice(i.id, f"{i.code} {localized(i, 'name')}") for i in indicators]
    return group_catalogue(indicators)


def _save(form: PieceForm, piece: Piece | None, action: str) -> Piece:
    """Check uploads, create or update, attach files and publish when asked; raises on a broken rule."""
    uploads = attachments.check_uploads(piece, request.files.getlist(form.attachments.name))
    data = form.to_input(request.form)
    if piece is None:
        piece = services.create_piece(current_user, current_user.regency, data, note=form.note.data or "")
    else:
        services.update_piece(piece, current_user, data, note=form.note.data or "", based_on=form.loaded_version())
    if action == "publish":
        services.publish_piece(piece, current_user)  # before any file is written: a refusal leaves none
    attachments.store_uploads(piece, uploads, current_user)
    return piece


def _editor(form: PieceForm, piece: Piece | None):
    """Shared GET/POST handling of the editor: preview, save as draft, save, publish."""
    groups = _indicator_groups(form)
    preview, conflict, status = None, None, 200
    action = request.form.get("action", "draft")
    if form.is_submitted():
        valid = form.validate()
        if action == "publish":  # say everything publishing needs at once, with the form's own checks
            for problem in services.publishing_problems(form.summary.data or "", form.body.data or "",
                                                        bool(form.indicators.data)):
                field = getattr(form, problem.field)
                if not field.errors:
                    field.errors.append(problem.message)
                    valid = False
        if not valid:
            status = 400 if action != "preview" else 200
        elif action == "preview":
            preview = render_markdown(form.body.data)
        else:
            try:
                piece = _save(form, piece, action)
                db.session.commit()
            except (services.PieceConflict, StaleDataError):
                db.session.rollback()  # what the user typed stays in the form; the next save builds on theirs
                conflict, status = describe_conflict(piece, form.to_input(request.form)), 409
                form.version.data = conflict.version
            except attachments.UploadError as error:
                db.session.rollback()
                form.attachments.errors = [error.message]
                status = 413 if error.too_large else 400
            except services.PieceError as error:
                db.session.rollback()
                getattr(form, error.field or "body").errors.append(error.message)
                status = 400
            else:
                flash(_("The piece has been published.") if piece.is_published else _("Saved."), "success")
                return redirect(piece_url(piece))
    return render_template(
        "pieces/editor.html", form=form, piece=piece, groups=groups, preview=preview, conflict=conflict,
        kind_hints=KIND_HINTS, kinds=list(PieceKind),
    ), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not can_create_piece(current_user):
        abort(403)
    form = PieceForm()
    if not form.is_submitted():
        form.body.data = template_body()
        form.language.data = "id"
        if request.args.get("kind") in {k.value for k in PieceKind}:
            form.kind.data = request.args["kind"]
    return _editor(form, None)


@bp.route("/<int:piece_id>/edit", methods=["GET", "POST"])
@login_required
def edit(piece_id: int):
    piece = load_piece(piece_id, can_edit_piece)
    form = PieceForm() if request.method == "POST" else PieceForm(obj=piece)
    if not form.is_submitted():
        form.kind.data = piece.kind.value
        form.indicators.data = [t.indicator_id for t in piece.targets]
        form.tags.data = ", ".join(t.name for t in piece.tags)
        form.note.data = ""
    return _editor(form, piece)


@bp.get("/<int:piece_id>")
@bp.get("/<int:piece_id>/<slug>")
@public_page
def detail(piece_id: int, slug: str | None = None):
    piece = load_piece(piece_id, can_view_piece)
    if slug != piece.slug:
        return redirect(piece_url(piece), 301)
    return render_piece(piece)


def render_piece(piece: Piece) -> str:
    """The piece page; blocks of later features (replications, the discussion) come as its panels."""
    return render_template(
        "pieces/detail.html", piece=piece, body=piece.body_markup(), panels=panels.collect("piece", piece),
        can_edit=can_edit_piece(current_user, piece), revision_count=queries.revision_count(piece.id),
        following=notifications.is_following(current_user, "piece", piece.id),
    )


@bp.post("/<int:piece_id>/follow")
@login_required
def follow(piece_id: int):
    piece = load_piece(piece_id, can_view_piece)
    notifications.follow(current_user, "piece", piece.id)
    db.session.commit()
    flash(_("You follow this piece: new comments and changes appear in your notifications."), "success")
    return redirect(piece_url(piece))


@bp.post("/<int:piece_id>/unfollow")
@login_required
def unfollow(piece_id: int):
    piece = load_piece(piece_id, can_view_piece)
    notifications.unfollow(current_user, "piece", piece.id)
    db.session.commit()
    flash(_("You no longer follow this piece."), "success")
    return redirect(piece_url(piece))


def _status_action(piece_id: int, change, message: str):
    piece = load_piece(piece_id, can_edit_piece)
    try:
        change(piece, current_user)
    except services.PieceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("pieces.edit", piece_id=piece.id))
    db.session.commit()
    flash(message, "success")
    return redirect(piece_url(piece))


@bp.post("/<int:piece_id>/publish")
@login_required
def publish(piece_id: int):
    return _status_action(piece_id, services.publish_piece, _("The piece has been published."))


@bp.post("/<int:piece_id>/archive")
@login_required
def archive(piece_id: int):
    return _status_action(piece_id, services.archive_piece, _("The piece has been archived."))


@bp.post("/<int:piece_id>/restore")
@login_required
def restore(piece_id: int):
    return _status_action(piece_id, services.restore_piece, _("The piece has been restored."))


@bp.get("/<int:piece_id>/history")
@public_page
def history(piece_id: int):
    piece = load_piece(piece_id, can_view_piece)
    return render_template("pieces/history.html", piece=piece, revisions=queries.revisions_newest_first(piece.id))


@bp.get("/<int:piece_id>/history/compare")
def compare(piece_id: int):
    piece = load_piece(piece_id, can_view_piece)
    revisions = {r.number: r for r in piece.revisions}
    old, new = revisions.get(request.args.get("from", type=int)), revisions.get(request.args.get("to", type=int))
    if old is None or new is None:
        abort(404)
    if old.number > new.number:
        old, new = new, old
    return render_template("pieces/compare.html", piece=piece, old=old, new=new, fields=compare_revisions(old, new))


@bp.get("/<int:piece_id>/attachments/<int:attachment_id>")
def attachment(piece_id: int, attachment_id: int):
    piece = load_piece(piece_id, can_view_piece)
    item = next((a for a in piece.attachments if a.id == attachment_id), None)
    path = attachments.attachment_path(item) if item else None
    if item is None or not path.exists():
        abort(404)
    response = send_file(path, mimetype=item.content_type, as_attachment=not item.is_image,
                         download_name=item.original_name, conditional=True)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.post("/<int:piece_id>/attachments/<int:attachment_id>/delete")
@login_required
def delete_attachment(piece_id: int, attachment_id: int):
    piece = load_piece(piece_id, can_edit_piece)
    item = next((a for a in piece.attachments if a.id == attachment_id), None)
    if item is None:
        abort(404)
    path = attachments.attachment_path(item)
    attachments.delete_attachment(item, current_user)
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(_("The attachment %(name)s has been removed.", name=item.original_name), "success")
    return redirect(piece_url(piece, _anchor="attachments"))
