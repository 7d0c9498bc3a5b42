"""Status transitions, and the derived overdue and at-risk states on both sides of every boundary."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from livinglab.clock import lab_today
from livinglab.commitments import queries, services
from livinglab.commitments.models import Commitment, CommitmentStatus, Milestone
from livinglab.commitments.permissions import TRANSITIONS, can_change_status
from livinglab.extensions import db
from livinglab.notifications.models import Notification
from livinglab.notifications.services import follow

S = CommitmentStatus
ALLOWED_FOR_OFFICIALS = {
    (S.PLANNED, S.IN_PROGRESS), (S.PLANNED, S.MISSED), (S.PLANNED, S.WITHDRAWN),
    (S.IN_PROGRESS, S.AT_RISK), (S.IN_PROGRESS, S.ACHIEVED), (S.IN_PROGRESS, S.MISSED), (S.IN_PROGRESS, S.WITHDRAWN),
    (S.AT_RISK, S.IN_PROGRESS), (S.AT_RISK, S.ACHIEVED), (S.AT_RISK, S.MISSED), (S.AT_RISK, S.WITHDRAWN),
    (S.MISSED, S.IN_PROGRESS),
}
ALLOWED_FOR_COORDINATORS = {(S.ACHIEVED, S.VERIFIED), (S.ACHIEVED, S.IN_PROGRESS)}


@pytest.mark.parametrize("start", list(S))
@pytest.mark.parametrize("end", list(S))
def test_every_transition_is_allowed_or_refused_as_specified(make_user, make_commitment, make_regency, start, end):
    commitment = make_commitment(status=start)
    official = commitment.owner
    coordinator, peer = make_user("coordinator"), make_user()
    outsider = make_user("official", regency=make_regency())
    assert can_change_status(official, commitment, end) == ((start, end) in ALLOWED_FOR_OFFICIALS)
    assert can_change_status(coordinator, commitment, end) == ((start, end) in ALLOWED_FOR_COORDINATORS)
    assert not can_change_status(peer, commitment, end) and not can_change_status(outsider, commitment, end)
    allowed = ALLOWED_FOR_OFFICIALS | ALLOWED_FOR_COORDINATORS
    assert (end in TRANSITIONS[start]) == ((start, end) in allowed)
    actor = coordinator if (start, end) in ALLOWED_FOR_COORDINATORS else official
    if (start, end) in allowed:
        change = services.change_status(commitment, actor, end, "Alasan perubahan.", confirm_gaps=True)
        assert (change.from_status, change.to_status, change.actor) == (start, end, actor)
        assert commitment.status is end
    else:
        with pytest.raises(services.CommitmentError):
            services.change_status(commitment, actor, end, "Alasan perubahan.")
        assert commitment.status is start


def test_a_status_change_needs_a_reason_and_keeps_who_and_when(make_commitment):
    commitment = make_commitment()
    with pytest.raises(services.CommitmentError):
        services.change_status(commitment, commitment.owner, S.IN_PROGRESS, "  ")
    services.change_status(commitment, commitment.owner, S.IN_PROGRESS, "Tim kerja dibentuk.")
    db.session.commit()
    last = commitment.status_changes[-1]
    assert last.comment == "Tim kerja dibentuk." and last.actor == commitment.owner and last.created_at


def _ids(status: str, today) -> set[int]:
    query = queries.commitment_list_query(queries.CommitmentFilters(status=status), today)
    return {c.id for c in db.session.scalars(query)}


def test_overdue_is_derived_on_both_sides_of_the_due_date(make_commitment):
    today = lab_today()
    due_today = make_commitment(due_on=today)
    due_yesterday = make_commitment(due_on=today - timedelta(days=1))
    achieved_late = make_commitment(due_on=today - timedelta(days=1), status=S.ACHIEVED)
    assert not due_today.is_overdue(today) and due_yesterday.is_overdue(today)
    assert not achieved_late.is_overdue(today)
    assert _ids("overdue", today) == {due_yesterday.id}
    assert due_today.is_overdue(today + timedelta(days=1))


def test_no_update_for_90_days_is_at_risk_and_89_is_not(make_commitment):
    today = lab_today()
    quiet = make_commitment(status=S.IN_PROGRESS, starts_on=today - timedelta(days=200),
                            last_update_on=today - timedelta(days=91))
    recent = make_commitment(status=S.IN_PROGRESS, starts_on=today - timedelta(days=200),
                             last_update_on=today - timedelta(days=90))
    never = make_commitment(status=S.IN_PROGRESS, starts_on=today - timedelta(days=91))
    planned = make_commitment(starts_on=today - timedelta(days=200))  # not under way: not stale
    assert quiet.risk_reasons(today) == ["stale"] and never.risk_reasons(today) == ["stale"]
    assert recent.risk_reasons(today) == [] and planned.risk_reasons(today) == []
    assert _ids("risk_any", today) == {quiet.id, never.id}


def test_a_late_milestone_puts_a_commitment_at_risk(make_commitment):
    today = lab_today()
    late, on_time, done, closed = (make_commitment() for _ in range(4))
    late.milestones.append(Milestone(title="Perbup ditetapkan", due_on=today - timedelta(days=1)))
    on_time.milestones.append(Milestone(title="Perbup ditetapkan", due_on=today))
    done.milestones.append(Milestone(title="Perbup ditetapkan", due_on=today - timedelta(days=5),
                                     done_on=today - timedelta(days=6)))
    closed.milestones.append(Milestone(title="Perbup ditetapkan", due_on=today - timedelta(days=5)))
    closed.status = S.WITHDRAWN
    marked = make_commitment(status=S.AT_RISK)
    db.session.commit()
    assert late.risk_reasons(today) == ["milestone"] and marked.risk_reasons(today) == ["status"]
    assert on_time.risk_reasons(today) == done.risk_reasons(today) == closed.risk_reasons(today) == []
    assert _ids("risk_any", today) == {late.id, marked.id}


def test_progress_needs_text_a_valid_percent_and_a_sensible_date(make_commitment):
    commitment = make_commitment()
    today = lab_today()
    for text, percent, day in [("", 10, today), ("Rapat.", 140, today), ("Rapat.", -1, today),
                               ("Rapat.", 10, today + timedelta(days=1)),
                               ("Rapat.", 10, commitment.starts_on - timedelta(days=1))]:
        with pytest.raises(services.CommitmentError):
            services.record_progress(commitment, commitment.owner, text, percent, day)
    update = services.record_progress(commitment, commitment.owner, "Rapat koordinasi pertama.", 10, today)
    db.session.commit()
    assert commitment.status is S.IN_PROGRESS  # the first report starts the work
    assert (commitment.percent, commitment.last_update_on, update.percent) == (10, today, 10)
    services.record_progress(commitment, commitment.owner, "Laporan susulan bulan lalu.", 5,
                             today - timedelta(days=20))
    db.session.commit()
    assert (commitment.percent, commitment.last_update_on) == (10, today)  # an older report does not rewind
    services.change_status(commitment, commitment.owner, S.WITHDRAWN, "Dialihkan ke program lain.")
    with pytest.raises(services.CommitmentError):
        services.record_progress(commitment, commitment.owner, "Setelah ditarik.", 20, today)


def test_commitments_need_sensible_targets_and_dates(make_user, make_indicator):
    official, indicator = make_user("official"), make_indicator()
    today = lab_today()

    def attempt(**changes):
        data = services.CommitmentInput(title="Menetapkan Perbup arsitektur", description="", starts_on=today,
                                        due_on=today + timedelta(days=90),
                                        targets=[services.TargetInput(indicator.id, 1, 3)])
        for name, value in changes.items():
            setattr(data, name, value)
        return services.create_commitment(official, data)

    for changes in [{"targets": []}, {"targets": [services.TargetInput(indicator.id, 3, 3)]},
                    {"targets": [services.TargetInput(indicator.id, 0, 3)]},
                    {"targets": [services.TargetInput(indicator.id, 1, 6)]},
                    {"targets": [services.TargetInput(indicator.id, 1, 3)] * 2},
                    {"due_on": today - timedelta(days=1)}, {"title": "abc"}]:
        with pytest.raises(services.CommitmentError):
            attempt(**changes)
    with pytest.raises(services.CommitmentError):
        services.create_commitment(make_user(), services.CommitmentInput("Komitmen peer", "", today, today))
    assert attempt().status is S.PLANNED
    assert db.session.scalar(select(Commitment)).targets[0].baseline_source.value == "self_assessed"


def test_a_stored_at_risk_filter_differs_from_at_risk_for_any_reason(make_commitment):
    today = lab_today()
    marked = make_commitment(status=S.AT_RISK)
    quiet = make_commitment(status=S.IN_PROGRESS, starts_on=today - timedelta(days=200))
    assert _ids("at_risk", today) == {marked.id} and _ids("risk_any", today) == {marked.id, quiet.id}


def test_closed_commitments_keep_their_targets_and_milestones(make_commitment):
    commitment = make_commitment(status=S.VERIFIED)
    commitment.milestones.append(Milestone(title="Perbup ditetapkan", due_on=lab_today()))
    db.session.commit()
    data = services.CommitmentInput("Judul yang diubah", "", commitment.starts_on, commitment.due_on,
                                    [services.TargetInput(commitment.targets[0].indicator_id, 1, 5)])
    for attempt in (lambda: services.update_commitment(commitment, commitment.owner, data),
                    lambda: services.add_milestone(commitment, commitment.owner, "Tambahan", lab_today()),
                    lambda: services.delete_milestone(commitment.milestones[0], commitment.owner)):
        with pytest.raises(services.CommitmentError):
            attempt()


def test_the_first_progress_report_tells_followers_once(make_commitment, make_user):
    commitment, follower = make_commitment(), make_user()
    follow(follower, "commitment", commitment.id)
    services.record_progress(commitment, commitment.owner, "Tim dibentuk.", 10, lab_today())
    db.session.commit()
    kinds = [n.kind.value for n in db.session.scalars(select(Notification).where(Notification.user_id == follower.id))]
    assert kinds == ["progress"] and commitment.status is S.IN_PROGRESS
