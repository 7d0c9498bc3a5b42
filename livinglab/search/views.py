"""The search page."""

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select

from livinglab.extensions import db
from livinglab.pagination import current_page
from livinglab.indicators.queries import default_framework
from livinglab.regencies.models import Province, Regency
from livinglab.search.query import SearchFilters, search_pieces

bp = Blueprint("search", __name__)


def _facet_labels(facets: dict[str, list[tuple[str, int]]]) -> dict[str, dict[str, str]]:
    """Readable names for facet values (regency and province names, indicator names)."""
    regencies = [code for code, _ in facets.get("regency", [])]
    provinces = [code for code, _ in facets.get("province", [])]
    framework = default_framework()
    return {
        "regency": dict(db.session.execute(select(Regency.code, Regency.name).where(Regency.code.in_(regencies))).all()),
        "province": dict(db.session.execute(select(Province.code, Province.name).where(Province.code.in_(provinces))).all()),
        "indicator": {i.code.lower(): i for i in framework.indicators} if framework else {},
        "domain": {str(d.number): d for d in framework.domains} if framework else {},
    }


@bp.get("/search")
def index():
    text = request.args.get("q", "")
    filters = SearchFilters.from_args(request.args)
    page = min(current_page(), 500)
    newest = request.args.get("sort") == "newest"
    per_page = current_app.config["SEARCH_PER_PAGE"]
    results = search_pieces(text, filters, page=page, per_page=per_page, newest=newest)
    pages = max(1, -(-results.total // per_page))
    return render_template(
        "search/index.html", results=results, filters=filters, page=page, pages=pages, newest=newest,
        labels=_facet_labels(results.facets),
    )
