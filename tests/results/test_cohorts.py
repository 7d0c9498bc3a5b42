"""The cohort view: commitments started in a year, counted per outcome, in total, per indicator and regency."""

import csv
import io
from datetime import date

import pytest

from livinglab.commitments.models import CommitmentStatus, Outcome
from livinglab.evaluations.models import Evaluation
from livinglab.extensions import db
from livinglab.results import cohorts


@pytest.fixture(autouse=True)
def english(client):
    client.get("/language/en")


@pytest.fixture
def cohort_2024(make_commitment, make_indicator, make_user, make_regency):
    """2024: two commitments on A (met, fell), one on A and B (not judged), one withdrawn on B, one recorded after
    the fact (met); 2023: one met; 2025: one not judged."""
    a, b = make_indicator("A01"), make_indicator("B01")
    north, south = (make_user("official", regency=make_regency(name=name)) for name in ("Kabupaten Utara",
                                                                                         "Kabupaten Selatan"))
    started = date(2024, 3, 1)
    make_commitment(owner=north, indicators=[a], starts_on=started, outcome=Outcome.MET, outcome_year=2025)
    make_commitment(owner=south, indicators=[a], starts_on=started, outcome=Outcome.FELL, outcome_year=2025)
    make_commitment(owner=north, indicators=[a, b], starts_on=date(2024, 12, 31))
    make_commitment(owner=south, indicators=[b], starts_on=date(2024, 1, 1), status=CommitmentStatus.WITHDRAWN)
    make_commitment(owner=north, indicators=[a], starts_on=started, outcome=Outcome.MET, is_recorded_after=True)
    make_commitment(owner=north, indicators=[a], starts_on=date(2023, 12, 31), outcome=Outcome.MET)
    make_commitment(owner=north, indicators=[b], starts_on=date(2025, 1, 1))
    return {"A01": a, "B01": b, "north": north.regency, "south": south.regency}


def _counts(row) -> tuple:
    return tuple(row.counts[c] for c in cohorts.COLUMNS)


def test_a_cohort_counts_outcomes_in_total_per_indicator_and_per_regency(cohort_2024):
    found = cohorts.cohort(2024)
    #                          met improved unchanged fell not_judged withdrawn
    assert _counts(found.total) == (1, 0, 0, 1, 1, 1)
    assert {r.key: _counts(r) for r in found.indicators} == {"A01": (1, 0, 0, 1, 1, 0), "B01": (0, 0, 0, 0, 1, 1)}
    assert {r.label: _counts(r) for r in found.regencies} == {"Kabupaten Utara": (1, 0, 0, 0, 1, 0),
                                                              "Kabupaten Selatan": (0, 0, 0, 1, 0, 1)}
    assert found.recorded_after == 1


def test_the_default_cohort_is_the_latest_with_a_judged_commitment(cohort_2024):
    years = cohorts.cohort_years()
    assert years == [2025, 2024, 2023] and cohorts.default_cohort(years) == 2024


def test_a_cohort_takes_a_fixed_number_of_queries(cohort_2024, make_commitment, count_queries):
    with count_queries() as few:
        cohorts.cohort(2024)
    for _ in range(5):
        make_commitment(indicators=[cohort_2024["A01"]], starts_on=date(2024, 6, 1), outcome=Outcome.IMPROVED)
    with count_queries() as many:
        found = cohorts.cohort(2024)
    assert many.count == few.count and found.total.counts["improved"] == 5


def test_the_cohort_page_links_each_number_to_the_filtered_list(client, cohort_2024):
    html = client.get("/impact/cohorts").get_data(as_text=True)
    assert '<option value="2024" selected>' in html and "left out of every count" in html
    assert 'href="/commitments?indicator=A01&amp;started=2024&amp;outcome=fell"' in html
    assert 'href="/commitments?indicator=B01&amp;started=2024&amp;status=withdrawn"' in html
    assert f'href="/commitments?regency={cohort_2024["north"].code}&amp;started=2024&amp;outcome=none"' in html
    listed = client.get("/commitments?indicator=A01&started=2024&outcome=none").get_data(as_text=True)
    assert "1 commitment" in listed


def test_the_cohort_csv_has_stable_english_columns(client, cohort_2024):
    response = client.get("/impact/cohorts.csv?year=2024")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["cohort_year", "group", "key", "label", "met", "improved", "unchanged", "fell", "not_judged",
                       "withdrawn"]
    assert rows[1] == ["2024", "total", "all", "", "1", "0", "0", "1", "1", "1"]
    assert [r[1:3] for r in rows[2:4]] == [["indicator", "A01"], ["indicator", "B01"]]


def test_the_cohort_page_without_commitments_and_an_unknown_year(client, app):
    assert "No commitment has been made yet." in client.get("/impact/cohorts").get_data(as_text=True)
    assert client.get("/impact/cohorts.csv").status_code == 404
    assert client.get("/impact/cohorts?year=abc").status_code == 200


def test_a_cohort_resting_on_synthetic_results_says_so(client, cohort_2024):
    met = cohort_2024["north"].code
    db.session.add(Evaluation(regency_code=met, framework_id=cohort_2024["A01"].framework_id, year=2025,
                              computed_index=3, predicate_id="", predicate_en="", source="demo", is_synthetic=True))
    db.session.commit()
    html = client.get("/impact/cohorts?year=2024").get_data(as_text=True)
    assert "1 judgement in this cohort rests on synthetic demo results" in html
