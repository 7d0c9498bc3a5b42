"""Livinglab: the collaboration platform of a living lab of Indonesian regencies."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config
from livinglab import i18n, pagecache, panels
from livinglab.extensions import babel, csrf, db, limiter, migrate
from livinglab.pagination import BoundedIntConverter, page_link_args
from livinglab.rendering import render_markdown
from livinglab.rules import rule_values
from livinglab.site.forms import error_items, hidden_fields


class InsecureConfigError(RuntimeError):
    """The app was asked to run in production with a development-only setting."""


def create_app(overrides: dict | None = None) -> Flask:
    """Build the Flask application from `config.py` plus optional overrides (tests use these)."""
    app = Flask(__name__, static_folder=str(Path(config.BASE_DIR) / "static"))
    app.url_map.converters["int"] = BoundedIntConverter
    app.config.from_object(config)
    app.config.update(overrides or {})
    if app.debug or app.testing:
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    if app.debug:
        app.config["PAGE_CACHE_BYTES"] = 0  # templates and code change under a developer
    elif app.config["SECRET_KEY"] == config.DEFAULT_SECRET_KEY:
        raise InsecureConfigError("Set SECRET_KEY: the default key is for development only.")
    Path(config.INSTANCE_DIR).mkdir(exist_ok=True)
    if proxies := app.config["PROXY_COUNT"]:  # the client address rate limits see, behind trusted proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from livinglab import models  # noqa: F401  (registers every model with the metadata)
    from livinglab.accounts import cli as accounts_cli, security, views as accounts_views
    from livinglab.audit import views as audit_views
    from livinglab.comments import moderation, views as comments_views
    from livinglab.commitments import (
        cli as commitments_cli,
        dashboard,
        milestones,
        permissions as commitments_permissions,
        queries as commitments_queries,
        templating as commitments_templating,
        views as commitments_views,
    )
    from livinglab.demo import cli as demo_cli
    from livinglab.indicators import cli as indicators_cli, views as indicators_views
    from livinglab.notifications import (
        access as notifications_access,
        cli as notifications_cli,
        views as notifications_views,
    )
    from livinglab.pieces import permissions as pieces_permissions, queries as pieces_queries, views as pieces_views
    from livinglab.regencies import cli as regencies_cli, views as regencies_views
    from livinglab.results import (
        cli as results_cli,
        impact,
        templating as results_templating,
        views as results_views,
    )
    from livinglab.search import cli as search_cli, views as search_views, worker as search_worker
    from livinglab.site import (
        assets,
        errors,
        guards,
        headers,
        views as site_views,
    )

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file on this machine never drops a connection: pinging it costs a statement on every request.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(config.BASE_DIR) / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    accounts_views.init_login(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)

    for routes, blueprint in (
        (security.routes, accounts_views.bp), (moderation.routes, comments_views.bp),
        (milestones.routes, commitments_views.bp), (commitments_templating.routes, commitments_views.bp),
        (results_templating.routes, results_views.bp),
    ):
        routes.add_to(blueprint)
    for blueprint in (
        site_views.bp, accounts_views.bp, indicators_views.bp, regencies_views.bp, pieces_views.bp, search_views.bp,
        audit_views.bp, comments_views.bp, notifications_views.bp, commitments_views.bp, dashboard.bp,
        results_views.bp, results_views.results_bp, impact.bp,
    ):
        app.register_blueprint(blueprint)
    for group in (accounts_cli.cli, indicators_cli.cli, regencies_cli.cli, demo_cli.content_cli, demo_cli.demo_cli,
                  search_cli.cli, notifications_cli.cli, commitments_cli.cli, results_cli.cli):
        app.cli.add_command(group)

    notifications_access.register_subject(app, "piece", pieces_queries.pieces_by_id, pieces_permissions.can_view_piece)
    notifications_access.register_subject(app, "commitment", commitments_queries.commitments_by_id,
                                          commitments_permissions.can_view_commitment)
    _add_panels(app)
    search_worker.init_app(app)
    i18n.init_templates(app)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["page_link_args"] = page_link_args
    app.jinja_env.globals["error_items"] = error_items
    app.jinja_env.globals["hidden_fields"] = hidden_fields
    app.jinja_env.globals["rule_values"] = rule_values  # the numbers pages state; config and constants, no query
    errors.register(app)
    guards.register(app)
    headers.register(app)
    assets.register(app)
    pagecache.init_app(app)
    return app


def _add_panels(app: Flask) -> None:
    """Blocks that later features add to earlier features' pages, and the menu badges (docs/architecture.md)."""
    from livinglab.accounts import panels as accounts_panels
    from livinglab.comments import moderation, views as comments_views
    from livinglab.commitments import panels as commitments_panels
    from livinglab.notifications import views as notifications_views
    from livinglab.pieces import panels as pieces_panels
    from livinglab.results import impact, templating as results_templating

    for page, name, build, template, order in (
        ("regency", "scores", impact.regency_scores_panel, "results/_regency_scores.html", 10),
        ("regency", "pieces", pieces_panels.regency_pieces, "pieces/_regency_pieces.html", 20),
        ("regency", "commitments", commitments_panels.regency_commitments, "commitments/_regency_commitments.html", 30),
        ("regency", "officials", accounts_panels.regency_officials, "accounts/_regency_officials.html", 40),
        ("indicator", "pieces", pieces_panels.indicator_pieces, "pieces/_indicator_pieces.html", 10),
        ("indicator", "scores", impact.indicator_scores_panel, "results/_indicator_scores.html", 20),
        ("indicator", "commitments", commitments_panels.indicator_commitments,
         "commitments/_indicator_commitments.html", 30),
        ("person", "pieces", pieces_panels.person_pieces, "pieces/_person_pieces.html", 10),
        ("person", "commitments", commitments_panels.person_commitments, "commitments/_person_commitments.html", 20),
        ("piece", "replications", commitments_panels.piece_replications, "commitments/_replications.html", 10),
    ):
        panels.register(app, page, name, build, template, order=order)
    panels.register(app, "piece", "discussion", comments_views.discussion_panel, "comments/_thread.html", slot="end")
    panels.register(app, "commitment", "outcome", results_templating.commitment_outcome,
                    "results/_commitment_outcome.html", slot="outcome")
    panels.register(app, "commitment", "discussion", comments_views.discussion_panel, "comments/_thread.html",
                    slot="end")
    panels.register_badge(app, "notifications", notifications_views.unread_badge)
    panels.register_badge(app, "moderation", moderation.moderation_badge)
    app.context_processor(panels.menu_badges)
