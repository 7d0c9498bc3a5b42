"""Pages showing stored results: one framework per comparison and per chart line, predicates from each
framework's bands, and synthetic demo results never called official."""

import csv
import io

import pytest

from livinglab.commitments.models import Outcome
from livinglab.evaluations import services as evaluations
from livinglab.evaluations.checks import ScoreRow
from livinglab.evaluations.models import ResultImport
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code
from livinglab.regencies.models import Regency
from livinglab.results.comparison import compared_frameworks


@pytest.fixture(autouse=True)
def english(client):
    client.get("/language/en")


def _store(regency: str, year: int, framework_code: str, level: int, synthetic: bool = False) -> None:
    framework = framework_by_code(framework_code)
    row = ScoreRow(2, regency, regency, framework_code, year,
                               {i.code: level for i in framework.indicators}, None)
    result_import = ResultImport(source="Data sintetis" if synthetic else "Surat KemenPANRB", is_synthetic=synthetic)
    db.session.add(result_import)
    db.session.flush()
    evaluations.apply_rows([row], result_import)
    db.session.commit()


@pytest.fixture
def two_frameworks(content):
    """Sumedang: synthetic SPBE 2020 results for 2024 and 2025, official Pemdi 2026 results for 2026."""
    _store("3211", 2024, "spbe-2020", 3, synthetic=True)
    _store("3211", 2025, "spbe-2020", 4, synthetic=True)
    _store("3211", 2026, "pemdi-2026", 4)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_impact_compares_years_within_the_most_evaluated_framework(client, two_frameworks):
    assert [f.code for f, _n in compared_frameworks()] == ["spbe-2020", "pemdi-2026"]
    html = client.get("/impact").get_data(as_text=True)
    assert '<option value="spbe-2020" selected>' in html and '<option value="2026"' not in html
    assert "started on or before 31 December 2024" in html
    rows = _csv(client.get("/impact.csv"))
    assert rows[0][0] == "framework" and rows[0][-1] == "provenance"
    assert {(r[0], r[2], r[3], r[-1]) for r in rows[1:]} == {("spbe-2020", "2024", "2025", "synthetic_demo")}


def test_impact_never_compares_across_a_framework_change(client, two_frameworks):
    html = client.get("/impact?framework=pemdi-2026&from=2025&to=2026").get_data(as_text=True)
    assert "At least two evaluated years in one framework are needed" in html
    assert client.get("/impact.csv?framework=pemdi-2026").status_code == 404


def test_the_profile_keeps_one_series_per_framework_and_says_when_there_are_no_bands(client, two_frameworks):
    html = client.get("/regencies/3211").get_data(as_text=True)
    assert 'id="chart-index-spbe-2020-title"' in html and 'id="chart-index-pemdi-2026-title"' in html
    pemdi_chart = html.split('id="chart-index-pemdi-2026-title"')[1].split("</svg>")[0]
    assert ">2025<" not in pemdi_chart and "<polyline" not in pemdi_chart
    lead, provenance = html.split('class="lead">')[1].split("</p>")[:2]
    assert "Index 4.00 in 2026" in lead and "no predicate bands in this framework yet" in lead
    assert "official result (Surat KemenPANRB)" in provenance
    assert "Mean level per domain" not in html  # Pemdi 2026 has no domains: no empty heading


def test_synthetic_results_are_labelled_as_such_on_the_profile_and_its_csv(client, two_frameworks):
    html = client.get("/regencies/3211").get_data(as_text=True)
    spbe_table = html.split('id="chart-index-spbe-2020-title"')[1].split("</figure>")[0]
    assert "synthetic demo result" in spbe_table and "official" not in spbe_table.lower()
    assert "Very good" in spbe_table  # the SPBE predicate, from the shown index and the SPBE bands
    rows = _csv(client.get("/regencies/3211/scores.csv"))
    assert rows[0][-1] == "provenance"
    assert [(r[0], r[-1]) for r in rows[1:]] == [("2024", "synthetic_demo"), ("2025", "synthetic_demo"),
                                                  ("2026", "official_import")]


def test_indicator_levels_say_where_they_come_from(client, two_frameworks):
    html = client.get("/indicators/I01").get_data(as_text=True)
    spread = html.split('id="spread-title"')[1].split("</section>")[0]
    assert "synthetic demo results, not official ones" in spread and "Official results" not in spread
    rows = _csv(client.get("/indicators/I01/levels.csv"))
    assert rows[0][-1] == "provenance" and [r[-1] for r in rows[1:]] == ["synthetic_demo", "synthetic_demo"]


def test_the_dashboard_says_which_judgements_rest_on_synthetic_results(login_as, make_user, make_commitment,
                                                                        two_frameworks):
    owner = make_user("official", regency=db.session.get(Regency, "3211"))
    make_commitment(owner=owner, outcome=Outcome.MET, outcome_year=2025)
    html = login_as(make_user("coordinator", locale="en")).get("/coordinator").get_data(as_text=True)
    assert "1 of these judgements rests on synthetic demo results, not on official ones." in html
    assert "against official scores" not in html
