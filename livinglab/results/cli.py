"""`flask evaluations import FILE --source TEXT` and `flask evaluations judge`."""

from pathlib import Path

import click
from flask.cli import AppGroup

from livinglab.clock import lab_today
from livinglab.evaluations import services as evaluations
from livinglab.extensions import db
from livinglab.results.judging import judge_all
from livinglab.results.services import import_results
from livinglab.sheets import SheetError

cli = AppGroup("evaluations", help="Official SPBE results.")


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", required=True, help="Where the results come from (kept with the import).")
@click.option("--dry-run", is_flag=True, help="Check and report, store nothing.")
def import_command(path: str, source: str, dry_run: bool) -> None:
    """Import official results from a CSV or XLSX sheet (all or nothing), then judge the commitments due."""
    try:
        checked = evaluations.read_sheet(path, Path(path).read_bytes(), lab_today().year)
    except SheetError as error:
        raise click.ClickException(error.message) from error
    if checked.problems:
        for problem in checked.problems:
            click.echo(f"row {problem.line}, {problem.column or '-'}: {problem.message}", err=True)
        raise click.ClickException(f"{len(checked.problems)} problems; nothing imported.")
    summary = (f"{checked.count('new')} new, {checked.count('changed')} changed, "
               f"{checked.count('unchanged')} unchanged")
    if dry_run:
        click.echo(f"Dry run: {summary}; nothing stored.")
        return
    done = import_results(checked.rows, None, source, Path(path).name)
    db.session.commit()
    click.echo(f"Imported: {summary}; {len(done.judged)} commitments judged.")


@cli.command("judge")
def judge_command() -> None:
    """Judge every commitment again from the stored results of its due year (e.g. after loading a crosswalk)."""
    stored = judge_all()
    db.session.commit()
    click.echo(f"Judgements stored: {stored}.")
