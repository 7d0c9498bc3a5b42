"""Commitment pages as officials, coordinators and others use them; every refusal is tested."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from livinglab.clock import lab_today
from livinglab.commitments import services
from livinglab.commitments.models import Commitment, CommitmentStatus, ProgressUpdate
from livinglab.extensions import db
from livinglab.notifications.models import Notification

S = CommitmentStatus


def _form(indicator, **changes) -> dict:
    today = lab_today()
    data = {"title": "Menerapkan katalog aplikasi", "description": "Inventarisasi dan katalog.",
            "starts_on": today.isoformat(), "due_on": (today + timedelta(days=200)).isoformat(),
            "targets-0-indicator": str(indicator.id), "targets-0-baseline": "1", "targets-0-target": "3"}
    data.update(changes)
    return data


def test_an_official_replicates_a_piece_from_another_regency(client, make_piece, make_user, make_regency, login_as):
    piece = make_piece(title="Katalog aplikasi daerah")
    official = make_user("official", regency=make_regency(name="Kabupaten Peniru"))
    login_as(official)
    page = client.get(f"/pieces/{piece.id}/{piece.slug}").get_data(as_text=True)
    assert f"/commitments/new?source={piece.id}" in page and "Direplikasi oleh 0 daerah" in page
    form = client.get(f"/commitments/new?source={piece.id}").get_data(as_text=True)
    indicator = piece.targets[0].indicator
    assert "Katalog aplikasi daerah" in form and f'<option selected value="{indicator.id}">' in form
    form_data = _form(indicator, source=str(piece.id), owner=str(official.id))
    response = client.post("/commitments/new", data=form_data)
    commitment = db.session.scalar(select(Commitment))
    assert response.status_code == 302 and commitment.source_piece == piece and commitment.regency == official.regency
    page = client.get(f"/pieces/{piece.id}/{piece.slug}").get_data(as_text=True)
    assert "Direplikasi oleh 1 daerah" in page and "Kabupaten Peniru" in page and "Direncanakan" in page
    detail = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert "Katalog aplikasi daerah" in detail and "Kabupaten Peniru" in detail


def test_a_refused_commitment_form_keeps_what_was_typed(client, make_user, make_indicator, login_as):
    official, indicator = make_user("official"), make_indicator()
    login_as(official)
    data = _form(indicator, title="Judul yang <b>tetap</b> ada", owner=str(official.id), **{"targets-0-target": "1"})
    page = client.post("/commitments/new", data=data).get_data(as_text=True)
    assert "harus lebih tinggi" in page and "Judul yang &lt;b&gt;tetap&lt;/b&gt; ada" in page
    data = _form(indicator, owner=str(official.id), due_on="31-12-2026")
    assert "format YYYY-MM-DD" in client.post("/commitments/new", data=data).get_data(as_text=True)
    assert db.session.scalar(select(Commitment)) is None


def test_every_problem_of_a_commitment_form_is_listed_in_one_go(client, make_user, make_indicator, login_as):
    official, first, second = make_user("official"), make_indicator(), make_indicator()
    login_as(official)
    today = lab_today()
    data = _form(first, title="", owner=str(official.id), due_on=(today - timedelta(days=1)).isoformat(),
                 **{"targets-0-target": "1", "targets-1-indicator": str(second.id), "targets-1-baseline": "",
                    "targets-1-target": "4"})
    page = client.post("/commitments/new", data=data).get_data(as_text=True)
    assert "wajib diisi" in page and "tidak boleh sebelum tanggal mulai" in page
    assert (
        f"Level target {first.code} harus lebih tinggi" in page and f"level awal dan level target {second.code}" in page
    )
    assert '<a href="#title">Judul: Kolom ini wajib diisi.</a>' in page  # the summary links to each field
    assert 'id="targets-0-target-error"' in page and 'id="targets-1-baseline-error"' in page  # in their own rows
    assert page.count("Kolom ini wajib diisi.") == 2  # at the title and in the summary, not once per rule
    assert db.session.scalar(select(Commitment)) is None


@pytest.mark.parametrize("tampered", [{"targets-0-indicator": "abc"}, {"targets-0-baseline": "x"},
                                      {"owner": str(2**64)}, {"targets-0-indicator": str(2**64)}])
def test_a_tampered_commitment_form_is_refused_not_a_server_error(client, make_user, make_indicator, login_as,
                                                                  tampered):
    official = make_user("official")
    login_as(official)
    response = client.post("/commitments/new", data=_form(make_indicator(), **{"owner": str(official.id), **tampered}))
    assert response.status_code == 200 and db.session.scalar(select(Commitment)) is None


@pytest.mark.parametrize("role", ["peer", "coordinator"])
def test_only_officials_commit(client, make_user, make_indicator, login_as, role):
    login_as(make_user(role))
    assert client.get("/commitments/new").status_code == 403
    assert client.post("/commitments/new", data=_form(make_indicator())).status_code == 403


def test_only_officials_of_the_regency_update_and_only_coordinators_verify(client, make_commitment, make_user,
                                                                         make_regency, login_as):
    commitment = make_commitment()
    today = lab_today().isoformat()
    progress = {"text": "Rapat pertama.", "percent": "20", "reported_on": today}
    for outsider in (make_user(), make_user("official", regency=make_regency()), make_user("coordinator")):
        login_as(outsider)
        assert client.post(f"/commitments/{commitment.id}/progress", data=progress).status_code == 403
        assert client.post(f"/commitments/{commitment.id}/milestones",
                           data={"title": "Langkah", "due_on": today}).status_code == 403
        assert client.get(f"/commitments/{commitment.id}/edit").status_code == 403
    assert client.post(f"/commitments/{commitment.id}/status",
                       data={"status": "in_progress", "comment": "Coba"}).status_code == 403
    login_as(commitment.owner)
    assert client.post(f"/commitments/{commitment.id}/progress", data=progress).status_code == 302
    client.post(f"/commitments/{commitment.id}/status",
                data={"status": "achieved", "comment": "Selesai.", "confirm_gaps": "y"})
    page = client.post(f"/commitments/{commitment.id}/status", data={"status": "verified", "comment": "Saya sendiri"})
    assert page.status_code == 403 and commitment.status is S.ACHIEVED  # an official cannot verify
    login_as(make_user("coordinator"))
    assert client.post(f"/commitments/{commitment.id}/status",
                       data={"status": "verified", "comment": "Bukti Perbup diperiksa."}).status_code == 302
    db.session.refresh(commitment)
    assert commitment.status is S.VERIFIED


def test_progress_form_refuses_bad_input_and_keeps_it(client, make_commitment, login_as):
    commitment = make_commitment()
    login_as(commitment.owner)
    page = client.post(f"/commitments/{commitment.id}/progress",
                       data={"text": "Teks yang tetap ada", "percent": "140", "reported_on": lab_today().isoformat()})
    text = page.get_data(as_text=True)
    assert "0 sampai 100" in text and "Teks yang tetap ada" in text
    page = client.post(f"/commitments/{commitment.id}/progress",
                       data={"text": "", "percent": "30", "reported_on": lab_today().isoformat()})
    assert "wajib diisi" in page.get_data(as_text=True)
    assert db.session.scalar(select(ProgressUpdate)) is None


def test_milestones_are_added_completed_and_reopened(client, make_commitment, login_as):
    commitment = make_commitment()
    login_as(commitment.owner)
    due = (lab_today() + timedelta(days=30)).isoformat()
    assert (
        client.post(
            f"/commitments/{commitment.id}/milestones", data={"title": "Draf Perbup", "due_on": due}
        ).status_code
        == 302
    )
    milestone = commitment.milestones[0]
    client.post(
        f"/commitments/{commitment.id}/milestones/{milestone.id}/done", data={"done_on": lab_today().isoformat()}
    )
    db.session.refresh(milestone)
    assert milestone.done_on == lab_today()
    client.post(f"/commitments/{commitment.id}/milestones/{milestone.id}/reopen")
    db.session.refresh(milestone)
    assert milestone.done_on is None


def test_a_milestone_outside_the_commitment_is_refused_and_the_form_kept(client, make_commitment, login_as):
    commitment = make_commitment()
    login_as(commitment.owner)
    late = (commitment.due_on + timedelta(days=1)).isoformat()
    response = client.post(
        f"/commitments/{commitment.id}/milestones", data={"title": "Uji coba lanjutan", "due_on": late}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "antara tanggal mulai" in page
    assert (
        'value="Uji coba lanjutan"' in page
        and f'value="{late}"' in page
        and '<details class="subform-details" id="milestone-form" open>' in page
    )
    early = (commitment.starts_on - timedelta(days=1)).isoformat()
    assert (
        client.post(
            f"/commitments/{commitment.id}/milestones", data={"title": "Persiapan", "due_on": early}
        ).status_code
        == 200
    )
    assert commitment.milestones == []


def test_followers_and_the_owner_hear_of_status_changes_and_progress(make_commitment, make_user):
    commitment, follower = make_commitment(), make_user()
    services.notifications.follow(follower, "commitment", commitment.id)
    services.record_progress(commitment, commitment.owner, "Tim dibentuk.", 10, lab_today())
    coordinator = make_user("coordinator")
    services.change_status(commitment, commitment.owner, S.ACHIEVED, "Perbup terbit.", confirm_gaps=True)
    services.change_status(commitment, coordinator, S.VERIFIED, "Bukti lengkap.")
    db.session.commit()
    kinds = lambda user: [n.kind.value for n in db.session.scalars(  # noqa: E731
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]
    assert kinds(follower) == ["progress", "status", "status"]  # the first report starts the work silently
    assert kinds(commitment.owner) == ["status"]  # only the coordinator's verification: the rest was their own


def test_comments_on_a_commitment(client, make_commitment, make_user, login_as):
    commitment, peer = make_commitment(), make_user()
    login_as(peer)
    response = client.post(f"/commitments/{commitment.id}/comments", data={"body": "Bukti apa yang disiapkan?"})
    assert response.status_code == 302 and "#comment-" in response.headers["Location"]
    page = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert "Bukti apa yang disiapkan?" in page
    note = db.session.scalar(select(Notification).where(Notification.user_id == commitment.owner_id))
    assert note.link.startswith(f"/commitments/{commitment.id}#comment-")


def test_regency_and_indicator_pages_list_commitments(client, make_commitment, make_indicator):
    indicator = make_indicator(code="I77")
    commitment = make_commitment(indicators=[indicator], title="Komitmen di halaman daerah")
    regency_page = client.get(f"/regencies/{commitment.regency_code}").get_data(as_text=True)
    assert "Komitmen di halaman daerah" in regency_page
    indicator_page = client.get("/indicators/I77").get_data(as_text=True)
    assert "Komitmen di halaman daerah" in indicator_page and "1 → 3" in indicator_page


def test_list_and_dashboard_filters(client, make_commitment, make_user, login_as):
    late = make_commitment(title="Yang terlambat", due_on=lab_today() - timedelta(days=2))
    make_commitment(title="Yang tepat waktu")
    page = client.get("/commitments?status=overdue").get_data(as_text=True)
    assert "Yang terlambat" in page and "Yang tepat waktu" not in page
    assert client.get("/coordinator").status_code == 302
    login_as(make_user("official"))
    assert client.get("/coordinator").status_code == 403
    login_as(make_user("coordinator"))
    page = client.get(f"/coordinator?regency={late.regency_code}").get_data(as_text=True)
    assert "Yang terlambat" in page and "Yang tepat waktu" not in page and "<svg" in page
    page = client.get("/coordinator").get_data(as_text=True)
    assert page.index("Yang terlambat") < page.index("Yang tepat waktu")  # overdue first
