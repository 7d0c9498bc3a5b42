"""`flask regencies ...`: load provinces and regencies, set membership."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from livinglab.extensions import db
from livinglab.regencies.queries import find_regency
from livinglab.regencies.services import load_regencies, set_membership

cli = AppGroup("regencies", help="Provinces and regencies.")


@cli.command("load")
def load() -> None:
    """Load the 38 provinces and 514 regencies from content/regencies/ (idempotent)."""
    counts = load_regencies(Path(current_app.config["CONTENT_DIR"]) / "regencies")
    db.session.commit()
    click.echo("Regencies: {created} created, {updated} updated, {unchanged} unchanged.".format(**counts))


@cli.command("set-member")
@click.argument("code")
@click.option("--cohort", default=None, help="Cohort name, e.g. 'Angkatan 2026'.")
@click.option("--remove", is_flag=True, help="Remove the regency from the living lab.")
def set_member(code: str, cohort: str | None, remove: bool) -> None:
    """Add a regency to the living lab (or remove it with --remove)."""
    regency = find_regency(code)
    if regency is None:
        raise click.BadParameter(f"unknown regency code {code!r}", param_hint="CODE")
    set_membership(regency, not remove, cohort)
    db.session.commit()
    click.echo(f"{regency.name}: {'member' if regency.is_member else 'not a member'}.")
