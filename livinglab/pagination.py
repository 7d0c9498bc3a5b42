"""Pagination for every list: the page number from the query string, bounded, and safe link arguments."""

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from werkzeug.routing import IntegerConverter

from livinglab.extensions import db

MAX_PAGE = 10_000


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in routes, limited to what every database's integer column holds (else 404)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def current_page() -> int:
    """The `page` query argument as a number from 1 to MAX_PAGE (anything else counts as 1)."""
    value = request.args.get("page", "1")
    return min(int(value), MAX_PAGE) if value.isdigit() and int(value) > 0 else 1


def paginate(query: Select, per_page: int | None = None) -> Pagination:
    """A page of the query's rows with their total; the total is counted only when the page does not show it (a
    short last page, or an empty first one, does)."""
    page, per_page = current_page(), per_page or current_app.config["PER_PAGE"]
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)
    shown = len(pagination.items)
    if shown < per_page and (shown or page == 1):
        pagination.total = (page - 1) * per_page + shown
    else:
        pagination.total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return pagination


def page_link_args(**changes) -> dict:
    """The current query arguments for a page link, without names url_for reserves, plus `changes`."""
    args = {k: v for k, v in request.args.items() if k != "endpoint" and not k.startswith("_")}
    args.update(changes)
    return args
