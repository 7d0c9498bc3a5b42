"""`flask commitments remind`: reminders for cron, safe to run twice."""

import click
from flask.cli import AppGroup

from livinglab.clock import lab_today
from livinglab.commitments.reminders import send_reminders
from livinglab.extensions import db

cli = AppGroup("commitments", help="Commitments.")


@cli.command("remind")
def remind() -> None:
    """Notify owners and followers of milestones due soon (REMINDER_DAYS_AHEAD) and of overdue commitments (daily)."""
    milestones, late = send_reminders(lab_today())
    db.session.commit()
    click.echo(f"Reminders: {milestones} milestones due soon, {late} overdue commitments.")
