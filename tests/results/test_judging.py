"""Commitments judged against the official scores of their due year; the impact comparison by hand."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from livinglab.clock import lab_today
from livinglab.commitments import services
from livinglab.commitments.models import CommitmentStatus, Outcome
from livinglab.evaluations import services as evaluations
from livinglab.evaluations.checks import ScoreRow
from livinglab.evaluations.models import ResultImport
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code
from livinglab.notifications.models import Notification
from livinglab.notifications.services import follow
from livinglab.regencies.models import Regency
from livinglab.results.comparison import comparisons, practice_results
from livinglab.results.judging import commitment_outcome, judge, target_outcome

OC = Outcome


@pytest.mark.parametrize("baseline, target, observed, expected", [
    (1, 3, 3, OC.MET), (1, 3, 4, OC.MET), (1, 3, 2, OC.IMPROVED), (2, 3, 2, OC.UNCHANGED), (2, 3, 1, OC.FELL),
])
def test_target_outcomes(baseline, target, observed, expected):
    assert target_outcome(baseline, target, observed) is expected


@pytest.mark.parametrize("outcomes, expected", [
    ([OC.MET, OC.MET], OC.MET), ([OC.MET, OC.FELL], OC.IMPROVED), ([OC.IMPROVED, OC.UNCHANGED], OC.IMPROVED),
    ([OC.UNCHANGED, OC.UNCHANGED], OC.UNCHANGED), ([OC.UNCHANGED, OC.FELL], OC.FELL),
])
def test_commitment_outcome_from_its_targets(outcomes, expected):
    assert commitment_outcome(outcomes) is expected


def _indicator(code: str):
    return next(i for i in framework_by_code("spbe-2020").indicators if i.code == code)


def _spbe(code: str) -> int:
    return _indicator(code).id


def _store(regency: str, year: int, levels: dict[str, int], default: int = 2) -> list:
    framework = framework_by_code("spbe-2020")
    row = ScoreRow(2, regency, regency, "spbe-2020", year,
                               {i.code: levels.get(i.code, default) for i in framework.indicators}, None)
    result_import = ResultImport(source="Uji")
    db.session.add(result_import)
    db.session.flush()
    return evaluations.apply_rows([row], result_import)


@pytest.fixture
def sumedang(content, make_user):
    return make_user("official", regency=db.session.get(Regency, "3211"))


def test_an_evaluation_of_the_due_year_judges_the_commitment_and_tells_followers(sumedang, make_commitment, make_user):
    commitment = make_commitment(owner=sumedang, indicators=[_indicator("I01"), _indicator("I11")],
                                 title="Arsitektur SPBE", starts_on=date(2024, 1, 10), due_on=date(2024, 12, 31))
    commitment.targets[1].baseline_level = 2
    later = make_commitment(owner=sumedang, indicators=[_indicator("I01")], due_on=date(2025, 6, 30),
                            starts_on=date(2024, 1, 10))
    withdrawn = make_commitment(owner=sumedang, indicators=[_indicator("I01")], due_on=date(2024, 6, 30),
                                starts_on=date(2024, 1, 10), status=CommitmentStatus.WITHDRAWN)
    follower = make_user()
    follow(follower, "commitment", commitment.id)
    db.session.commit()
    changed = judge(_store("3211", 2024, {"I01": 3, "I11": 2}))
    db.session.commit()
    assert changed == [commitment] and commitment.outcome is OC.IMPROVED and commitment.outcome_year == 2024
    assert [(t.observed_level, t.outcome) for t in commitment.targets] == [(3, OC.MET), (2, OC.UNCHANGED)]
    assert later.outcome is None and withdrawn.outcome is None
    note = db.session.scalar(select(Notification).where(Notification.user_id == follower.id))
    assert note.detail == "outcome_improved" and note.link.endswith("#outcome")
    assert judge(_store("3211", 2024, {"I01": 3, "I11": 2})) == []  # the same scores again: nothing new


def test_a_baseline_equal_to_the_latest_official_level_is_marked_official(sumedang, make_commitment):
    _store("3211", 2023, {"I05": 2})
    db.session.commit()
    data = services.CommitmentInput(
        "Kebijakan pusat data",
        "",
        lab_today(),
        lab_today() + timedelta(days=300),
        [services.TargetInput(_spbe("I05"), 2, 4), services.TargetInput(_spbe("I06"), 3, 4)],
    )
    commitment = services.create_commitment(sumedang, data)
    db.session.commit()
    official, own = commitment.targets
    assert (official.baseline_source.value, official.baseline_year) == ("official", 2023)
    assert (own.baseline_source.value, own.baseline_year) == ("self_assessed", None)  # the results say 2, not 3


def test_the_comparison_by_hand(content, make_user, make_commitment):
    """Two committed regencies (+2 and 0) against three others (+1, +1, -1) on I01, from 2022 to 2024."""
    data = {"3211": (1, 3), "1606": (2, 2), "3374": (1, 2), "3510": (3, 4), "3401": (3, 2)}
    for code, (before, after) in data.items():
        _store(code, 2022, {"I01": before})
        _store(code, 2024, {"I01": after})
    for code in ("3211", "1606"):
        owner = make_user("official", regency=db.session.get(Regency, code))
        make_commitment(owner=owner, indicators=[_indicator("I01")], starts_on=date(2022, 3, 1),
                        due_on=date(2024, 12, 31))
    db.session.commit()
    row = next(r for r in comparisons(2022, 2024) if r.indicator.code == "I01")
    assert (row.committed_n, row.committed_change, row.others_n, row.others_change) == (2, 1.0, 3, pytest.approx(1 / 3))
    untouched = next(r for r in comparisons(2022, 2024) if r.indicator.code == "I02")
    assert (untouched.committed_n, untouched.committed_change, untouched.others_n) == (0, None, 5)


def test_practice_results_count_adopters_and_outcomes(content, make_user, make_piece, make_commitment):
    piece = make_piece(title="Praktik yang ditiru")
    outcomes = [OC.MET, OC.MET, OC.FELL, None]
    for outcome in outcomes:
        make_commitment(source_piece_id=piece.id, outcome=outcome)
    make_commitment(source_piece_id=piece.id, status=CommitmentStatus.WITHDRAWN)
    make_commitment(source_piece_id=piece.id, outcome=OC.MET, is_recorded_after=True)
    result = practice_results()[0]
    assert result.piece == piece and (result.adopters, result.withdrawn) == (4, 1)
    assert (result.outcomes["met"], result.outcomes["fell"], result.outcomes["none"]) == (2, 1, 1)


def test_a_judged_commitment_keeps_what_it_was_judged_on_and_cannot_be_withdrawn(sumedang, make_commitment):
    late = make_commitment(owner=sumedang, indicators=[_indicator("I01")], starts_on=date(2024, 1, 1),
                           due_on=date(2024, 12, 1))
    assert judge(_store("3211", 2024, {"I01": 3})) == [late] and late.outcome is OC.MET
    db.session.commit()
    data = services.CommitmentInput(late.title, "", late.starts_on, date(2027, 6, 1),
                                    [services.TargetInput(_indicator("I01").id, 1, 3)])
    with pytest.raises(services.CommitmentError, match="dinilai dengan hasil evaluasi 2024"):
        services.update_commitment(late, sumedang, data)
    data.due_on, data.targets = late.due_on, [services.TargetInput(_indicator("I02").id, 1, 3)]
    with pytest.raises(services.CommitmentError, match="dinilai dengan hasil evaluasi 2024"):
        services.update_commitment(late, sumedang, data)
    late.status = CommitmentStatus.IN_PROGRESS
    with pytest.raises(services.CommitmentError, match="tidak dapat dibatalkan"):
        services.change_status(late, sumedang, CommitmentStatus.WITHDRAWN, "Tidak jadi.")
    data.title, data.targets = "Judul yang lebih jelas", [services.TargetInput(_indicator("I01").id, 1, 3)]
    services.update_commitment(late, sumedang, data)  # the title may still change
    assert late.title == "Judul yang lebih jelas" and late.outcome is OC.MET


def test_only_commitments_running_in_the_compared_years_count_as_committed(content, make_user, make_commitment):
    """Comparing 2022 → 2024: a commitment started in 2022 and due in 2024 counts; one started in 2023 (after
    the 2022 evaluation) is not credited with the change, nor one made in 2026."""
    for code, (before, after) in {"3211": (1, 3), "1606": (1, 3), "3374": (1, 3)}.items():
        _store(code, 2022, {"I01": before})
        _store(code, 2024, {"I01": after})
    make_commitment(owner=make_user("official", regency=db.session.get(Regency, "3211")),
                    indicators=[_indicator("I01")], starts_on=date(2022, 5, 1), due_on=date(2024, 6, 1))
    make_commitment(owner=make_user("official", regency=db.session.get(Regency, "1606")),
                    indicators=[_indicator("I01")], starts_on=date(2023, 1, 1), due_on=date(2024, 6, 1))
    make_commitment(owner=make_user("official", regency=db.session.get(Regency, "3374")),
                    indicators=[_indicator("I01")], starts_on=date(2026, 1, 1), due_on=date(2026, 12, 1),
                    baseline=3, target=4)
    row = next(r for r in comparisons(2022, 2024) if r.indicator.code == "I01")
    assert (row.committed_n, row.others_n) == (1, 2)


@pytest.mark.parametrize("starts_on, due_on, committed", [
    (date(2022, 12, 31), date(2024, 6, 1), True),  # started on the last day of the baseline year
    (date(2023, 1, 1), date(2024, 6, 1), False),  # started the day after: after the 2022 evaluation
    (date(2021, 3, 1), date(2022, 12, 31), False),  # due on the last day of the baseline year: over before it
    (date(2021, 3, 1), date(2023, 1, 1), True),  # still running the day after
])
def test_committed_means_started_by_the_end_of_the_baseline_year_and_due_after_it(
        content, make_user, make_commitment, starts_on, due_on, committed):
    _store("3211", 2022, {"I01": 1})
    _store("3211", 2024, {"I01": 3})
    make_commitment(owner=make_user("official", regency=db.session.get(Regency, "3211")),
                    indicators=[_indicator("I01")], starts_on=starts_on, due_on=due_on)
    row = next(r for r in comparisons(2022, 2024) if r.indicator.code == "I01")
    assert (row.committed_n, row.others_n) == ((1, 0) if committed else (0, 1))


@pytest.mark.parametrize("fields", [{"status": CommitmentStatus.WITHDRAWN}, {"is_recorded_after": True}])
def test_withdrawn_and_recorded_after_commitments_do_not_make_a_regency_committed(
        content, make_user, make_commitment, fields):
    _store("3211", 2022, {"I01": 1})
    _store("3211", 2024, {"I01": 3})
    make_commitment(owner=make_user("official", regency=db.session.get(Regency, "3211")),
                    indicators=[_indicator("I01")], starts_on=date(2022, 3, 1), due_on=date(2024, 6, 1), **fields)
    row = next(r for r in comparisons(2022, 2024) if r.indicator.code == "I01")
    assert (row.committed_n, row.others_n) == (0, 1)


def test_a_baseline_below_the_last_year_evaluated_before_the_start_is_refused(sumedang, make_commitment):
    _store("3211", 2023, {"I05": 2})
    db.session.commit()
    data = services.CommitmentInput("Kebijakan pusat data", "", lab_today(), lab_today() + timedelta(days=300),
                                    [services.TargetInput(_spbe("I05"), 2, 4)])
    commitment = services.create_commitment(sumedang, data)
    _store("3211", lab_today().year - 1, {"I05": 3})
    data.title = "Kebijakan pusat data kota"
    with pytest.raises(services.CommitmentError, match="menempatkan I05 pada level 3"):
        services.update_commitment(commitment, sumedang, data)
    data.targets = [services.TargetInput(_spbe("I05"), 3, 4)]
    services.update_commitment(commitment, sumedang, data)
    assert (commitment.targets[0].baseline_source.value, commitment.targets[0].baseline_year) == (
        "official", lab_today().year - 1)
