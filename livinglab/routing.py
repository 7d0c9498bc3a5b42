"""Route tables: views and template globals a module records for its feature's blueprint, which the app
factory adds explicitly (so no module registers routes merely by being imported)."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint

View = Callable[..., Any]


class RouteTable:
    """Views and template globals kept aside until `add_to` puts them on a blueprint."""

    def __init__(self) -> None:
        self._views: list[tuple[str, View, dict[str, Any]]] = []
        self._globals: list[View] = []
        self._added_to: set[str] = set()

    def route(self, rule: str, **options: Any) -> Callable[[View], View]:
        """Record a view, as `Blueprint.route` would add it."""
        def record(view: View) -> View:
            self._views.append((rule, view, options))
            return view
        return record

    def get(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self.route(rule, methods=["POST"], **options)

    def app_template_global(self) -> Callable[[View], View]:
        """Record a function every template may call."""
        def record(function: View) -> View:
            self._globals.append(function)
            return function
        return record

    def add_to(self, blueprint: Blueprint) -> None:
        """Put the recorded views and globals on the blueprint, once: a blueprint outlives the apps
        built in one process (the tests build many) and takes no new routes after its first registration."""
        if blueprint.name in self._added_to:
            return
        for rule, view, options in self._views:
            blueprint.add_url_rule(rule, options.get("endpoint"), view,
                                   **{k: v for k, v in options.items() if k != "endpoint"})
        for function in self._globals:
            blueprint.add_app_template_global(function)
        self._added_to.add(blueprint.name)
