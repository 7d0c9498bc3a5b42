"""Regency profile, indicator page and impact page: what they show and that their queries stay bounded."""

import csv
import io

import pytest

from livinglab.commitments.models import Outcome
from livinglab.evaluations.checks import ScoreRow
from livinglab.evaluations.models import Evaluation
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code
from livinglab.regencies.models import Regency
from livinglab.results.services import import_results

REGENCIES = ["3211", "1606", "3374", "3510", "3401", "3273", "3578", "5103", "3314", "3303", "1602", "1104"]


def _load(regencies: list[str], years: range, seed: int = 1) -> None:
    framework = framework_by_code("spbe-2020")
    rows = []
    for r, code in enumerate(regencies):
        for year in years:
            levels = {i.code: 1 + (r + i.number + year + seed) % 5 for i in framework.indicators}
            rows.append(ScoreRow(2, code, code, "spbe-2020", year, levels, None))
    import_results(rows, None, "Uji", synthetic=True)
    db.session.commit()


def test_regency_profile_shows_history_breakdown_weak_indicators_and_teachers(client, content, make_user, make_piece):
    _load(["3211", "1606"], range(2022, 2025))
    strong = framework_by_code("spbe-2020").indicators[0]
    # make 1606 strong and 3211 weak on the first indicator, and let 1606 publish about it
    rows = [
        ScoreRow(
            2,
            "1606",
            "",
            "spbe-2020",
            2024,
            {i.code: 5 if i == strong else 3 for i in framework_by_code("spbe-2020").indicators},
            None,
        ),
        ScoreRow(
            2,
            "3211",
            "",
            "spbe-2020",
            2024,
            {i.code: 1 if i == strong else 3 for i in framework_by_code("spbe-2020").indicators},
            None,
        ),
    ]
    import_results(rows, None, "Uji")
    teacher = make_user("official", regency=db.session.get(Regency, "1606"))
    make_piece(author=teacher, title="Cara kami naik ke level lima", indicators=[strong])
    page = client.get("/regencies/3211").get_data(as_text=True)
    assert "Indeks SPBE (PermenPANRB 59/2020): indeks per tahun" in page and "<polyline" in page
    assert "hasil sintetis demo" in page
    assert "Rata-rata level per domain, 2024" in page and "Cara kami naik ke level lima" in page
    assert page.index(strong.code) < page.index("Cara kami naik")
    csv = client.get("/regencies/3211/scores.csv").data.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("year,framework,index_recomputed") and len(csv.splitlines()) == 4


def test_indicator_page_shows_the_spread_and_the_risers(client, content):
    _load(REGENCIES[:4], range(2022, 2025))
    indicator = framework_by_code("spbe-2020").indicators[2]
    page = client.get(f"/indicators/{indicator.code}").get_data(as_text=True)
    assert "Jumlah daerah pada setiap level, per tahun" in page and "Daerah yang naik paling tinggi" in page
    rows = client.get(f"/indicators/{indicator.code}/levels.csv").data.decode("utf-8-sig").splitlines()
    assert rows[0] == "year,level_1,level_2,level_3,level_4,level_5,provenance" and len(rows) == 4
    assert all(sum(map(int, row.split(",")[1:6])) == 4 for row in rows[1:])
    assert all(row.endswith(",synthetic_demo") for row in rows[1:])


@pytest.mark.parametrize("url", ["/regencies/3211", "/indicators/I01", "/impact"])
def test_queries_do_not_grow_with_regencies_years_and_indicators(client, content, count_queries, url):
    counts = []
    for regencies, years, seed in ((REGENCIES[:3], range(2023, 2025), 1), (REGENCIES, range(2021, 2026), 2)):
        _load(regencies, years, seed)
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_impact_page_labels_the_comparison_and_offers_its_data(client, content):
    _load(REGENCIES[:5], range(2022, 2025))
    page = client.get("/impact").get_data(as_text=True)
    assert "bukan bukti sebab-akibat" in page and "/impact.csv?framework=spbe-2020&amp;from=2022&amp;to=2024" in page
    rows = client.get("/impact.csv?from=2022&to=2024").data.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("framework,indicator,from_year,to_year") and len(rows) == 48


def test_dashboard_counts_outcomes(client, make_user, login_as, make_commitment):
    for outcome in (Outcome.MET, Outcome.MET, Outcome.FELL):
        make_commitment(outcome=outcome, outcome_year=2025)
    login_as(make_user("coordinator"))
    page = client.get("/coordinator").get_data(as_text=True)
    assert "Hasil yang dinilai dari hasil evaluasi tahun tenggat" in page
    assert '<strong>2</strong> target tercapai' in page and '<strong>1</strong> turun' in page


def test_chart_downloads_keep_user_text_inert(client, content):
    _load(["3211"], range(2023, 2025))
    db.session.execute(Evaluation.__table__.update().values(source='=HYPERLINK("http://evil.example")'))
    db.session.commit()
    rows = list(csv.reader(io.StringIO(client.get("/regencies/3211/scores.csv").data.decode("utf-8-sig"))))
    assert len(rows) == 3 and all(row[5].startswith("'=HYPERLINK") for row in rows[1:])


def test_regency_profile_queries_do_not_grow_with_teachers(client, content, make_user, make_piece, count_queries):
    _load(["3211"], range(2023, 2025))
    counts = []
    for teachers in (REGENCIES[1:2], REGENCIES[1:7]):
        framework = framework_by_code("spbe-2020")
        weak = framework.indicators[:6]
        rows = [ScoreRow(2, code, code, "spbe-2020", 2024, {i.code: 5 for i in framework.indicators}, None)
                for code in teachers]
        rows.append(ScoreRow(2, "3211", "", "spbe-2020", 2024, {i.code: 1 for i in framework.indicators},
                                         None))
        import_results(rows, None, "Uji")
        for code in teachers:
            make_piece(author=make_user("official", regency=db.session.get(Regency, code)), indicators=weak)
        db.session.commit()
        db.session.expunge_all()
        with count_queries() as counter:
            client.get("/regencies/3211")
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
