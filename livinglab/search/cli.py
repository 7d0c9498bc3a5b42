"""`flask search rebuild|sync|check`: keep the index equal to the database; `common-roots` lists the roots
phrases are indexed in pairs of (see analysis.CommonPairFilter)."""

import sys

import click
from flask.cli import AppGroup

from livinglab.extensions import db
from livinglab.search import index

cli = AppGroup("search", help="The search index.")


@cli.command("rebuild")
def rebuild() -> None:
    """Recreate the whole index from the database (a progress bar on a terminal, percentage lines in a log)."""
    total = len(index.published_ids())
    if sys.stdout.isatty():
        with click.progressbar(length=total, label="Indexing published pieces") as bar:
            count = index.rebuild(progress=bar.update)
    else:
        done = 0

        def report(batch: int) -> None:
            nonlocal done
            done += batch
            click.echo(f"Indexed {done}/{total} pieces ({done * 100 // max(total, 1)}%)")

        count = index.rebuild(progress=report)
    click.echo(f"Index rebuilt: {count} pieces.")


@cli.command("sync")
def sync() -> None:
    """Index everything queued, then queue and index any drift found."""
    handled = index.drain_all()
    missing, extra = index.drift()
    if missing or extra:
        index.enqueue(missing | extra)
        db.session.commit()
        handled += index.drain_all()
    missing, extra = index.drift()
    click.echo(f"Synced: {handled} queue rows handled; {len(missing)} missing, {len(extra)} extra remain.")
    if missing or extra:
        sys.exit(1)


@cli.command("check")
def check() -> None:
    """List ids missing from or extra in the index; exit 1 on drift."""
    missing, extra = index.drift()
    click.echo(f"Missing from the index: {sorted(missing) or 'none'}")
    click.echo(f"Extra in the index: {sorted(extra) or 'none'}")
    click.echo(f"Queue length: {index.queue_length()}")
    if missing or extra:
        sys.exit(1)


@cli.command("common-roots")
@click.option("--count", default=200, show_default=True, help="How many roots to list.")
def common_roots(count: int) -> None:
    """Print the roots in the most pieces, one per line: a new content/search/common_roots.txt (then rebuild)."""
    reader = index.searcher().reader()
    frequencies = [(info.doc_frequency(), term.decode("utf-8")) for term, info in reader.iter_field("text")]
    for _, root in sorted(frequencies, key=lambda pair: (-pair[0], pair[1]))[:count]:
        click.echo(root)
