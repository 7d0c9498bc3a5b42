"""An official writes, previews, attaches, publishes and revises a piece; pages pass axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import follow, serious_violations, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("language", ["id", "en"])
def test_official_publishes_and_revises_a_piece(page: Page, demo_site: str, axe, tmp_path, language: str):
    words = {
        "id": {
            "write": "Tulis",
            "title": "Judul",
            "summary": "Ringkasan",
            "body": "Isi tulisan",
            "preview": "Pratinjau",
            "files": "Lampirkan berkas",
            "publish": "Terbitkan",
            "edit": "Ubah",
            "save": "Simpan perubahan",
            "note": "Apa yang Anda ubah? (opsional)",
            "history": "2 revisi",
            "changes": "Perubahan pada versi ini",
        },
        "en": {
            "write": "Write",
            "title": "Title",
            "summary": "Summary",
            "body": "Text",
            "preview": "Preview",
            "files": "Attach files",
            "publish": "Publish",
            "edit": "Edit",
            "save": "Save changes",
            "note": "What did you change? (optional)",
            "history": "2 revisions",
            "changes": "Changes in this version",
        },
    }[language]
    title = f"Loket perizinan tanpa antre ({language})"
    page.context.add_cookies([{"name": "lang", "value": language, "url": demo_site}])
    # Signed-in users see their own language: the Sumedang official reads Indonesian, Banyuwangi's English.
    sign_in(
        page, demo_site, "sumedang@livinglab.example.org" if language == "id" else "banyuwangi@livinglab.example.org"
    )
    follow(page, page.get_by_role("link", name=words["write"], exact=True))
    assert serious_violations(axe, page) == []
    page.get_by_label(words["title"], exact=True).fill(title)
    page.get_by_label(words["summary"], exact=True).fill(
        "Antrean loket perizinan turun dari dua jam menjadi lima belas menit."
    )
    page.get_by_label(words["body"], exact=True).fill(
        "## Masalah\n\nAntrean **panjang** setiap pagi.\n\n## Hasil\n\nAntrean turun."
    )
    page.locator("summary", has_text="Domain 4").click()
    page.get_by_label(re.compile(r"^I45 ")).check()
    page.get_by_role("button", name=words["preview"]).click()
    expect(page.locator(".preview-box strong")).to_have_text("panjang")
    expect(page.get_by_label(words["title"], exact=True)).to_have_value(title)
    pdf = tmp_path / "alur-layanan.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label(words["files"]).set_input_files(str(pdf))
    page.get_by_role("button", name=words["publish"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name="alur-layanan.pdf")).to_be_visible()
    assert serious_violations(axe, page) == []

    page.goto(f"{demo_site}/")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    page.goto(f"{demo_site}/indicators/I45")  # listed with the pieces, and again if Sumedang rose on I45
    expect(page.locator("section[aria-labelledby=pieces-title]").get_by_role("link", name=title)).to_be_visible()

    page.locator("section[aria-labelledby=pieces-title]").get_by_role("link", name=title).click()
    page.get_by_role("link", name=words["edit"], exact=True).click()
    page.get_by_label(words["body"], exact=True).fill(
        "## Masalah\n\nAntrean **pendek** setiap pagi.\n\n## Hasil\n\nAntrean turun."
    )
    page.get_by_label(words["note"]).fill("Memperbarui angka antrean")
    follow(page, page.get_by_role("button", name=words["save"]))
    follow(page, page.get_by_role("link", name=words["history"]))
    assert serious_violations(axe, page) == []
    page.get_by_role("link", name=words["changes"]).click()
    expect(page.locator("del").filter(has_text="panjang")).to_be_visible()
    expect(page.locator("ins").filter(has_text="pendek")).to_be_visible()
    assert serious_violations(axe, page) == []


@pytest.mark.parametrize("path", ["/pieces", "/pieces?kind=case_study&domain=4"])
def test_piece_lists_have_no_serious_accessibility_violations(page: Page, demo_site: str, axe, path: str):
    page.goto(f"{demo_site}{path}")
    assert serious_violations(axe, page) == []
    follow(page, page.locator(".piece-card h3 a").first)
    assert serious_violations(axe, page) == []
