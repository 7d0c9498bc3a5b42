"""Page panels and menu badges: how a feature adds a block to another feature's page, or a count to the menu,
without the page's package importing it and without a template global that runs a query.

`create_app` registers each panel explicitly; the page's view asks for its panels with `collect` and its template
includes them in order (see docs/architecture.md, "Page panels"). This module imports no feature package.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, has_request_context
from flask_login import current_user

PANELS_KEY = "livinglab.panels"
BADGES_KEY = "livinglab.menu_badges"

# Takes the page's subject and the current user (anonymous or signed in); returns the partial's data, or None
# when this user is not to see the block.
PanelBuilder = Callable[[Any, Any], Mapping[str, Any] | None]
# Takes the signed-in user; returns the count shown next to a menu entry, or None when it does not apply to them.
BadgeCounter = Callable[[Any], int | None]


@dataclass(frozen=True)
class Panel:
    """One registered block: which page, where on it, in what order, built by what, drawn by which partial."""

    page: str
    name: str
    build: PanelBuilder
    template: str
    order: int
    slot: str


@dataclass(frozen=True)
class ShownPanel:
    """A panel ready to include: its partial reads `data`."""

    name: str
    template: str
    data: Mapping[str, Any]


class PagePanels:
    """The panels one page shows, by slot (the place on the page), each slot in registration order."""

    def __init__(self, shown: list[tuple[str, ShownPanel]]) -> None:
        self._shown = shown

    def slot(self, name: str = "main") -> list[ShownPanel]:
        return [panel for slot, panel in self._shown if slot == name]

    def names(self) -> list[str]:
        return [panel.name for _, panel in self._shown]


def register(app: Flask, page: str, name: str, build: PanelBuilder, template: str, *, order: int = 50,
             slot: str = "main") -> None:
    """Add a panel to a page; called from `create_app` only. Names are unique per page."""
    panels: list[Panel] = app.extensions.setdefault(PANELS_KEY, {}).setdefault(page, [])
    if any(panel.name == name for panel in panels):
        raise ValueError(f"Panel {name!r} is already registered on page {page!r}.")
    panels.append(Panel(page, name, build, template, order, slot))
    panels.sort(key=lambda panel: (panel.order, panel.name))


def collect(page: str, subject: object, user: object | None = None) -> PagePanels:
    """Build the panels of a page for its subject and the current user (or the one given); hidden ones left out."""
    viewer = current_user if user is None else user
    shown = []
    for panel in current_app.extensions.get(PANELS_KEY, {}).get(page, []):
        data = panel.build(subject, viewer)
        if data is not None:
            shown.append((panel.slot, ShownPanel(panel.name, panel.template, data)))
    return PagePanels(shown)


def register_badge(app: Flask, name: str, count: BadgeCounter) -> None:
    """Add a menu count (unread notifications, comments to review); the menu reads it as `menu_badges[name]`."""
    badges: dict[str, BadgeCounter] = app.extensions.setdefault(BADGES_KEY, {})
    if name in badges:
        raise ValueError(f"Menu badge {name!r} is already registered.")
    badges[name] = count


def menu_badges() -> dict[str, dict[str, int]]:
    """Context processor: the menu counts of the signed-in user, counted once per request; nothing for guests, nor
    outside a request (e-mails rendered by a CLI command)."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"menu_badges": {}}
    if "menu_badges" not in g:
        counts = ((name, count(current_user)) for name, count in current_app.extensions.get(BADGES_KEY, {}).items())
        g.menu_badges = {name: value for name, value in counts if value is not None}
    return {"menu_badges": g.menu_badges}
