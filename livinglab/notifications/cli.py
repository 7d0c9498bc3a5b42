"""`flask notifications send|send-digests`: e-mail unread notifications; safe to run twice, made for cron."""

import click
from flask.cli import AppGroup

from livinglab.notifications import services

cli = AppGroup("notifications", help="Notification e-mails.")


@cli.command("send")
def send() -> None:
    """E-mail each pending notification to users who want them immediately (cron: every few minutes)."""
    click.echo(f"Sent {services.send_immediate()} notification e-mails.")


@cli.command("send-digests")
def send_digests() -> None:
    """E-mail one digest to each user who wants a daily e-mail (cron: once a day)."""
    click.echo(f"Sent {services.send_digests()} digests.")
