"""Full rebuild benchmark: `flask search rebuild` end to end (database reads, documents, indexing) at scale.
Run: make bench-rebuild (SIZES=10000,100000 PROCS=1,2).

Each size gets a fresh SQLite database with the real reference data and synthetic published pieces (the
corpus of search_bench.py: about 450 words drawn from the demo pieces' vocabulary, one or two indicators
each), then the rebuild runs once per number of indexing processes, with the progress callback the command
uses. Reported: seconds, pieces per second, and the peak memory of the rebuilding process and of its
indexing processes.
"""

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402
from search_bench import corpus, vocabulary  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from livinglab import create_app  # noqa: E402
from livinglab.demo.services import load_reference_content  # noqa: E402
from livinglab.extensions import db  # noqa: E402
from livinglab.indicators.queries import default_framework  # noqa: E402
from livinglab.pieces.models import Piece, PieceIndicator, PieceKind, PieceStatus  # noqa: E402
from livinglab.regencies.models import Regency  # noqa: E402
from livinglab.search import index  # noqa: E402

BATCH = 5_000


def seed(size: int, first_id: int = 1, markdown: bool = False) -> None:
    """`size` published synthetic pieces, inserted in bulk with ids from `first_id`; with `markdown`, each
    body has the headings, list and emphasis of a real piece (pages render it; the index does not care)."""
    regencies = list(db.session.scalars(select(Regency.code).order_by(Regency.code)))
    indicators = [i.id for i in default_framework().indicators]
    kinds, start = list(PieceKind), datetime(2021, 1, 1, tzinfo=UTC)
    pieces, targets = [], []
    for number, doc in enumerate(corpus(size, vocabulary()), start=first_id):
        body = markdown_body(doc["body"]) if markdown else doc["body"]
        pieces.append({
            "id": number, "kind": kinds[number % 3], "status": PieceStatus.PUBLISHED, "title": doc["title"][:160],
            "slug": f"bench-{number}", "summary": doc["summary"], "body": body, "language": "id",
            "regency_code": regencies[number % len(regencies)], "is_demo": False,
            "created_at": start + timedelta(minutes=number), "updated_at": start + timedelta(minutes=number),
            "published_at": start + timedelta(minutes=number),
        })
        targets += [{"piece_id": number, "indicator_id": indicators[(number + k) % len(indicators)], "position": k}
                    for k in range(1 + number % 2)]
        if len(pieces) == BATCH:
            db.session.execute(insert(Piece), pieces)
            db.session.execute(insert(PieceIndicator), targets)
            pieces, targets = [], []
    if pieces:
        db.session.execute(insert(Piece), pieces)
        db.session.execute(insert(PieceIndicator), targets)
    db.session.commit()


def markdown_body(text: str) -> str:
    """The words of a synthetic body laid out as officials write pieces: sections, a list, some emphasis."""
    words = text.split()
    third = len(words) // 3
    steps = "\n".join(f"- **{words[third + k]}** {' '.join(words[third + k * 6:third + k * 6 + 6])}" for k in range(5))
    return (f"## Latar belakang\n\n{' '.join(words[:third])}\n\n## Langkah\n\n{steps}\n\n"
            f"## Hasil\n\n{' '.join(words[third + 30:])}")


def bench(size: int, procs: list[int], work: Path) -> list[str]:
    lines = []
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / f'bench-{size}.db'}",
                      "SEARCH_INDEX_DIR": str(work / f"index-{size}"), "SECRET_KEY": "bench", "SEARCH_DRAIN": "off"})
    with app.app_context():
        db.create_all()
        load_reference_content()
        started = time.perf_counter()
        seed(size)
        lines.append(f"\n### {size:,} published pieces (seeded in {time.perf_counter() - started:.0f} s)\n")
        lines.append("| indexing processes | rebuild s | pieces/s |")
        lines.append("|---|---|---|")
        for count in procs:
            app.config["SEARCH_BUILD_PROCS"] = count
            batches: list[int] = []
            started = time.perf_counter()
            indexed = index.rebuild(progress=batches.append)  # as the command's progress bar is fed
            seconds = time.perf_counter() - started
            assert indexed == size == sum(batches), (indexed, size, sum(batches))
            lines.append(f"| {count} | {seconds:.0f} | {size / seconds:,.0f} |")
            print(lines[-1], flush=True)
        index.forget_searchers()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--procs", default="1,2")
    args = parser.parse_args()
    lines = [*report.header("Rebuild benchmark")]
    with tempfile.TemporaryDirectory(prefix="livinglab-rebuild-") as work:
        for size in (int(s) for s in args.sizes.split(",")):
            lines += bench(size, [int(p) for p in args.procs.split(",")], Path(work))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines.append(f"\npeak memory of the rebuilding process (seeding included): {rss:.0f} MB; "
                 f"of the largest indexing process it forked: {child:.0f} MB")
    report.save("rebuild", lines)


if __name__ == "__main__":
    main()
