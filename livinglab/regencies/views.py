"""The regency list and a regency's profile."""

from flask import Blueprint, abort, render_template, request

from livinglab import panels
from livinglab.pagecache import public_page
from livinglab.pagination import paginate
from livinglab.regencies import queries

bp = Blueprint("regencies", __name__, url_prefix="/regencies")


@bp.get("")
@public_page
def index():
    filters = {
        "q": request.args.get("q", "")[:100],
        "province": request.args.get("province", "")[:2],
        "member": request.args.get("member", ""),
    }
    query = queries.regency_list_query(filters["q"], filters["province"], filters["member"])
    page = paginate(query)
    return render_template("regencies/index.html", page=page, filters=filters, provinces=queries.provinces())


@bp.get("/<code>")
@public_page
def detail(code: str):
    regency = queries.find_regency(code)
    if regency is None:
        abort(404)
    return render_template(
        "regencies/detail.html",
        regency=regency,
        panels=panels.collect("regency", regency),
    )
