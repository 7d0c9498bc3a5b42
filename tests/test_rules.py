"""Rule numbers live in config.py or livinglab/rules.py: changing one there changes the rule and every text
that states it, with no second copy of the number to forget."""

import io
from datetime import timedelta

from livinglab import create_app, pagecache, rules
from livinglab.clock import lab_today
from livinglab.commitments import exports, queries
from livinglab.commitments.models import Commitment, CommitmentStatus, Milestone
from livinglab.commitments.reminders import send_reminders
from livinglab.evaluations import services as evaluations
from livinglab.extensions import db
from livinglab.indicators.queries import framework_by_code
from livinglab.notifications.models import Notification
from livinglab.notifications.services import describe
from livinglab.regencies.models import Regency
from livinglab.results.services import import_results
from tests.conftest import test_config

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MB = 1024 * 1024


def _silent(make_commitment, days: int) -> Commitment:
    today = lab_today()
    return make_commitment(status=CommitmentStatus.IN_PROGRESS, starts_on=today - timedelta(days=200),
                           last_update_on=today - timedelta(days=days))


def test_an_app_built_with_a_shorter_stale_rule_applies_and_states_it(make_commitment, database_url,
                                                                      tmp_path_factory):
    commitment = _silent(make_commitment, 40)
    today = lab_today()
    assert commitment.risk_reasons(today) == []  # 40 days is fine under the default of 90
    other = create_app({**test_config(database_url, tmp_path_factory), "STALE_AFTER_DAYS": 30})
    try:
        with other.app_context():
            again = db.session.get(Commitment, commitment.id)
            assert again.risk_reasons(today) == ["stale"]
            at_risk = db.session.scalars(db.select(Commitment.id).where(queries.at_risk(today))).all()
            assert at_risk == [commitment.id]
        page = other.test_client().get(f"/commitments/{commitment.id}").text
        assert "30 hari tanpa laporan kemajuan" in page  # the badge
        assert "tidak ada laporan kemajuan selama 30 hari" in page  # the rule under the risk line
        assert "90 hari" not in page
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_dashboard_and_the_export_state_the_configured_days(client, app, make_commitment, make_user, login_as,
                                                                monkeypatch):
    monkeypatch.setitem(app.config, "STALE_AFTER_DAYS", 30)
    silent = _silent(make_commitment, 40)
    _silent(make_commitment, 20)
    login_as(make_user("coordinator"))
    page = client.get("/coordinator").text
    assert "Tanpa laporan kemajuan selama 30 hari" in page
    assert "1 komitmen yang sedang berjalan tidak melaporkan kemajuan selama 30 hari atau lebih." in page
    assert silent.title in page and "90 hari" not in page
    with app.test_request_context():
        meaning = {key: text for key, _label, text in exports.columns()}["is_at_risk"]
    assert meaning.endswith("tidak ada laporan kemajuan selama 30 hari.")


def test_the_reminder_window_comes_from_config_and_so_does_its_sentence(app, make_commitment, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_DAYS_AHEAD", 3)
    today = lab_today()
    soon, later = make_commitment(), make_commitment()
    soon.milestones.append(Milestone(title="Draf Perbup", due_on=today + timedelta(days=3)))
    later.milestones.append(Milestone(title="Uji coba", due_on=today + timedelta(days=4)))
    db.session.commit()
    assert send_reminders(today) == (1, 0)
    db.session.commit()
    note = db.session.scalars(db.select(Notification)).one()
    assert note.user_id == soon.owner_id
    with app.test_request_context():
        assert describe(note) == f"Tenggat salah satu tonggak “{soon.title}” jatuh dalam 3 hari ke depan"


def test_upload_limits_in_config_change_the_refusal_and_the_help_text(client, app, make_user, make_indicator,
                                                                       make_commitment, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1 * MB)
    monkeypatch.setitem(app.config, "MAX_ATTACHMENTS", 2)
    official = make_user("official")
    login_as(official)
    assert "masing-masing paling besar 1 MB, paling banyak 2 berkas per tulisan." in client.get("/pieces/new").text
    data = {"kind": "practice", "title": "Perizinan daring satu pintu", "summary": "Ringkasan singkat.",
            "body": "Isi.", "language": "id", "indicators": [str(make_indicator().id)], "action": "draft"}
    big = client.post("/pieces/new", content_type="multipart/form-data",
                      data={**data, "attachments": [(io.BytesIO(PDF + b"0" * (MB + 1)), "besar.pdf")]})
    assert big.status_code == 413 and "Berkas besar.pdf lebih besar dari 1 MB." in big.text
    many = client.post("/pieces/new", content_type="multipart/form-data",
                       data={**data, "attachments": [(io.BytesIO(PDF), f"f{n}.pdf") for n in range(3)]})
    assert many.status_code == 400 and "paling banyak 2 lampiran" in many.text
    commitment = make_commitment(owner=official)
    assert "PDF, PNG, JPEG, DOCX, XLSX, atau PPTX, paling besar 1 MB." in client.get(
        f"/commitments/{commitment.id}").text


def test_the_password_hint_states_the_configured_minimum(client, app, make_user, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_MIN_LENGTH", 14)
    login_as(make_user())
    assert "Minimal 14 karakter." in client.get("/account/password").text


def test_the_strong_and_weak_levels_decide_the_teachers_and_the_sentence(client, content, make_user, make_piece,
                                                                        monkeypatch):
    framework = framework_by_code("spbe-2020")
    first = framework.indicators[0]
    rows = [evaluations.ScoreRow(2, code, "", "spbe-2020", 2024,
                                 {i.code: (level if i == first else 3) for i in framework.indicators}, None)
            for code, level in (("1606", 4), ("3211", 1))]
    import_results(rows, None, "Uji")
    db.session.commit()
    make_piece(author=make_user("official", regency=db.session.get(Regency, "1606")),
               title="Cara kami naik ke level empat", indicators=[first])
    page = client.get("/regencies/3211").text
    assert "Cara kami naik ke level empat" in page
    assert "indikator pada level 2 atau lebih rendah" in page and "level 4 atau lebih tinggi" in page
    assert page.count("Belum ada praktik baik dari daerah yang nilainya tinggi.") == 0
    monkeypatch.setattr(rules, "STRONG_LEVEL", 5)
    monkeypatch.setattr(rules, "WEAK_LEVEL", 3)
    pagecache.store().clear()  # rules change with a new release, and new processes keep no pages
    page = client.get("/regencies/3211").text
    assert "Cara kami naik ke level empat" not in page  # a level-4 regency no longer counts as strong
    assert "indikator pada level 3 atau lebih rendah" in page and "level 5 atau lebih tinggi" in page
    assert page.count("Belum ada praktik baik dari daerah yang nilainya tinggi.") == len(framework.indicators)
