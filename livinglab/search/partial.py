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

from whoosh.query import Or, Query

from livinglab.search.execution import Executor
from livinglab.search.planner import MAX_FUZZY, estimated_pieces, similar_words, spelled_like

PARTIAL_CANDIDATES = 200
MAX_NEIGHBOURS = 8
RARE = 2
MIN_WEIGHT = 0.1
SIMILAR_SHARE = 0.5  # a part matched only through similar spellings counts half
SIMILAR_BOOST = 0.3


@dataclass
class Part:
    """One part of a query for partial matching: its exact query, its words, and any similar spellings."""

    query: Query
    words: list[str]
    similar: Query | None = None

    def widest(self) -> Query:
        return self.query if self.similar is None else Or([self.query, self.similar])


@dataclass
class Partial:
    """A piece matching some parts of a query: which typed words it matches and which it lacks."""

    docnum: int
    matched: list[str]
    missing: list[str]


def _frequency(searcher, query: Query) -> int:
    """About how many pieces match `query` (the planner's estimate, from document frequencies)."""
    return estimated_pieces(query, lambda term: searcher.doc_frequency(term.fieldname, term.text))


def _weight(frequency: int, total: int) -> float:
    """The weight of a matched part: BM25's inverse document frequency, so a word in half the pieces or
    more counts next to nothing and a rare word counts most (never quite nothing, so more words win ties)."""
    return max(MIN_WEIGHT, math.log((total - frequency + 0.5) / (frequency + 0.5)))


def _neighbours(searcher, word: str) -> list[str]:
    """Indexed words one or two edits from `word` that are more common than it (at most MAX_NEIGHBOURS)."""
    own = searcher.doc_frequency("words", word)
    near = similar_words(searcher.reader(), word)
    common = [term for term in near if term != word and searcher.doc_frequency("words", term) > 2 * own]
    return sorted(common, key=lambda term: -searcher.doc_frequency("words", term))[:MAX_NEIGHBOURS]


def widen(searcher, found: list[tuple[Query, list[str]]], corrections: dict[str, Query] | None = None) -> list[Part]:
    """The parts, each word that looks misspelt with similar, more common indexed words (and with its
    "did you mean" correction, from `corrections`).

    A word looks misspelt when its part matches at most RARE pieces (a typo may also sit in a piece or
    two); at most MAX_FUZZY words are widened, because each lookup walks the vocabulary."""
    parts, budget, corrections = [], MAX_FUZZY, corrections or {}
    for query, words in found:
        word = words[0].lower() if len(words) == 1 else ""
        similar = [corrections[word]] if word in corrections else []
        if budget and len(word) >= 4 and word.isalpha() and _frequency(searcher, query) <= RARE:
            budget -= 1
            similar += [spelled_like(term) for term in _neighbours(searcher, word)]
        parts.append(Part(query, words, Or(similar, boost=SIMILAR_BOOST) if similar else None))
    return parts


def _coverage(run: Executor, parts: list[Part], docnums: list[int]) -> dict[int, list[float]]:
    """For each candidate, the weight with which it covers each part (0 where it does not)."""
    searcher = run.searcher
    total = max(1, searcher.doc_count_all())
    covers = {docnum: [0.0] * len(parts) for docnum in docnums}
    for n, part in enumerate(parts):
        for query, share in ((part.similar, SIMILAR_SHARE), (part.query, 1.0)):  # an exact match wins
            if query is None:
                continue
            weight, bits = share * _weight(_frequency(searcher, query), total), run.match(query)
            for docnum in docnums:
                if bits >> docnum & 1:
                    covers[docnum][n] = weight
    return covers


def partial_matches(run: Executor, parts: list[Part], allow: int | None, exclude: int) -> list[Partial]:
    """Pieces matching some parts (none of the bitmap `exclude`; only those of `allow` when given), best
    first: by relevance times coverage, so covering more and rarer words lifts a piece, and among pieces
    covering alike the more relevant leads."""
    if not parts:
        return []
    anything = Or([part.widest() for part in parts])
    candidates = run.match(anything) & ~exclude
    if allow is not None:
        candidates &= allow
    relevance = dict(run.best(anything, candidates, PARTIAL_CANDIDATES) or [])
    ranked = []
    for docnum, covers in _coverage(run, parts, list(relevance)).items():
        matched = [w for part, cover in zip(parts, covers, strict=True) if cover for w in part.words]
        missing = [w for part, cover in zip(parts, covers, strict=True) if not cover for w in part.words]
        ranked.append((-sum(covers) * relevance[docnum], docnum, Partial(docnum, matched, missing)))
    ranked.sort(key=lambda entry: entry[:2])
    return [entry[2] for entry in ranked]
