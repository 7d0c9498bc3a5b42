"""The indicator catalogue and one indicator's page."""

from flask import Blueprint, abort, current_app, render_template, request

from livinglab import panels
from livinglab.indicators import queries
from livinglab.pagecache import public_page
from livinglab.pagination import paginate

bp = Blueprint("indicators", __name__, url_prefix="/indicators")


@bp.get("")
@public_page
def index():
    framework = queries.framework_by_code(request.args.get("framework"))
    if framework is None:
        abort(404)
    per_page = max(current_app.config["PER_PAGE"], 50)
    page = paginate(queries.catalogue_query(framework), per_page)
    return render_template(
        "indicators/index.html",
        framework=framework,
        frameworks=queries.all_frameworks(),
        page=page,
        groups=queries.group_catalogue(page.items),
    )


@bp.get("/crosswalk")
@public_page
def crosswalk():
    """How the indicators of one framework correspond to those of the next, with the reason for each link."""
    pairs = queries.crosswalk_pairs()
    return render_template("indicators/crosswalk.html", pairs=[(a, b, queries.crosswalk_rows(a, b)) for a, b in pairs])


@bp.get("/<code>")
@public_page
def detail(code: str):
    indicator = queries.find_indicator(code, request.args.get("framework"))
    if indicator is None:
        abort(404)
    return render_template(
        "indicators/detail.html",
        indicator=indicator,
        neighbours=queries.neighbours(indicator),
        panels=panels.collect("indicator", indicator),
    )
