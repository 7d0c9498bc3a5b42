"""Browser tests: Debian's Chromium driven by Playwright against a live server on 127.0.0.1."""

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from livinglab import create_app
from livinglab.demo.data import DEMO_PASSWORD
from livinglab.demo.services import load_demo, load_reference_content
from livinglab.extensions import db
from livinglab.search.index import forget_searchers
from tests.conftest import empty_tables, test_config

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    """Without Chromium, browser tests skip with a reason locally and fail in CI."""
    if os.path.exists(CHROMIUM) or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="Chromium not found at /usr/bin/chromium: apt-get install chromium")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


def _save_on_load(page, folder: Path, test_name: str) -> None:
    """Write the page's HTML to `folder` each time it finishes loading (the Nu checker validates them)."""
    def save(loaded) -> None:
        try:
            html = loaded.content()
        except PlaywrightError:  # the page moved on before it could be read; its next load is saved
            return
        path = urlsplit(loaded.url).path.strip("/").replace("/", "-") or "home"
        number = len(list(folder.glob(f"{test_name}-*.html"))) + 1
        (folder / f"{test_name}-{number:03d}-{path[:80]}.html").write_text(html, encoding="utf-8")

    page.on("load", save)


@pytest.fixture(autouse=True)
def save_pages_for_nu_checker(request, browser, monkeypatch) -> None:
    """With NU_PAGES_DIR set, every page a browser test loads is saved there for `.ci/nu-check`."""
    folder = os.environ.get("NU_PAGES_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    test_name = "browser-" + re.sub(r"[^A-Za-z0-9]+", "-", request.node.name).strip("-")[:80]
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.on("page", lambda page: _save_on_load(page, Path(folder), test_name))
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)


@pytest.fixture(scope="session")
def live_app(_app, database_url, tmp_path_factory):
    """The real app with CSRF on, sharing the test session's database (whose schema `_app` made)."""
    overrides = test_config(database_url, tmp_path_factory)
    overrides["WTF_CSRF_ENABLED"] = True
    return create_app(overrides)


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def demo_site(live_app, live_server) -> Iterator[str]:
    """Reference data and demo accounts loaded; emptied again after the test."""
    with live_app.app_context():
        load_reference_content()
        load_demo()
        db.session.commit()
    yield live_server
    with live_app.app_context():
        empty_tables()
        db.session.remove()
        forget_searchers()
        shutil.rmtree(live_app.config["SEARCH_INDEX_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def follow(page, locator) -> None:
    """Click something that loads a new page and wait until that page has loaded.

    Playwright's click returns once the click is dispatched; axe-core run on a page that is still
    being replaced finds no document."""
    with page.expect_navigation():
        locator.click()


def sign_in(page, site: str, email: str) -> None:
    """Sign a page in as a demo account and wait until the sign-in has gone through."""
    page.goto(f"{site}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    follow(page, page.locator("main form button[type=submit]"))


def signed_in(browser, site: str, email: str, language: str, **context_options):
    """A demo user in a browser of their own, reading the given language."""
    page = browser.new_context(**context_options).new_page()
    sign_in(page, site, email)
    page.goto(f"{site}/language/{language}?next=/")
    return page


def serious_violations(axe: Axe, page) -> list[str]:
    """axe-core violations of serious or critical impact, as readable lines."""
    page.wait_for_load_state("load")
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
