"""The search page, throttled per client: anonymous visitors get a lower limit than signed-in users."""

import time

from flask import Blueprint, current_app, render_template, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from livinglab.extensions import limiter
from livinglab.pagecache import public_page
from livinglab.pagination import current_page
from livinglab.search.planner import MAX_WORDS
from livinglab.search.query import SearchFilters, facet_labels, search_pieces

bp = Blueprint("search", __name__)


def _search_limit() -> str:
    signed_in = current_user.is_authenticated
    return current_app.config["SEARCH_RATE_LIMIT_SIGNED_IN" if signed_in else "SEARCH_RATE_LIMIT"]


def _search_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


@bp.get("/search")
@limiter.limit(_search_limit, key_func=_search_key)  # checked before a kept page is looked up, so it still counts
@public_page
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
        labels=facet_labels(results.facets), max_words=MAX_WORDS,
    )


def too_many_searches():
    """The friendly page for a client that searched too often: the normal layout, a short wait, a retry link."""
    limit = limiter.current_limit
    wait = max(1, int(limit.reset_at - time.time())) if limit else 60
    return render_template("search/too_many.html", retry_url=request.full_path), 429, {"Retry-After": str(wait)}
