"""Across the framework change: a coordinator imports the 2026 results (Pemdi) for a regency whose commitment
targets an SPBE 2020 indicator and is due in 2026, then finds its outcome on the commitment page, the dashboard
(as a link), the cohort view and the CSV export."""

import csv
import io
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.clock import lab_today
from livinglab.commitments import services
from livinglab.evaluations.queries import official_baselines
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code, load_crosswalk
from livinglab.roles import Role
from tests.browser.conftest import follow, serious_violations, signed_in

WORDS = {
    "id": {
        "dashboard": "Dasbor",
        "import": "Impor nilai resmi",
        "source": "Sumber hasil ini",
        "file": "Berkas CSV atau XLSX",
        "check": "Periksa berkas",
        "confirm": "Konfirmasi dan simpan",
        "met": "target tercapai",
    },
    "en": {
        "dashboard": "Dashboard",
        "import": "Import official scores",
        "source": "Source of these results",
        "file": "CSV or XLSX file",
        "check": "Check the file",
        "confirm": "Confirm and store",
        "met": "target met",
    },
}


def _commitment_due_this_year(app) -> tuple[int, str, str, str, int]:
    """A Sumedang commitment on an SPBE 2020 indicator below level 5 with one Pemdi counterpart, due 31 December
    this year, its baseline read from the latest results."""
    with app.app_context():
        official = db.session.scalars(
            select(User).where(User.regency_code == "3211", User.role == Role.OFFICIAL)
        ).first()
        spbe, pemdi, crosswalk = framework_by_code("spbe-2020"), framework_by_code("pemdi-2026"), load_crosswalk()
        today = lab_today()
        levels = official_baselines("3211", today.year, [i.id for i in spbe.indicators])
        indicator, counterpart = next((i, crosswalk.counterparts(i.id, pemdi.id)) for i in spbe.indicators
                                      if levels[i.id].level < 5 and len(crosswalk.counterparts(i.id, pemdi.id)) == 1)
        baseline = levels[indicator.id].level
        data = services.CommitmentInput(
            "Komitmen uji lintas kerangka 2026",
            "Uji peramban.",
            today,
            today + timedelta(days=1),
            [services.TargetInput(indicator.id, baseline, baseline + 1)],
        )
        commitment = services.create_commitment(official, data)
        commitment.due_on = date(today.year, 12, 31)  # due at the end of the year the results are for
        db.session.commit()
        return commitment.id, commitment.title, indicator.code, crosswalk.code_of[counterpart.pop()], baseline + 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_2026_results_judge_an_spbe_2020_commitment(browser: Browser, live_app, demo_site: str, axe, tmp_path,
                                                     language: str):
    words = WORDS[language]
    commitment_id, title, code, counterpart, target = _commitment_due_this_year(live_app)
    year = lab_today().year
    with live_app.app_context():
        codes = [i.code for i in framework_by_code("pemdi-2026").indicators]
    sheet = tmp_path / f"hasil-{year}.csv"
    levels = [str(target) if c == counterpart else "3" for c in codes]  # the counterpart reaches the target
    sheet.write_text(f"regency_code;year;framework;index;{';'.join(codes)}\n"
                     f"32.11;{year};pemdi-2026;;{';'.join(levels)}\n", encoding="utf-8")

    page = signed_in(browser, demo_site, "koordinator@livinglab.example.org", language)
    follow(page, page.get_by_role("link", name=words["dashboard"], exact=True))
    follow(page, page.get_by_role("link", name=words["import"]))
    page.get_by_label(words["source"]).fill(f"Uji peramban: hasil Indeks Pemdi {year}")
    page.get_by_label(words["file"]).set_input_files(str(sheet))
    follow(page, page.get_by_role("button", name=words["check"]))
    follow(page, page.get_by_role("button", name=words["confirm"]))
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto(f"{demo_site}/commitments/{commitment_id}")
    expect(page.locator("#outcome")).to_contain_text(words["met"])
    expect(page.locator("#outcome")).to_contain_text(f"{code} → {counterpart}")
    assert serious_violations(axe, page) == []

    page.goto(f"{demo_site}/coordinator")
    met = page.locator("a[href*='outcome=met']").first
    expect(met).to_be_visible()
    follow(page, met)
    expect(page.get_by_role("link", name=title)).to_be_visible()

    page.goto(f"{demo_site}/impact/cohorts?year={year}")
    expect(page.locator("table").first).to_be_visible()
    expect(page.get_by_role("link", name=code, exact=True).first).to_be_visible()
    assert serious_violations(axe, page) == []

    export = page.request.get(f"{demo_site}/coordinator/export.csv")
    rows = list(csv.DictReader(io.StringIO(export.text().lstrip("\ufeff"))))
    mine = next(row for row in rows if row["id"] == str(commitment_id))
    assert (mine["outcome"], mine["outcome_year"], mine["provenance"]) == ("met", str(year), "official_import")
