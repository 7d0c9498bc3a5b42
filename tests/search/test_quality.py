"""The judged query set keeps search quality from regressing: recall@3 overall and per category.

Each row of judged_queries.csv (query, category, accepted, note) names the demo pieces (file names without
.md, `;`-separated) a person would accept; a query counts as found when one of them is in the top 3.
`make eval-search` prints the same measure with MRR and the misses.
"""

import csv
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from livinglab.demo.services import load_demo
from livinglab.extensions import db
from livinglab.search.query import SearchFilters, search_pieces

HERE = Path(__file__).parent
PIECES = HERE.parents[1] / "content" / "demo" / "pieces"
QUERIES = list(csv.DictReader((HERE / "judged_queries.csv").read_text(encoding="utf-8").splitlines()))
CATEGORIES = {"morphology", "acronym", "cross-language", "spelling", "typo", "partial", "long-question"}
OVERALL, PER_CATEGORY = 0.95, 0.85  # the floor; KNOWN_MISSES below is the bar actually held
# The only misses today, each an engine limit written up in the README: "satu" is an Indonesian stop word,
# and "IT" an English one. Any other miss is a regression, whatever the percentages say.
KNOWN_MISSES = {"Satu Data Kabupaten Bone", "layanan bantuan tik untuk opd"}


def _title(key: str) -> str:
    return tomllib.loads((PIECES / f"{key}.md").read_text(encoding="utf-8").split("+++")[1])["title"]


@pytest.fixture
def demo(content):
    load_demo()
    db.session.commit()


def test_the_judged_set_is_well_formed():
    assert len(QUERIES) >= 170 and set(QUERIES[0]) == {"query", "category", "accepted", "note"}
    assert {row["category"] for row in QUERIES} == CATEGORIES
    for row in QUERIES:
        for key in row["accepted"].split(";"):
            assert (PIECES / f"{key.strip()}.md").exists(), (row["query"], key)


def test_recall_at_3_over_the_judged_set(demo, capsys):
    found, misses = defaultdict(list), []
    for row in QUERIES:
        top = [hit.piece.title for hit in search_pieces(row["query"], SearchFilters()).hits[:3]]
        hit = bool({_title(key.strip()) for key in row["accepted"].split(";")} & set(top))
        found[row["category"]].append(hit)
        if not hit:
            misses.append((row["category"], row["query"], top))
    recall = {category: sum(hits) / len(hits) for category, hits in found.items()}
    overall = sum(sum(hits) for hits in found.values()) / len(QUERIES)
    with capsys.disabled():
        print(f"\nrecall@3 = {overall:.3f} over {len(QUERIES)} judged queries; per category {recall}; misses {misses}")
    assert overall >= OVERALL
    assert {query for _, query, _ in misses} <= KNOWN_MISSES, misses
    assert all(value >= PER_CATEGORY for value in recall.values()), recall
