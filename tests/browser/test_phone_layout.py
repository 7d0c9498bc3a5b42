"""On a phone nothing pushes the page sideways: wide tables and menus scroll inside their own box."""

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import signed_in

PAGES = ["/", "/coordinator", "/commitments", "/impact", "/indicators/I01", "/regencies/3211",
         "/search?q=perizinan", "/notifications", "/moderation", "/audit"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_pages_fit_a_phone_for_a_coordinator(browser: Browser, demo_site: str, language: str):
    page = signed_in(browser, demo_site, "koordinator@livinglab.example.org", language,
                     viewport={"width": 360, "height": 740})
    too_wide = {}
    for path in PAGES:
        page.goto(demo_site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
    assert too_wide == {}
