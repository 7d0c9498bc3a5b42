"""Search quality on the judged query set: recall@3 and MRR per category. Run: make eval-search.

Loads the shipped content and the demo pieces into a temporary SQLite database and search index, runs
every query of `tests/search/judged_queries.csv` (query, category, accepted, note; accepted = `;`-separated
demo piece keys) through `search_pieces`, and prints a Markdown table plus the misses.
"""

import argparse
import csv
import sys
import tempfile
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from livinglab import create_app  # noqa: E402
from livinglab.demo.services import load_demo, load_reference_content  # noqa: E402
from livinglab.extensions import db  # noqa: E402
from livinglab.pieces.models import Piece  # noqa: E402
from livinglab.search import index  # noqa: E402
from livinglab.search.query import SearchFilters, search_pieces  # noqa: E402

JUDGED = ROOT / "tests" / "search" / "judged_queries.csv"
TOP = 10


@dataclass
class Outcome:
    query: str
    category: str
    accepted: set[str]
    ranked: list[str]  # piece keys of the first TOP hits

    @property
    def rank(self) -> int | None:
        """1-based rank of the first accepted piece in the top TOP, or None."""
        return next((n for n, key in enumerate(self.ranked, 1) if key in self.accepted), None)


def read_judged(path: Path = JUDGED) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def judge(rows: list[dict], keys: dict[int, str]) -> list[Outcome]:
    """Each judged query's outcome; `keys` maps piece ids to demo piece keys."""
    outcomes = []
    for row in rows:
        hits = search_pieces(row["query"], SearchFilters(), per_page=TOP).hits[:TOP]
        accepted = {key.strip() for key in row["accepted"].split(";") if key.strip()}
        outcomes.append(Outcome(row["query"], row["category"], accepted, [keys.get(h.piece.id, "?") for h in hits]))
    return outcomes


def scores(outcomes: list[Outcome]) -> tuple[float, float]:
    """(recall@3, MRR over the top TOP)."""
    if not outcomes:
        return 0.0, 0.0
    recall = sum(1 for o in outcomes if o.rank and o.rank <= 3) / len(outcomes)
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes)
    return recall, mrr


def by_category(outcomes: list[Outcome]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.category].append(outcome)
    return dict(sorted(groups.items()))


def report(outcomes: list[Outcome]) -> str:
    lines = ["| category | queries | recall@3 | MRR@10 |", "|---|---:|---:|---:|"]
    for name, group in [*by_category(outcomes).items(), ("**overall**", outcomes)]:
        recall, mrr = scores(group)
        lines.append(f"| {name} | {len(group)} | {recall:.3f} | {mrr:.3f} |")
    misses = [o for o in outcomes if not (o.rank and o.rank <= 3)]
    lines += ["", f"Misses (accepted piece not in the top 3): {len(misses)}", ""]
    lines += [f"- [{o.category}] `{o.query}` → rank {o.rank or '>10'}; expected {', '.join(sorted(o.accepted))}; "
              f"top 3: {', '.join(o.ranked[:3]) or '(nothing)'}" for o in misses]
    return "\n".join(lines)


def demo_keys() -> dict[int, str]:
    """Piece id → demo piece key (file name without .md), matched by title."""
    titles = {}
    for path in (ROOT / "content" / "demo" / "pieces").glob("*.md"):
        front = path.read_text(encoding="utf-8").split("+++")[1]
        titles[tomllib.loads(front)["title"]] = path.stem
    return {piece.id: titles.get(piece.title, "?") for piece in db.session.scalars(db.select(Piece))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judged", type=Path, default=JUDGED)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eval-search-") as folder:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/eval.db", "SEARCH_INDEX_DIR": f"{folder}/index",
            "UPLOAD_DIR": f"{folder}/uploads", "SEARCH_DRAIN": "inline", "TESTING": True,
            "SECRET_KEY": "eval-search-only", "RATELIMIT_STORAGE_URI": "memory://",
        })
        with app.app_context():
            db.create_all()
            load_reference_content()
            load_demo()
            db.session.commit()
            index.rebuild()
            print(report(judge(read_judged(args.judged), demo_keys())))
            index.forget_searchers()
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
