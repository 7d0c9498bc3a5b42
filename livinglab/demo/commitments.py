"""Loading the demo commitments from `content/demo/commitments.toml`, replayed in date order."""

import tomllib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.accounts.queries import find_user_by_email
from livinglab.clock import lab_today
from livinglab.commitments import services
from livinglab.commitments.models import Commitment, CommitmentStatus, Milestone
from livinglab.demo.pieces import demo_pieces_by_key
from livinglab.extensions import db
from livinglab.indicators.queries import default_framework
from livinglab.roles import Role

MORNING_WIB = time(2, 0, tzinfo=UTC)  # 09:00 in Jakarta
COORDINATOR = "koordinator@livinglab.example.org"


def _official(regency_code: str) -> User:
    """The regency's demo official: the demo account if there is one, else the first piece author."""
    query = select(User).where(User.regency_code == regency_code, User.role == Role.OFFICIAL).order_by(User.id)
    return db.session.scalars(query).first()


def _moment(day: date, hours: int = 0) -> datetime:
    return datetime.combine(day, MORNING_WIB) + timedelta(hours=hours)


def _replay(commitment: Commitment, item: dict, owner: User, coordinator: User, today: date) -> None:
    """Status changes and progress updates in the order they happened."""
    events = [(s["days_ago"], 0, s) for s in item.get("status", [])]
    events += [(u["days_ago"], 1, u) for u in item.get("update", [])]
    for days_ago, kind, event in sorted(events, key=lambda e: (-e[0], e[1])):
        day = today - timedelta(days=days_ago)
        if kind == 0:
            actor = coordinator if event.get("by") == "coordinator" else owner
            # The demo's officials confirm what they mark achieved, as the form asks them to.
            services.change_status(commitment, actor, CommitmentStatus(event["to"]), event["comment"],
                                   at=_moment(day, 1), confirm_gaps=True)
        else:
            services.record_progress(commitment, owner, event["text"].strip(), event["percent"], day,
                                     event.get("evidence_url", ""), at=_moment(day, 2))


def _starts_on(item: dict, today: date) -> date:
    """`start_days_ago` from today, or `start_two_years_ago = "MM-DD"`: that day two years ago, so that a
    commitment judged on last year's results also ran through the year before (the impact page's baseline)."""
    if "start_two_years_ago" in item:
        month, day = (int(part) for part in item["start_two_years_ago"].split("-"))
        return date(today.year - 2, month, day)
    return today - timedelta(days=item["start_days_ago"])


def _due_on(item: dict, today: date) -> date:
    """`due_in_days` from today, or `due_last_year = "MM-DD"`: that day of last year, the latest year the
    synthetic results cover, so the commitment is judged whatever day the demo is loaded."""
    if "due_last_year" in item:
        month, day = (int(part) for part in item["due_last_year"].split("-"))
        return date(today.year - 1, month, day)
    return today + timedelta(days=item["due_in_days"])


def load_demo_commitment(item: dict, pieces: dict, codes_to_ids: dict[str, int], coordinator: User,
                         today: date) -> Commitment | None:
    """One demo commitment with its milestones and history; None if it exists already."""
    exists = select(Commitment.id).where(Commitment.is_demo, Commitment.regency_code == item["regency"],
                                         Commitment.title == item["title"])
    if db.session.scalar(exists):
        return None
    owner = _official(item["regency"])
    starts_on = _starts_on(item, today)
    source = pieces.get(item.get("source", ""))
    data = services.CommitmentInput(
        title=item["title"], description=item["description"].strip(), starts_on=starts_on,
        due_on=_due_on(item, today), owner_id=owner.id,
        source_piece_id=source.id if source else None,
        targets=[services.TargetInput(codes_to_ids[t["indicator"]], t["baseline"], t["target"])
                 for t in item["targets"]])
    try:
        commitment = services.create_commitment(owner, data, at=_moment(min(starts_on, today) - timedelta(days=3)))
    except services.CommitmentError:  # real results stored before the demo can contradict its story: skip it
        return None
    commitment.is_demo = True
    for milestone in item.get("milestone", []):
        done = milestone.get("done_days_ago")
        commitment.milestones.append(Milestone(
            title=milestone["title"], due_on=today - timedelta(days=milestone["due_days_ago"]),
            done_on=today - timedelta(days=done) if done is not None else None))
    _replay(commitment, item, owner, coordinator, today)
    db.session.flush()
    return commitment


def load_demo_commitments(path: Path, pieces_folder: Path) -> int:
    """Load every demo commitment that is not there yet; returns how many were created."""
    today = lab_today()
    pieces = demo_pieces_by_key(pieces_folder)
    codes_to_ids = {i.code: i.id for i in default_framework().indicators}
    coordinator = find_user_by_email(COORDINATOR)
    items = tomllib.loads(path.read_text(encoding="utf-8"))["commitment"]
    return sum(load_demo_commitment(item, pieces, codes_to_ids, coordinator, today) is not None for item in items)
