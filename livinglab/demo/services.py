"""Loading shipped reference data and the demo content."""

from pathlib import Path

from flask import current_app
from sqlalchemy import select

from livinglab.accounts import services as accounts
from livinglab.accounts.models import Role, User
from livinglab.accounts.queries import find_user_by_email
from livinglab.demo.data import DEMO_ACCOUNTS, DEMO_MEMBERS, DEMO_PASSWORD
from livinglab.demo.comments import load_demo_comments
from livinglab.demo.pieces import load_demo_pieces
from livinglab.extensions import db
from livinglab.indicators.services import load_frameworks
from livinglab.regencies.models import Regency
from livinglab.regencies.services import load_regencies, set_membership


def load_reference_content() -> dict[str, dict[str, int]]:
    """Provinces, regencies and every indicator framework from `content/` (idempotent)."""
    root = Path(current_app.config["CONTENT_DIR"])
    results = {"regencies": load_regencies(root / "regencies")}
    results.update(load_frameworks(root / "frameworks"))
    return results


def load_demo() -> dict[str, int]:
    """Demo memberships, accounts and pieces; running it again changes nothing."""
    counts = {"members": 0, "accounts": 0, "pieces": 0, "comments": 0}
    regencies = {r.code: r for r in db.session.scalars(select(Regency).where(Regency.code.in_([c for c, _ in DEMO_MEMBERS])))}
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
    return counts


def demo_logins() -> list[User]:
    """The demo accounts that exist, in the order they are listed."""
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_([a[0] for a in DEMO_ACCOUNTS])))}
    return [users[a[0]] for a in DEMO_ACCOUNTS if a[0] in users]
