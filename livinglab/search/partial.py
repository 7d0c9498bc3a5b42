"""Partial matches: when all the words find less than a page, pieces that match some of them follow.

Candidates are the best PARTIAL_CANDIDATES pieces (by relevance) that match any part of the query and
not all of it; each is ranked by its coverage, the summed weight of the parts it matches, where a
part's weight grows with its rarity (inverse document frequency), so a piece with the rare word beats
one with the common word, and more words beat fewer. Words that look misspelt (a part that matches
nothing or almost nothing) are widened to more common neighbours in the index vocabulary (at most MAX_FUZZY
words, MAX_NEIGHBOURS neighbours each), so a typo still finds pieces when a query has few results, not only none.
"""

import math
from dataclasses import dataclass

from whoosh.query import Or, Query, Term

from livinglab.search.planner import MAX_FUZZY

PARTIAL_CANDIDATES = 200
MAX_NEIGHBOURS = 8
RARE = 2


@dataclass
class Partial:
    """A piece matching some parts of a query: which typed words it matches and which it lacks."""

    docnum: int
    matched: list[str]
    missing: list[str]


def _frequency(searcher, query: Query) -> int:
    return max((searcher.doc_frequency(name, text) for name, text in query.iter_all_terms()), default=0)


def _neighbours(searcher, word: str) -> list[str]:
    """Indexed words one or two edits from `word` that are more common than it (at most MAX_NEIGHBOURS)."""
    own = searcher.doc_frequency("words", word)
    near = searcher.reader().terms_within("words", word, 2 if len(word) > 6 else 1, prefix=1)
    common = [term for term in near if term != word and searcher.doc_frequency("words", term) > 2 * own]
    return sorted(common, key=lambda term: -searcher.doc_frequency("words", term))[:MAX_NEIGHBOURS]


def widen(searcher, found: list[tuple[Query, list[str]]]) -> list[tuple[Query, list[str]]]:
    """The parts, each word that looks misspelt widened to similar, more common indexed words.

    A word looks misspelt when its part matches at most RARE pieces (a typo may also sit in a piece or
    two); at most MAX_FUZZY words are widened, because each lookup walks the vocabulary."""
    widened, budget = [], MAX_FUZZY
    for query, words in found:
        word = words[0].lower() if len(words) == 1 else ""
        if budget and len(word) >= 4 and word.isalpha() and _frequency(searcher, query) <= RARE:
            budget -= 1
            near = _neighbours(searcher, word)
            if near:
                query = Or([query, *(Term("words", term) for term in near)])
        widened.append((query, words))
    return widened


def _members(searcher, query: Query, docnums: list[int]) -> set[int]:
    """Which of `docnums` match `query`, skipping through its postings (never reading all of them)."""
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        local = sorted(d - offset for d in docnums if offset <= d < offset + leaf.doc_count_all())
        matcher = query.matcher(leaf) if local else None
        for docnum in local:
            if matcher is None or not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                found.add(docnum + offset)
    return found


def partial_matches(searcher, found: list[tuple[Query, list[str]]], allow: Query | None,
                    exclude: set[int]) -> list[Partial]:
    """Pieces matching some parts (not those in `exclude`, within the `allow` filter), best coverage first."""
    if not found:
        return []
    total = max(1, searcher.doc_count_all())
    weights = [math.log(1 + total / (1 + _frequency(searcher, query))) for query, _ in found]
    results = searcher.search(Or([query for query, _ in found]), filter=allow, mask=exclude or None,
                              limit=PARTIAL_CANDIDATES)
    relevance = {hit.docnum: hit.score for hit in results}
    matching = [_members(searcher, query, list(relevance)) for query, _ in found]
    ranked = []
    for docnum, score in relevance.items():
        covered = [n for n in range(len(found)) if docnum in matching[n]]
        coverage = sum(weights[n] for n in covered)
        matched = [w for n in covered for w in found[n][1]]
        missing = [w for n in range(len(found)) if n not in covered for w in found[n][1]]
        ranked.append((-coverage, -score, docnum, Partial(docnum, matched, missing)))
    ranked.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in ranked]
