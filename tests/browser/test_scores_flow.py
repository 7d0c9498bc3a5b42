"""A coordinator imports a year of official results, checks the preview and confirms; the regency profile
and a commitment due that year show the new outcome. The profile, indicator and impact pages pass axe-core."""

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from livinglab.clock import lab_today
from livinglab.commitments.models import Commitment
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code
from tests.browser.conftest import serious_violations, signed_in

WORDS = {
    "id": {
        "dashboard": "Dasbor",
        "import": "Impor nilai resmi",
        "source": "Sumber hasil ini",
        "file": "Berkas CSV atau XLSX",
        "check": "Periksa berkas",
        "changed": "berubah",
        "confirm": "Konfirmasi dan simpan",
        "unchanged": "tidak berubah",
        "profile_title": "Hasil evaluasi",
    },
    "en": {
        "dashboard": "Dashboard",
        "import": "Import official scores",
        "source": "Source of these results",
        "file": "CSV or XLSX file",
        "check": "Check the file",
        "changed": "changed",
        "confirm": "Confirm and store",
        "unchanged": "unchanged",
        "profile_title": "Evaluation results",
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_import_a_year_and_see_the_outcome(browser: Browser, live_app, demo_site: str, axe, tmp_path, language: str):
    words = WORDS[language]
    with live_app.app_context():
        codes = [i.code for i in framework_by_code("spbe-2020").indicators]
        commitment_id = db.session.scalars(select(Commitment.id).where(Commitment.regency_code == "3303",
                                                                       Commitment.outcome.is_not(None))).one()
    year = lab_today().year - 1  # the latest year of results, the year the commitment is judged on
    sheet = tmp_path / f"hasil-{year}.csv"
    levels = ["1" if code == "I23" else "3" for code in codes]  # the committed indicator stays at its baseline
    sheet.write_text("regency_code,year,framework,index," + ",".join(codes) + "\n"
                     + f"3303,{year},spbe-2020,2.95," + ",".join(levels) + "\n", encoding="utf-8")

    page = signed_in(browser, demo_site, "koordinator@livinglab.example.org", language)
    page.get_by_role("link", name=words["dashboard"], exact=True).click()
    page.get_by_role("link", name=words["import"]).click()
    page.get_by_label(words["source"]).fill(f"Uji peramban: surat hasil evaluasi {year}")
    page.get_by_label(words["file"]).set_input_files(str(sheet))
    page.get_by_role("button", name=words["check"]).click()
    expect(page.locator("table.data-table tbody tr").first).to_contain_text(words["changed"])
    assert serious_violations(axe, page) == []
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto(f"{demo_site}/regencies/3303")
    expect(page.get_by_role("heading", name=words["profile_title"])).to_be_visible()
    expect(page.locator("section[aria-labelledby=scores-title] .lead")).to_contain_text(str(year))
    assert serious_violations(axe, page) == []
    page.goto(f"{demo_site}/commitments/{commitment_id}")
    expect(page.locator("#outcome")).to_contain_text(words["unchanged"])
    page.goto(f"{demo_site}/indicators/I23")
    assert serious_violations(axe, page) == []
    page.goto(f"{demo_site}/impact")
    assert serious_violations(axe, page) == []
