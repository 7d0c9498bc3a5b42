"""`flask content load|rerender` and `flask demo load|logins`."""

import click
from flask.cli import AppGroup

from livinglab.comments.services import rerender_stale_comments
from livinglab.demo.data import DEMO_PASSWORD
from livinglab.demo.services import demo_logins, load_demo, load_reference_content
from livinglab.extensions import db
from livinglab.pieces.services import rerender_stale_pieces

content_cli = AppGroup("content", help="Shipped reference data.")
demo_cli = AppGroup("demo", help="Demo content (invented, labelled as demo).")


@content_cli.command("load")
def load_content() -> None:
    """Load regencies and indicator frameworks from content/ (idempotent)."""
    results = load_reference_content()
    db.session.commit()
    summary = ", ".join(f"{name}: {c['created']} new, {c['updated']} updated" for name, c in results.items())
    click.echo(f"Content loaded ({summary}).")


@content_cli.command("rerender")
def rerender() -> None:
    """Store again the HTML of every piece and comment rendered by another Markdown renderer (after an upgrade)."""
    pieces = rerender_stale_pieces()
    comments = rerender_stale_comments()
    db.session.commit()
    click.echo(f"Rendered again: {pieces} pieces, {comments} comments.")


@demo_cli.command("load")
def load() -> None:
    """Load demo memberships and accounts (run `content load` first; idempotent)."""
    counts = load_demo()
    db.session.commit()
    click.echo(
        f"Demo loaded: {counts['members']} new member regencies, {counts['accounts']} new accounts, "
        f"{counts['pieces']} new pieces, {counts['comments']} new comments, {counts['commitments']} new commitments, "
        f"{counts['evaluations']} new synthetic evaluations."
    )


@demo_cli.command("logins")
def logins() -> None:
    """Print the demo accounts and their shared password."""
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for user in demo_logins():
        where = f", {user.regency.name}" if user.regency else ""
        click.echo(f"  {user.role.value:<12} {user.email}{where}")
