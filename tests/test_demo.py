"""The demo loader: every role, idempotent, labelled as demo."""

from sqlalchemy import func, select

from livinglab.accounts.models import Role, User
from livinglab.demo.services import demo_logins, load_demo
from livinglab.extensions import db
from livinglab.regencies.models import Regency


def test_demo_accounts_cover_every_role_and_loading_twice_changes_nothing(app, content):
    first = load_demo()
    db.session.commit()
    assert first["accounts"] >= 6 and first["members"] >= 20
    users = demo_logins()
    roles = [u.role for u in users]
    assert {Role.ADMIN, Role.COORDINATOR, Role.PEER} <= set(roles)
    officials = [u for u in users if u.role is Role.OFFICIAL]
    assert len({u.regency_code for u in officials}) >= 3
    assert all("(demo)" in u.name for u in users)
    assert all(r.cohort.startswith("Demo") for r in db.session.scalars(select(Regency).where(Regency.is_member)))
    assert load_demo() == {"members": 0, "accounts": 0}
    assert db.session.scalar(select(func.count()).select_from(User)) == len(users)


def test_cli_commands_print_one_summary(runner, app):
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0 and "Content loaded" in result.output
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "Demo loaded" in result.output
    result = runner.invoke(args=["demo", "logins"])
    assert "koordinator@livinglab.example.org" in result.output and "livinglab-demo-2026" in result.output
