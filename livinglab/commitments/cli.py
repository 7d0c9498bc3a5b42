"""`flask commitments remind`: reminders for cron, safe to run twice."""

from pathlib import Path

import click
from flask.cli import AppGroup

from livinglab.audit.services import record_event
from livinglab.commitments.models import lab_today
from livinglab.commitments.outcomes import judge, judge_all
from livinglab.commitments.reminders import send_reminders
from livinglab.evaluations import services as evaluations
from livinglab.extensions import db
from livinglab.sheets import SheetError

cli = AppGroup("commitments", help="Commitments.")


@cli.command("remind")
def remind() -> None:
    """Notify owners and followers of milestones due within 7 days and of overdue commitments (cron: daily)."""
    milestones, late = send_reminders(lab_today())
    db.session.commit()
    click.echo(f"Reminders: {milestones} milestones due soon, {late} overdue commitments.")


@cli.command("judge")
def judge_command() -> None:
    """Judge every commitment again against the stored official scores of its due year."""
    changed = judge_all()
    db.session.commit()
    click.echo(f"Outcomes changed: {changed}.")


scores_cli = AppGroup("evaluations", help="Official SPBE results.")


@scores_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", required=True, help="Where the results come from (kept in the audit log).")
@click.option("--dry-run", is_flag=True, help="Check and report, store nothing.")
def import_scores(path: str, source: str, dry_run: bool) -> None:
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
    stored = evaluations.apply_rows(checked.rows, None, source)
    record_event("evaluations.imported", "evaluations", Path(path).name[:40], source=source[:300],
                 added=checked.count("new"), changed=checked.count("changed"))
    judged = judge(stored)
    db.session.commit()
    click.echo(f"Imported: {summary}; {len(judged)} commitments judged.")
