"""`flask indicators ...`: load indicator frameworks."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from livinglab.extensions import db
from livinglab.indicators.services import FrameworkFileError, load_framework, load_frameworks

cli = AppGroup("indicators", help="SPBE indicator frameworks.")


@cli.command("load")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def load(folder: Path | None) -> None:
    """Load every framework under content/frameworks/, or only FOLDER (idempotent)."""
    try:
        if folder:
            framework, counts = load_framework(folder)
            results = {framework.code: counts}
        else:
            results = load_frameworks(Path(current_app.config["CONTENT_DIR"]) / "frameworks")
    except (FrameworkFileError, KeyError, ValueError) as error:
        raise click.ClickException(f"framework file problem: {error}") from error
    db.session.commit()
    for code, counts in results.items():
        click.echo("Framework {code}: {created} indicators created, {updated} updated, {unchanged} unchanged.".format(
            code=code, **counts))
