"""Outcomes you can act on: the outcome filter, outcome counts that link to it, outcomes in list rows, the
"status ahead of the evidence" panel and honest replication counts."""

from datetime import date

import pytest
from sqlalchemy import select

from livinglab.clock import lab_today
from livinglab.commitments import evidence, queries
from livinglab.commitments.models import Commitment, CommitmentStatus, Milestone, Outcome
from livinglab.evaluations import services as evaluations
from livinglab.evaluations.checks import ScoreRow
from livinglab.evaluations.models import ResultImport
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code
from livinglab.regencies.models import Regency


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so the assertions read the source strings."""
    client.get("/language/en")


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", locale="en")


@pytest.fixture
def mixed(make_commitment):
    """One commitment per outcome, one not judged, one withdrawn and one recorded after the fact (met)."""
    made = {name: make_commitment(title=f"Komitmen {name}", outcome=outcome, outcome_year=2025 if outcome else None)
            for name, outcome in [("met", Outcome.MET), ("improved", Outcome.IMPROVED),
                                  ("unchanged", Outcome.UNCHANGED), ("fell", Outcome.FELL), ("open", None)]}
    made["withdrawn"] = make_commitment(title="Komitmen ditarik", status=CommitmentStatus.WITHDRAWN)
    made["after"] = make_commitment(title="Komitmen dicatat belakangan", outcome=Outcome.MET, outcome_year=2025,
                                    is_recorded_after=True)
    return made


def _titles(html: str, made: dict) -> set[str]:
    return {name for name, c in made.items() if f">{c.title}</a>" in html}


@pytest.mark.parametrize("outcome, expected", [("met", {"met"}), ("fell", {"fell"}), ("none", {"open"}),
                                               ("bogus", {"met", "improved", "unchanged", "fell", "open",
                                                          "withdrawn", "after"})])
def test_the_public_list_filters_by_outcome_leaving_out_what_is_not_counted(client, mixed, outcome, expected):
    response = client.get(f"/commitments?outcome={outcome}")
    assert response.status_code == 200
    assert _titles(response.get_data(as_text=True), mixed) == expected


def test_outcome_totals_leave_out_withdrawn_and_recorded_after_commitments(mixed):
    totals = queries.status_totals(queries.CommitmentFilters(), lab_today())
    assert [totals[f"outcome_{v}"] for v in ("met", "improved", "unchanged", "fell", "none")] == [1, 1, 1, 1, 1]


def test_dashboard_outcome_counts_link_to_the_filtered_dashboard(login_as, coordinator, mixed):
    html = login_as(coordinator).get("/coordinator?province=99").get_data(as_text=True)
    for value in ("met", "improved", "unchanged", "fell", "none"):
        assert f'href="/coordinator?province=99&amp;outcome={value}"' in html
    filtered = login_as(coordinator).get("/coordinator?outcome=met").get_data(as_text=True)
    assert _titles(filtered, mixed) == {"met"}
    assert 'id="f-outcome"' in filtered and '<option value="met" selected>' in filtered


@pytest.mark.parametrize("role", ["official", "peer"])
def test_the_dashboard_and_its_outcome_filter_are_refused_to_non_coordinators(login_as, make_user, mixed, role):
    assert login_as(make_user(role)).get("/coordinator?outcome=met").status_code == 403


def test_the_dashboard_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/coordinator?outcome=met")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _store(regency_code: str, year: int, synthetic: bool) -> None:
    framework = framework_by_code("spbe-2020")
    row = ScoreRow(2, regency_code, regency_code, "spbe-2020", year,
                               {i.code: 3 for i in framework.indicators}, None)
    result_import = ResultImport(source="Data sintetis" if synthetic else "Surat KemenPANRB", is_synthetic=synthetic)
    db.session.add(result_import)
    db.session.flush()
    evaluations.apply_rows([row], result_import)
    db.session.commit()


def _judged(make_commitment, make_user, code: str, title: str, **fields) -> Commitment:
    i01 = next(i for i in framework_by_code("spbe-2020").indicators if i.code == "I01")
    commitment = make_commitment(owner=make_user("official", regency=db.session.get(Regency, code)),
                                 indicators=[i01], title=title, starts_on=date(2024, 2, 1), due_on=date(2025, 6, 1),
                                 outcome=Outcome.MET, outcome_year=2025, **fields)
    commitment.targets[0].observed_level, commitment.targets[0].observed_year = 3, 2025
    db.session.commit()
    return commitment


def test_list_rows_show_outcome_observed_level_year_and_provenance(client, content, make_commitment, make_user):
    _store("3211", 2025, synthetic=True)
    _store("1606", 2025, synthetic=False)
    _judged(make_commitment, make_user, "3211", "Komitmen Sumedang")
    _judged(make_commitment, make_user, "1606", "Komitmen Muba", is_recorded_after=True)
    make_commitment(title="Komitmen yang ditarik", status=CommitmentStatus.WITHDRAWN, due_on=date(2027, 6, 1))
    make_commitment(title="Komitmen berjalan", due_on=date(2027, 6, 1))
    rows = client.get("/commitments").get_data(as_text=True).split('class="commitment-row"')[1:]
    by_title = {next(t for t in ("Sumedang", "Muba", "ditarik", "berjalan") if t in row): row for row in rows}
    assert "results of 2025:" in by_title["Sumedang"] and "I01 at level 3" in by_title["Sumedang"]
    assert "synthetic demo result" in by_title["Sumedang"] and "official result" not in by_title["Sumedang"]
    assert "official result" in by_title["Muba"] and "recorded after the fact, not counted" in by_title["Muba"]
    assert "Judged when the results of 2027 are imported." in by_title["berjalan"]
    assert "Judged when" not in by_title["ditarik"]  # a withdrawn commitment awaits no judgement


def test_the_regency_profile_lists_its_commitments_with_their_outcome(client, content, make_commitment, make_user):
    _store("3211", 2025, synthetic=True)
    _judged(make_commitment, make_user, "3211", "Komitmen Sumedang")
    html = client.get("/regencies/3211").get_data(as_text=True)
    assert "Komitmen Sumedang" in html and "I01 at level 3" in html and "results of 2025:" in html
    assert "Outcomes: 1 target met, 0 improved, 0 unchanged, 0 fell, 0 not judged yet." in html


def _needing_attention() -> set[int]:
    query = evidence.needs_attention_query(queries.CommitmentFilters(), lab_today())
    return {c.id for c in db.session.scalars(query)}


def test_status_ahead_of_the_evidence_is_found_in_sql_as_the_model_sees_it(make_commitment):
    low = make_commitment(status=CommitmentStatus.ACHIEVED, percent=80)
    open_step = make_commitment(status=CommitmentStatus.VERIFIED, percent=100)
    open_step.milestones.append(Milestone(title="Langkah", due_on=date(2026, 1, 1)))
    fell = make_commitment(status=CommitmentStatus.VERIFIED, percent=100, outcome=Outcome.FELL, outcome_year=2025)
    fine = make_commitment(status=CommitmentStatus.ACHIEVED, percent=100, outcome=Outcome.FELL)
    done = make_commitment(status=CommitmentStatus.VERIFIED, percent=100)
    done.milestones.append(Milestone(title="Selesai", due_on=date(2026, 1, 1), done_on=date(2026, 1, 1)))
    running = make_commitment(status=CommitmentStatus.IN_PROGRESS, percent=10)
    db.session.commit()
    assert _needing_attention() == {low.id, open_step.id, fell.id}
    everyone = db.session.scalars(select(Commitment)).all()
    assert {c.id for c in everyone if evidence.attention_reasons(c)} == {low.id, open_step.id, fell.id}
    assert [evidence.attention_reasons(c) for c in (low, open_step, fell, fine, done, running)] == [
        ["percent"], ["milestones"], ["outcome"], [], [], []]


def test_the_dashboard_lists_status_ahead_of_the_evidence_with_links(login_as, coordinator, make_commitment):
    low = make_commitment(title="Dinyatakan tercapai terlalu cepat", status=CommitmentStatus.ACHIEVED, percent=80)
    make_commitment(title="Benar-benar tercapai", status=CommitmentStatus.ACHIEVED, percent=100)
    html = login_as(coordinator).get("/coordinator").get_data(as_text=True)
    panel = html.split('id="attention-title"')[1].split("</section>")[0]
    assert f'href="/commitments/{low.id}"' in panel and "progress is 80%" in panel
    assert "Benar-benar tercapai" not in panel


def test_replicated_by_counts_only_adopters_that_have_not_withdrawn(client, make_piece, make_commitment):
    piece = make_piece(title="Praktik yang ditiru")
    make_commitment(source_piece_id=piece.id)
    make_commitment(source_piece_id=piece.id, status=CommitmentStatus.WITHDRAWN)
    html = client.get(f"/pieces/{piece.id}/{piece.slug}").get_data(as_text=True)
    assert "Replicated by 1 regency" in html and "Withdrawn: 1" in html
