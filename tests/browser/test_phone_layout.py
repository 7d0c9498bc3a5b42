"""On a phone nothing pushes the page sideways: wide tables and menus scroll inside their own box."""

import pytest
from playwright.sync_api import Browser

PAGES = ["/", "/coordinator", "/commitments", "/impact", "/indicators/I01", "/regencies/3211",
         "/search?q=perizinan", "/notifications", "/moderation", "/audit"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_pages_fit_a_phone_for_a_coordinator(browser: Browser, demo_site: str, language: str):
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{demo_site}/login")
    page.locator("#email").fill("koordinator@livinglab.example.org")
    page.locator("#password").fill("livinglab-demo-2026")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto(f"{demo_site}/language/{language}?next=/")
    too_wide = {}
    for path in PAGES:
        page.goto(demo_site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
    assert too_wide == {}
