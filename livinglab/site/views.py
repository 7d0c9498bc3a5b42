"""Home page, health check and the language switch."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import text

from livinglab.accounts.queries import count_officials
from livinglab.accounts.views import safe_next
from livinglab.extensions import db
from livinglab.i18n import LANGUAGE_COOKIE, VISITOR_CHOICE
from livinglab.indicators import queries as indicator_queries
from livinglab.pagecache import kept_fragment, public_page
from livinglab.pieces import queries as piece_queries
from livinglab.regencies import queries as regency_queries
from livinglab.search.worker import status as search_status

bp = Blueprint("site", __name__)


@bp.get("/")
@public_page
def index():
    return render_template("site/index.html", body=kept_fragment("home", _home_body))


def _home_body() -> str:
    framework = indicator_queries.default_framework()
    return render_template(
        "site/_home_body.html",
        framework=framework,
        domains=indicator_queries.domain_summaries(framework) if framework else [],
        counts=regency_queries.lab_counts(),
        officials=count_officials(),
        latest=piece_queries.latest_published(6),
        piece_counts=piece_queries.piece_counts(),
        pieces_by_domain=piece_queries.counts_by_domain(),
    )


@bp.get("/language/<code>")
def language(code: str):
    """Switch the interface language; remembered on the account or in a cookie."""
    target = safe_next(request.args.get("next"))
    if code not in current_app.config["LANGUAGES"]:
        return redirect(target)
    response = redirect(target)
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    if not current_user.is_authenticated:
        session[VISITOR_CHOICE] = code  # chosen before signing in: the account takes it over at sign-in
    elif current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return response


@bp.get("/healthz")
def healthz():
    """Liveness and readiness: 200 when the database answers (status "degraded" when search lags), 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
        database = {"status": "ok"}
    except Exception as error:  # any driver error means "not ready"
        db.session.rollback()
        database = {"status": "error", "error": error.__class__.__name__}
    healthy = database["status"] == "ok"
    search = search_status() if healthy else {"status": "unknown"}
    # A late search queue is "degraded" but still 200: every worker shares the queue, so a 503 would take
    # the whole site out of the load balancer because new pieces are slow to reach search.
    overall = "error" if not healthy else "degraded" if search["status"] != "ok" else "ok"
    body = {"status": overall, "database": database, "search": search}
    return jsonify(body), 200 if healthy else 503
