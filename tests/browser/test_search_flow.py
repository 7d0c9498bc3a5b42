"""A peer searches in Indonesian and English, narrows with two facets and follows a "did you mean"."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import follow, serious_violations


def test_search_in_indonesian_with_facets_and_did_you_mean(page: Page, demo_site: str, axe):
    page.goto(f"{demo_site}/")
    page.get_by_role("searchbox", name="Cari praktik baik dan studi kasus").fill("perizinan daring")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_role("heading", name="hasil untuk “perizinan daring”")).to_be_visible()
    expect(page.locator(".snippet mark").first).to_be_visible()
    assert serious_violations(axe, page) == []
    follow(page, page.locator(".facet", has_text="Jenis").get_by_role("link", name="Studi kasus"))
    page.locator(".facet", has_text="Tahun").get_by_role("link").first.click()
    expect(page.locator(".facet-selected")).to_have_count(2)
    expect(page.get_by_role("link", name="Perizinan dari Kecamatan")).to_be_visible()
    page.get_by_role("link", name="Hapus semua penyaring").click()
    expect(page.locator(".facet-selected")).to_have_count(0)

    page.locator("#header-q").fill("kolaboarsi perguruan tinggi")
    page.locator("#header-q").press("Enter")
    expect(page.get_by_text("Maksud Anda")).to_be_visible()
    page.get_by_role("link", name="kolaborasi perguruan tinggi").click()
    expect(page.locator("#search-page-q")).to_have_value("kolaborasi perguruan tinggi")
    expect(page.get_by_role("link", name="Pengembangan Aplikasi Bersama Perguruan Tinggi")).to_be_visible()
    assert serious_violations(axe, page) == []


def test_search_in_english(page: Page, demo_site: str, axe):
    page.context.add_cookies([{"name": "lang", "value": "en", "url": demo_site}])
    page.goto(f"{demo_site}/search?q=licensing+service+bus")
    expect(page.get_by_role("link", name="One Service Bus Instead of Twelve Direct Links")).to_be_visible()
    follow(page, page.locator(".facet", has_text="Language").get_by_role("link", name="English"))
    expect(page.locator(".facet-selected")).to_have_count(1)
    page.get_by_label("Sort").select_option("newest")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("heading", name=re.compile("results? for “licensing service bus”"))).to_be_visible()
    expect(page.locator("#search-page-q")).to_have_value("licensing service bus")
    assert serious_violations(axe, page) == []
