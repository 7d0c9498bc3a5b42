"""Outcomes you can trust: across the framework change, not gamed, with provenance, one index one predicate."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from livinglab.clock import lab_today
from livinglab.commitments import services
from livinglab.commitments.models import CommitmentStatus, Outcome
from livinglab.evaluations import services as evaluations
from livinglab.evaluations.arithmetic import predicate
from livinglab.evaluations.checks import ScoreRow
from livinglab.evaluations.models import Evaluation
from livinglab.extensions import db
from livinglab.i18n import LANGUAGE_COOKIE
from livinglab.indicators.queries import framework_by_code, framework_for_year, load_crosswalk
from livinglab.regencies.models import Regency
from livinglab.results.judging import judgements_of
from livinglab.results.services import import_results

OC = Outcome
THIS_YEAR = lab_today().year


def _in(language: str, client, *users) -> None:
    """Read the next pages in a language: the visitor's cookie and the signed-in users' preference."""
    client.set_cookie(LANGUAGE_COOKIE, language)
    for user in users:
        user.locale = language
    db.session.commit()


def _indicator(framework: str, code: str):
    return next(i for i in framework_by_code(framework).indicators if i.code == code)


def _row(regency: str, year: int, framework: str, levels: dict[str, int], default: int = 2, index=None):
    codes = [i.code for i in framework_by_code(framework).indicators]
    return ScoreRow(2, regency, regency, framework, year,
                                {code: levels.get(code, default) for code in codes}, index)


def _import(*rows, source="Surat KemenPANRB uji", synthetic=False):
    frameworks = {f: framework_by_code(f) for f in {r.framework_code for r in rows}}
    evaluations._compare(list(rows), frameworks)
    return import_results(list(rows), None, source, synthetic=synthetic)


@pytest.fixture
def sumedang(content, make_user):
    return make_user("official", regency=db.session.get(Regency, "3211"))


def _commit_2026(owner, targets, due_on=date(2026, 12, 31), starts_on=date(2025, 2, 1)):
    data = services.CommitmentInput("Janji naik pada 2026", "", starts_on, due_on,
                                    [services.TargetInput(i.id, b, t) for i, b, t in targets])
    commitment = services.create_commitment(owner, data, at=None)
    db.session.commit()
    return commitment


def test_the_framework_in_force_follows_the_year(content):
    assert framework_for_year(2025).code == "spbe-2020" and framework_for_year(2026).code == "pemdi-2026"
    crosswalk = load_crosswalk()
    i42 = _indicator("spbe-2020", "I42")
    pemdi = framework_by_code("pemdi-2026")
    assert {crosswalk.code_of[i] for i in crosswalk.counterparts(i42.id, pemdi.id)} == {"P19", "P20"}
    every = [i for i in framework_by_code("spbe-2020").indicators if not crosswalk.counterparts(i.id, pemdi.id)]
    assert every == []  # every SPBE 2020 indicator can be judged on the 2026 results


def test_a_2026_commitment_on_spbe_2020_indicators_is_judged_by_2026_results_through_the_crosswalk(sumedang):
    i42, i05 = _indicator("spbe-2020", "I42"), _indicator("spbe-2020", "I05")
    commitment = _commit_2026(sumedang, [(i42, 1, 3), (i05, 2, 3)])
    done = _import(_row("3211", 2026, "pemdi-2026", {"P19": 4, "P20": 2, "P14": 3}))
    db.session.commit()
    assert done.judged == [commitment] and commitment.outcome is OC.IMPROVED and commitment.outcome_year == 2026
    by_code = {t.indicator.code: t for t in commitment.targets}
    assert (by_code["I42"].observed_level, by_code["I42"].outcome) == (2, OC.IMPROVED)  # the lowest of P19, P20
    assert (by_code["I05"].observed_level, by_code["I05"].outcome) == (3, OC.MET)
    judgement = judgements_of(commitment)[0]
    assert judgement.framework.code == "pemdi-2026" and judgement.result_import == done.result_import
    assert {d["indicator"]: d["read_from"] for d in judgement.details} == {"I42": ["P19", "P20"], "I05": ["P14"]}


def test_the_cli_import_of_a_2026_sheet_judges_the_demo_commitments_due_in_2026(app, runner, tmp_path, monkeypatch):
    from livinglab.commitments import models as commitment_models
    from livinglab.demo import evaluations as demo_evaluations
    from livinglab.demo.services import load_demo, load_reference_content

    monkeypatch.setattr(demo_evaluations, "lab_today", lambda: date(2026, 12, 5))
    monkeypatch.setattr(commitment_models, "lab_today", lambda: date(2026, 12, 5))
    load_reference_content()
    load_demo()
    db.session.commit()
    codes = [i.code for i in framework_by_code("pemdi-2026").indicators]
    lines = [",".join(["regency_code", "year", "framework", "index", *codes])]
    for code in db.session.scalars(select(Regency.code).where(Regency.is_member)):
        lines.append(",".join([code, "2026", "pemdi-2026", "", *["3"] * len(codes)]))
    sheet = tmp_path / "hasil-2026.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(args=["evaluations", "import", str(sheet), "--source", "Uji hasil 2026"])
    assert result.exit_code == 0, result.output
    judged = int(re.search(r"(\d+) commitments judged", result.output).group(1))
    assert judged > 0


def test_due_dates_cannot_be_in_the_past_or_in_a_year_whose_results_are_stored(sumedang):
    i05 = _indicator("spbe-2020", "I05")
    today = lab_today()
    for due_on in (today, today - timedelta(days=400)):
        data = services.CommitmentInput("Janji yang terlambat", "", today - timedelta(days=500), due_on,
                                        [services.TargetInput(i05.id, 1, 3)])
        with pytest.raises(services.CommitmentError, match="setelah hari ini"):
            services.create_commitment(sumedang, data)
    _import(_row("3211", THIS_YEAR, "pemdi-2026", {}))
    db.session.commit()
    data = services.CommitmentInput("Janji tahun ini", "", today - timedelta(days=30), date(THIS_YEAR, 12, 31),
                                    [services.TargetInput(_indicator("pemdi-2026", "P14").id, 2, 3)])
    if date(THIS_YEAR, 12, 31) > today:
        with pytest.raises(services.CommitmentError, match="sudah tersimpan"):
            services.create_commitment(sumedang, data)


def test_a_coordinator_records_a_commitment_after_the_fact_and_it_is_labelled(client, login_as, sumedang, make_user):
    _import(_row("3211", 2024, "spbe-2020", {"I05": 3}), _row("3211", 2023, "spbe-2020", {"I05": 1}))
    db.session.get(Regency, "3211").is_member = True
    db.session.commit()
    form = {"regency": "3211", "title": "Kebijakan pusat data 2024", "starts_on": "2024-01-15",
            "due_on": "2024-12-31", "targets-0-indicator": str(_indicator("spbe-2020", "I05").id),
            "targets-0-baseline": "1", "targets-0-target": "3"}
    login_as(sumedang)
    assert client.post("/coordinator/results/record", data=form).status_code == 403
    coordinator = make_user("coordinator")
    login_as(coordinator)
    _in("en", client, coordinator)
    response = client.post("/coordinator/results/record", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Recorded after the fact" in page
    from livinglab.commitments.models import Commitment
    recorded = db.session.scalars(select(Commitment).where(Commitment.title == "Kebijakan pusat data 2024")).one()
    assert recorded.is_recorded_after and recorded.outcome is OC.MET


def test_a_correction_judges_again_and_keeps_the_history(client, sumedang):
    i05 = _indicator("spbe-2020", "I05")
    commitment = _commit_2026(sumedang, [(i05, 2, 3)])
    _import(_row("3211", 2026, "pemdi-2026", {"P14": 3}))
    db.session.commit()
    _import(_row("3211", 2026, "pemdi-2026", {"P14": 2}), source="Koreksi KemenPANRB")
    db.session.commit()
    first, second = judgements_of(commitment)
    assert (first.outcome, first.is_current, second.previous_outcome, second.outcome, second.reason) == (
        OC.MET, False, OC.MET, OC.UNCHANGED, "correction")
    assert commitment.outcome is OC.UNCHANGED
    _in("en", client)
    page = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert "→" in page and "after the correction of the 2026 results" in page.replace("\n", " ")


@pytest.mark.parametrize(
    "computed, published, expected",
    [
        ("2.5995", None, "Baik"),
        ("2.5949", None, "Cukup"),
        ("3.4995", None, "Sangat Baik"),
        ("3.4949", None, "Baik"),
        ("4.1950", None, "Memuaskan"),
        ("4.1949", None, "Sangat Baik"),
        ("1.7949", None, "Kurang"),
        ("1.7950", None, "Cukup"),
        ("2.6100", "2.59", "Cukup"),
        ("2.5900", "2.60", "Baik"),
    ],
)
def test_the_predicate_is_read_from_the_index_as_shown(content, computed, published, expected):
    framework = framework_by_code("spbe-2020")
    shown = evaluations.shown_index(Decimal(computed), published)
    assert predicate(shown, framework).name_id == expected
    evaluation = Evaluation(computed_index=Decimal(computed), published_index=Decimal(published) if published else None)
    assert evaluation.shown_index == shown


def test_a_framework_without_bands_gives_no_predicate(content):
    assert predicate(Decimal("4.00"), framework_by_code("pemdi-2026")) is None


def test_synthetic_results_are_never_called_official(client, sumedang):
    i05 = _indicator("spbe-2020", "I05")
    _import(_row("3211", THIS_YEAR - 2, "spbe-2020", {"I05": 2}), source="Data sintetis", synthetic=True)
    db.session.commit()
    data = services.CommitmentInput("Janji dengan data sintetis", "", lab_today(), lab_today() + timedelta(days=300),
                                    [services.TargetInput(i05.id, 2, 4)])
    commitment = services.create_commitment(sumedang, data)
    db.session.commit()
    assert commitment.targets[0].baseline_provenance == "synthetic_demo"
    for language in ("id", "en"):
        _in(language, client)
        page = client.get(f"/commitments/{commitment.id}")
        text = re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).lower()
        assert "sintetis" in text or "synthetic" in text
        assert "resmi" not in text and "official" not in text


def test_achieved_with_open_evidence_needs_a_confirmation(client, login_as, make_commitment):
    commitment = make_commitment(status=CommitmentStatus.IN_PROGRESS)
    login_as(commitment.owner)
    _in("en", client, commitment.owner)
    refused = client.post(f"/commitments/{commitment.id}/status", data={"status": "achieved", "comment": "Selesai."},
                          headers={"Accept-Language": "en"})
    assert refused.status_code == 200 and "Progress is at 0 %" in refused.get_data(as_text=True)
    assert commitment.status is CommitmentStatus.IN_PROGRESS
    client.post(f"/commitments/{commitment.id}/status",
                data={"status": "achieved", "comment": "Perbup sudah terbit.", "confirm_gaps": "y"})
    db.session.refresh(commitment)
    assert commitment.status is CommitmentStatus.ACHIEVED and commitment.evidence_gaps() == ["percent"]


def test_a_withdrawn_commitment_promises_no_judgement(client, make_commitment):
    commitment = make_commitment(status=CommitmentStatus.WITHDRAWN)
    _in("en", client)
    page = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert "will not be judged" in page and "is judged when" not in page


def test_every_audit_action_has_a_label():
    from pathlib import Path

    from livinglab.audit.views import ACTION_LABELS

    root = Path(__file__).resolve().parents[2] / "livinglab"
    actions = {m for path in root.rglob("*.py")
               for m in re.findall(r"record_event\(\s*\"([a-z_.]+)\"", path.read_text(encoding="utf-8"))}
    assert actions and sorted(actions - ACTION_LABELS.keys()) == []


def _corrected_version(folder) -> None:
    folder.mkdir()
    (folder / "framework.toml").write_text('''code = "pemdi-2026-r2"
name_id = "Indeks Pemerintah Digital (versi koreksi uji)"
name_en = "Digital Government index (corrected test version)"
regulation = "Peraturan uji"
first_year = 2026
version = 2
replaces = "pemdi-2026"
provisional = true
source = "Portal Pemdi kabupaten (uji)"
indicators = "indicators.csv"
''', encoding="utf-8")
    (folder / "indicators.csv").write_text(
        "code,aspect,aspect_name_id,aspect_weight_percent,number,name_id,name_en,weight_percent\n"
        "Q01,1,Strategi dan Rencana,50,1,Tingkat Kematangan Strategi Transformasi Digital Pemerintah,Strategy,50\n"
        "Q02,2,Teknologi,50,2,Tingkat Kematangan Infrastruktur,Infrastructure,50\n", encoding="utf-8")


def test_a_corrected_framework_version_keeps_what_was_judged_and_shows_what_needs_mapping(
        client, login_as, sumedang, make_user, tmp_path):
    from livinglab.indicators.services import load_crosswalks, load_framework

    i05 = _indicator("spbe-2020", "I05")
    judged = _commit_2026(sumedang, [(i05, 2, 3)])
    _import(_row("3211", 2026, "pemdi-2026", {"P14": 3}))
    p14 = _indicator("pemdi-2026", "P14")
    waiting = _commit_2026(sumedang, [(p14, 3, 4)], due_on=date(THIS_YEAR + 1, 12, 31), starts_on=lab_today())
    _corrected_version(tmp_path / "pemdi-2026-r2")
    load_framework(tmp_path / "pemdi-2026-r2")
    db.session.commit()
    old, new = framework_by_code("pemdi-2026"), framework_by_code("pemdi-2026-r2")
    assert old.is_replaced and new.replaces == old and framework_for_year(2026) == new
    assert judged.outcome is OC.MET and judgements_of(judged)[0].framework == old  # stays judged on the old version
    checked = evaluations.read_sheet("r.csv", (",".join(["regency_code", "year", "framework", "index",
                                                          *[i.code for i in old.indicators]]) + "\n" +
                                               ",".join(["3211", "2026", "pemdi-2026", "", *["3"] * 20]) + "\n"
                                               ).encode(), THIS_YEAR)
    assert any("pemdi-2026-r2" in p.message for p in checked.problems)
    login_as(sumedang)
    assert client.get("/coordinator/results/frameworks").status_code == 403
    coordinator = make_user("coordinator")
    login_as(coordinator)
    _in("en", client, coordinator)
    page = client.get("/coordinator/results/frameworks").get_data(as_text=True)
    assert waiting.title in page and "P14 → " not in page and "I05 → P14" in page
    (tmp_path / "crosswalks").mkdir()
    (tmp_path / "crosswalks" / "pemdi-2026--r2.csv").write_text(
        "from_framework,from_code,to_framework,to_code,provisional,note_id,note_en\n"
        "pemdi-2026,P14,pemdi-2026-r2,Q02,yes,Infrastruktur tetap,Infrastructure stays\n", encoding="utf-8")
    load_crosswalks(tmp_path / "crosswalks")
    db.session.commit()
    page = client.get("/coordinator/results/frameworks").get_data(as_text=True)
    assert waiting.title not in page and "I05 → P14" not in page
    assert {load_crosswalk().code_of[i] for i in load_crosswalk().counterparts(i05.id, new.id)} == {"Q02"}
