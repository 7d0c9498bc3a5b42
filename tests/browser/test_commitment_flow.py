"""An official replicates a demo practice, adds a milestone and an update; a coordinator finds it on the
dashboard, verifies it and exports XLSX. Both languages; the pages pass axe-core."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from livinglab.clock import lab_today
from livinglab.evaluations.queries import official_baselines
from livinglab.extensions import db
from livinglab.pieces.models import Piece
from tests.browser.conftest import follow, serious_violations, signed_in

WORDS = {
    "id": {
        "replicate": "Replikasi di daerah saya",
        "baseline": "Level awal",
        "target": "Level target",
        "register": "Daftarkan komitmen",
        "milestone": "Tonggak",
        "due": "Tenggat",
        "add_milestone": "Tambahkan tonggak",
        "open_milestone": "Tambah tonggak",
        "done": "Apa yang sudah dikerjakan",
        "percent": "Persentase kemajuan",
        "publish": "Terbitkan laporan kemajuan",
        "status_achieved": "Tercapai",
        "confirm_gaps": "Tandai tercapai walaupun laporan kemajuan atau tonggak capaian belum menunjukkannya",
        "why": "Mengapa?",
        "change": "Ubah status",
        "dashboard": "Dasbor",
        "regency": "Kabupaten/kota",
        "filter": "Saring",
        "verified": "Terverifikasi",
        "export": "Ekspor XLSX",
    },
    "en": {
        "replicate": "Replicate in my regency",
        "baseline": "Baseline level",
        "target": "Target level",
        "register": "Register commitment",
        "milestone": "Milestone",
        "due": "Due date",
        "add_milestone": "Add milestone",
        "open_milestone": "Add a milestone",
        "done": "What was done",
        "percent": "Percent complete",
        "publish": "Publish update",
        "status_achieved": "Achieved",
        "confirm_gaps": "Mark it achieved even though the progress reports or milestones do not show it yet",
        "why": "Why?",
        "change": "Change status",
        "dashboard": "Dashboard",
        "regency": "Regency or city",
        "filter": "Filter",
        "verified": "Verified",
        "export": "Export XLSX",
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_replicate_report_verify_export(browser: Browser, live_app, demo_site: str, axe, language: str):
    words = WORDS[language]
    with live_app.app_context():  # a Banyuwangi practice on indicators where Sumedang is below level 5
        pieces = db.session.scalars(select(Piece).where(Piece.regency_code == "3510").order_by(Piece.id))
        for piece in pieces:
            levels = official_baselines("3211", lab_today().year, [t.indicator_id for t in piece.targets])
            if all(levels[t.indicator_id].level < 5 for t in piece.targets if t.indicator_id in levels):
                break
        piece_path, piece_indicators = f"/pieces/{piece.id}", [t.indicator_id for t in piece.targets]
        baselines = [levels[i].level if i in levels else 2 for i in piece_indicators]
    title = f"Replikasi uji peramban ({language})"

    official = signed_in(browser, demo_site, "sumedang@livinglab.example.org", language, accept_downloads=True)
    official.goto(demo_site + piece_path)
    official.get_by_role("link", name=words["replicate"]).click()
    official.locator("#title").fill(title)
    rows = official.locator("fieldset.target-row")
    for number, baseline in enumerate(baselines):  # indicators and the results' baselines are filled in
        rows.nth(number).get_by_label(words["baseline"]).select_option(str(baseline))
        rows.nth(number).get_by_label(words["target"]).select_option(str(baseline + 1))
    assert serious_violations(axe, official) == []
    official.get_by_role("button", name=words["register"]).click()
    expect(official.get_by_role("heading", level=1)).to_have_text(title)
    commitment_url = official.url

    official.locator("#milestone-form summary", has_text=words["open_milestone"]).click()
    official.get_by_label(words["milestone"], exact=True).fill("Draf perjanjian layanan disepakati")
    official.locator("#milestones form.subform").get_by_label(words["due"]).fill(
        (lab_today() + timedelta(days=180)).isoformat())
    official.get_by_role("button", name=words["add_milestone"]).click()
    expect(official.locator(".milestone", has_text="Draf perjanjian layanan disepakati")).to_be_visible()
    official.get_by_label(words["done"]).fill("Tim kerja dibentuk dan studi banding daring dilakukan.")
    official.get_by_label(words["percent"]).fill("100")
    official.get_by_role("button", name=words["publish"]).click()
    expect(official.locator(".timeline-update", has_text="Tim kerja dibentuk")).to_be_visible()
    official.get_by_label(words["status_achieved"], exact=True).check()
    official.get_by_label(words["why"]).fill("Semua langkah selesai; bukti terlampir.")
    official.get_by_label(words["confirm_gaps"]).check()  # the milestone is still open: confirm on purpose
    follow(official, official.get_by_role("button", name=words["change"]))
    expect(official.locator(".commitment-state .status-achieved")).to_be_visible()
    assert serious_violations(axe, official) == []

    coordinator = signed_in(browser, demo_site, "koordinator@livinglab.example.org", language, accept_downloads=True)
    coordinator.get_by_role("link", name=words["dashboard"], exact=True).click()
    coordinator.locator("#f-regency").select_option("3211")
    coordinator.locator("#f-status").select_option("achieved")
    follow(coordinator, coordinator.get_by_role("button", name=words["filter"], exact=True))
    assert serious_violations(axe, coordinator) == []
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name=words["export"]).click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    titles = [row[header.index("title")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert title in titles
    # listed twice: in the results, and among those marked achieved while a milestone is still open
    expect(coordinator.get_by_role("link", name=title)).to_have_count(2)
    follow(coordinator, coordinator.get_by_role("link", name=title).first)
    assert coordinator.url == commitment_url
    coordinator.get_by_label(words["verified"], exact=True).check()
    coordinator.get_by_label(words["why"]).fill("Bukti diperiksa dan sesuai.")
    coordinator.get_by_role("button", name=words["change"]).click()
    expect(coordinator.locator(".commitment-state .status-verified")).to_be_visible()
    assert serious_violations(axe, coordinator) == []
