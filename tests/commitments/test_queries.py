"""The list and the dashboard cost the same number of queries whatever the number of commitments."""

from datetime import timedelta

import pytest

from livinglab import pagecache
from livinglab.clock import lab_today
from livinglab.commitments.models import Commitment, CommitmentStatus, CommitmentTarget, Milestone
from livinglab.extensions import db


def _many(count: int, regencies, indicators, piece, owner) -> None:
    today = lab_today()
    statuses = list(CommitmentStatus)
    for n in range(count):
        commitment = Commitment(
            regency=regencies[n % len(regencies)], owner=owner, title=f"Komitmen massal {n}",
            starts_on=today - timedelta(days=300), due_on=today + timedelta(days=(n % 60) - 30),
            status=statuses[n % len(statuses)], percent=n % 101, source_piece=piece if n % 3 == 0 else None,
            last_update_on=today - timedelta(days=n % 120))
        commitment.targets = [CommitmentTarget(indicator=indicators[n % len(indicators)], baseline_level=1,
                                               target_level=3)]
        commitment.milestones = [Milestone(title="Tonggak", due_on=today - timedelta(days=n % 10))]
        db.session.add(commitment)
    db.session.commit()


@pytest.mark.parametrize("url", ["/commitments", "/coordinator", "/commitments?status=risk_any",
                                 "/coordinator?status=overdue&domain=1"])
def test_page_queries_do_not_grow_with_commitments(app, client, make_user, make_regency, make_indicator, make_piece,
                                                  login_as, count_queries, monkeypatch, url):
    monkeypatch.setitem(app.config, "PER_PAGE", 5)  # both sizes fill more than a page (a short list is not counted)
    regencies = [make_regency() for _ in range(4)]
    indicators = [make_indicator() for _ in range(5)]
    piece, owner = make_piece(), make_user("official", regency=regencies[0])
    login_as(make_user("coordinator"))
    counts = []
    for size in (20, 60):
        _many(size, regencies, indicators, piece, owner)
        client.get(url)
        pagecache.store().clear()  # the queries of rendering the page, not of serving what was kept
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
