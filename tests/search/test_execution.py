"""The executor matches and ranks exactly as Whoosh's own searcher does, on an index of several segments
with deleted documents: it replaces Whoosh's matchers, so any difference would change what users find."""

import random

import pytest
from whoosh import index as whoosh_index
from whoosh.query import And, Or, Phrase, Term

from livinglab.search import analysis
from livinglab.search.documents import schema
from livinglab.search.execution import Executor

# Common roots (izin, data, pusat, tangan, …) and others (tanda, desa, arsip, warga): phrases of both kinds.
WORDS = ["izin", "data", "layan", "pusat", "aplikasi", "desa", "sistem", "arsip", "rapat", "warga", "tanda", "tangan"]


def _document(number: int, rng: random.Random) -> dict:
    words = rng.choices(WORDS, k=rng.randint(3, 40))
    return {"id": str(number), "title": " ".join(words[:3]), "text": " ".join(words), "pairs": " ".join(words),
            "kind": "practice", "language": "id", "published": number}


def _index(folder, old_pairs: bool = False):
    """Three segments (two batches and an update), some documents deleted or replaced; with `old_pairs`,
    the last document is indexed as with another list of common roots."""
    rng = random.Random(5)
    ix = whoosh_index.create_in(str(folder), schema())
    for batch in (range(0, 150), range(150, 300)):
        writer = ix.writer()
        for number in batch:
            writer.add_document(**_document(number, rng))
        writer.commit(merge=False)
    writer = ix.writer()
    for number in range(0, 300, 7):
        writer.delete_by_term("id", str(number))
    for number in range(3, 300, 11):
        writer.update_document(**_document(number, rng))
    writer.commit(merge=False)
    if old_pairs:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(analysis, "PAIRS_MARKER", "pairs-of-another-list")
            writer = ix.writer()
            writer.update_document(**_document(299, rng))
            writer.commit(merge=False)
    return ix


@pytest.fixture(scope="module", params=["pairs", "positions"])
def searcher(request, tmp_path_factory):
    """The index as built with the current list of common roots, and with one document built otherwise
    (then phrases are checked by positions alone)."""
    ix = _index(tmp_path_factory.mktemp("ix"), old_pairs=request.param == "positions")
    with ix.searcher() as opened:
        assert len(opened.leaf_searchers()) > 1
        assert Executor(opened, ("kind",)).pairs_ready() is (request.param == "pairs")
        yield opened


QUERIES = [
    Term("text", "izin"),
    Term("text", "tidak-ada"),
    And([Term("text", "data"), Term("title", "pusat")]),
    Or([Term("title", "arsip"), Term("text", "rapat")]),
    Phrase("text", ["tanda", "tangan"]),
    Phrase("text", ["data", "data"]),
    Phrase("text", ["pusat", "data", "desa"]),
    Or([Phrase("title", ["izin", "data"]), Phrase("text", ["izin", "data"])]),
    And([Phrase("text", ["sistem", "arsip"]), Or([Term("text", "warga"), Term("title", "desa")])]),
    Or([Term("text", "izin"), Or([Term("text", "desa"), Term("title", "warga")], boost=0.3)]),
    Or([Term("text", "arsip", boost=2.0), Phrase("text", ["izin", "data"], boost=0.5)]),
]


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_matches_and_order_are_whooshs(searcher, query):
    run = Executor(searcher, ("kind",))
    expected = sorted(searcher.docs_for_query(query))
    bits = run.match(query)
    assert [d for d in range(searcher.doc_count_all()) if bits >> d & 1] == expected
    assert run.top(query, bits, 25) == [hit.docnum for hit in searcher.search(query, limit=25)]


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_order_among_some_documents_is_whooshs_too(searcher, query):
    """Ranking only some of the matches (a filter, or partial matches) keeps Whoosh's scores and order."""
    run = Executor(searcher, ("kind",))
    even = sum(1 << d for d in range(0, searcher.doc_count_all(), 2))
    ranked = [hit.docnum for hit in searcher.search(query, limit=None) if hit.docnum % 2 == 0][:25]
    assert run.top(query, run.match(query) & even, 25) == ranked


def test_a_phrase_needs_its_words_next_to_each_other_and_in_order(searcher):
    run = Executor(searcher, ("kind",))
    forward, backward = Phrase("text", ["tanda", "tangan"]), Phrase("text", ["tangan", "tanda"])
    both = run.match(And([Term("text", "tanda"), Term("text", "tangan")]))
    assert run.match(forward) and run.match(forward) != run.match(backward)
    assert run.match(forward) | both == both and run.match(forward) != both
