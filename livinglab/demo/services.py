"""Loading shipped reference data and the demo content."""

from pathlib import Path

from flask import current_app
from sqlalchemy import and_, or_, select, update

from livinglab.accounts import services as accounts
from livinglab.accounts.models import User
from livinglab.accounts.queries import find_user_by_email
from livinglab.commitments.models import Commitment
from livinglab.demo.comments import load_demo_comments
from livinglab.demo.commitments import load_demo_commitments
from livinglab.demo.data import DEMO_ACCOUNTS, DEMO_MEMBERS, DEMO_PASSWORD
from livinglab.demo.evaluations import load_demo_evaluations
from livinglab.demo.pieces import load_demo_pieces
from livinglab.extensions import db
from livinglab.indicators.services import load_crosswalks, load_frameworks
from livinglab.notifications.models import Notification
from livinglab.pieces.models import Piece
from livinglab.regencies.models import Regency
from livinglab.regencies.services import load_regencies, set_membership
from livinglab.roles import Role


def load_reference_content() -> dict[str, dict[str, int]]:
    """Provinces, regencies and every indicator framework from `content/` (idempotent)."""
    root = Path(current_app.config["CONTENT_DIR"])
    results = {"regencies": load_regencies(root / "regencies")}
    results.update(load_frameworks(root / "frameworks"))
    results["crosswalks"] = load_crosswalks(root / "crosswalks")
    return results


def load_demo() -> dict[str, int]:
    """Demo memberships, accounts and pieces; running it again changes nothing."""
    counts = {"members": 0, "accounts": 0, "pieces": 0, "comments": 0, "commitments": 0, "evaluations": 0}
    regencies = {
        r.code: r for r in db.session.scalars(select(Regency).where(Regency.code.in_([c for c, _ in DEMO_MEMBERS])))
    }
    for code, cohort in DEMO_MEMBERS:
        regency = regencies[code]
        if not regency.is_member:
            set_membership(regency, True, cohort)
            counts["members"] += 1
    for email, name, role, regency_code, locale in DEMO_ACCOUNTS:
        if find_user_by_email(email):
            continue
        user = accounts.register_user(email, name, DEMO_PASSWORD, locale=locale, regency_code=regency_code)
        accounts.change_role(user, Role(role), regency_code, by=None)
        counts["accounts"] += 1
    db.session.flush()
    demo_folder = Path(current_app.config["CONTENT_DIR"]) / "demo"
    counts["pieces"] = load_demo_pieces(demo_folder / "pieces")
    counts["comments"] = load_demo_comments(demo_folder / "comments.toml", demo_folder / "pieces")
    counts["commitments"] = load_demo_commitments(demo_folder / "commitments.toml", demo_folder / "pieces")
    counts["evaluations"] = load_demo_evaluations(demo_folder / "commitments.toml")
    settle_demo_notifications()
    return counts


def demo_logins() -> list[User]:
    """The demo accounts that exist, in the order they are listed."""
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_([a[0] for a in DEMO_ACCOUNTS])))}
    return [users[a[0]] for a in DEMO_ACCOUNTS if a[0] in users]


UNREAD_KEPT = 3  # each demo user finds their newest few notifications unread


def settle_demo_notifications() -> None:
    """Notifications about demo pieces and commitments are history: never e-mailed, and read except
    each user's newest few."""
    demo_pieces = select(Piece.id).where(Piece.is_demo)
    demo_commitments = select(Commitment.id).where(Commitment.is_demo)
    about_demo = or_(and_(Notification.subject_type == "piece", Notification.subject_id.in_(demo_pieces)),
                     and_(Notification.subject_type == "commitment", Notification.subject_id.in_(demo_commitments)))
    db.session.execute(update(Notification).where(about_demo, Notification.emailed_at.is_(None))
                       .values(emailed_at=Notification.created_at))
    newest_first = select(Notification).where(about_demo, Notification.read_at.is_(None)).order_by(
        Notification.user_id, Notification.created_at.desc(), Notification.id.desc())
    seen: dict[int, int] = {}
    for notification in db.session.scalars(newest_first):
        seen[notification.user_id] = seen.get(notification.user_id, 0) + 1
        if seen[notification.user_id] > UNREAD_KEPT:
            notification.read_at = notification.created_at
