"""The regency list and a regency's profile."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from livinglab.accounts.queries import officials_of
from livinglab.extensions import db
from livinglab.pieces.queries import pieces_for_regency
from livinglab.regencies import queries

bp = Blueprint("regencies", __name__, url_prefix="/regencies")


@bp.get("")
def index():
    filters = {
        "q": request.args.get("q", "")[:100],
        "province": request.args.get("province", "")[:2],
        "member": request.args.get("member", ""),
    }
    query = queries.regency_list_query(filters["q"], filters["province"], filters["member"])
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("regencies/index.html", page=page, filters=filters, provinces=queries.provinces())


@bp.get("/<code>")
def detail(code: str):
    regency = queries.find_regency(code)
    if regency is None:
        abort(404)
    return render_template(
        "regencies/detail.html",
        regency=regency,
        officials=officials_of(regency.code),
        pieces=pieces_for_regency(regency.code, current_user),
    )
