"""`flask accounts ...`: create accounts without the web interface."""

import click
from flask.cli import AppGroup

from livinglab.accounts import services
from livinglab.extensions import db
from livinglab.regencies.queries import find_regency
from livinglab.roles import Role

cli = AppGroup("accounts", help="Manage user accounts.")


@cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.PEER.value, show_default=True)
@click.option("--regency", "regency_code", help="Regency code (required for officials), e.g. 3211.")
@click.option("--password", required=True, help="At least PASSWORD_MIN_LENGTH characters, not a common password.")
@click.option("--locale", type=click.Choice(["id", "en"]), default="id", show_default=True)
def create(email: str, name: str, role: str, regency_code: str | None, password: str, locale: str) -> None:
    """Create an account with the given role, non-interactively."""
    if regency_code and find_regency(regency_code) is None:
        raise click.BadParameter(f"unknown regency code {regency_code!r}", param_hint="--regency")
    try:
        user = services.register_user(email, name, password, locale=locale, regency_code=regency_code)
        services.change_role(user, Role(role), regency_code, by=None)
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")
