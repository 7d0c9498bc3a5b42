"""`flask accounts create`."""

from sqlalchemy import select

from livinglab.accounts.models import User
from livinglab.extensions import db
from livinglab.roles import Role


def test_create_official_non_interactively(runner, make_regency):
    regency = make_regency()
    result = runner.invoke(args=["accounts", "create", "Ayu@Example.org", "--name", "Ayu Lestari", "--role", "official",
                                 "--regency", regency.code, "--password", "gudeg-jogja-manis"])
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).filter_by(email="ayu@example.org")).one()
    assert user.role is Role.OFFICIAL and user.regency_code == regency.code


def test_create_refuses_weak_password_unknown_regency_and_official_without_regency(runner):
    result = runner.invoke(args=["accounts", "create", "a@example.org", "--name", "A", "--password", "123"])
    assert result.exit_code != 0 and "10" in result.output
    result = runner.invoke(args=["accounts", "create", "a@example.org", "--name", "A", "--role", "official",
                                 "--regency", "0000", "--password", "gudeg-jogja-manis"])
    assert result.exit_code != 0 and "0000" in result.output
    result = runner.invoke(args=["accounts", "create", "a@example.org", "--name", "A", "--role", "official",
                                 "--password", "gudeg-jogja-manis"])
    assert result.exit_code != 0
    assert db.session.scalars(select(User)).first() is None
