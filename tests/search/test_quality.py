"""The judged query set: for each query, the piece a person would expect is in the top 3."""

import csv
import tomllib
from pathlib import Path

import pytest

from livinglab.demo.services import load_demo
from livinglab.extensions import db
from livinglab.search.query import SearchFilters, search_pieces

HERE = Path(__file__).parent
PIECES = HERE.parents[1] / "content" / "demo" / "pieces"
QUERIES = list(csv.DictReader((HERE / "judged_queries.csv").read_text(encoding="utf-8").splitlines()))


def _title(key: str) -> str:
    return tomllib.loads((PIECES / f"{key}.md").read_text(encoding="utf-8").split("+++")[1])["title"]


@pytest.fixture
def demo(content):
    load_demo()
    db.session.commit()


def test_recall_at_3_over_the_judged_set(demo, capsys):
    misses = []
    for row in QUERIES:
        top = [hit.piece.title for hit in search_pieces(row["query"], SearchFilters()).hits[:3]]
        if _title(row["expected"]) not in top:
            misses.append((row["query"], row["what it exercises"], top))
    recall = 1 - len(misses) / len(QUERIES)
    with capsys.disabled():
        print(f"\nrecall@3 = {recall:.3f} over {len(QUERIES)} judged queries; misses: {misses}")
    assert len(QUERIES) >= 40
    assert misses == []
