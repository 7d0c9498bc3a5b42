"""The search page."""

from flask import Blueprint, current_app, render_template, request

from livinglab.pagination import current_page
from livinglab.search.query import SearchFilters, facet_labels, search_pieces

bp = Blueprint("search", __name__)


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
        labels=facet_labels(results.facets),
    )
