"""Executing a planned query without Whoosh's per-document matchers, with the same matches and scores.

Matching works on bitmaps (Python ints, one bit per document): a term's documents are read from its
posting blocks once per searcher and cached, And/Or become & and |, facet counts are popcounts against
one bitmap per facet value. Ranking scores term at a time from the posting blocks with Whoosh's own
BM25F scorers, so the order is the one `searcher.search` gives. Every cache lives on the searcher,
which is replaced when the index changes: a publish shows up in the next search.
"""

import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from heapq import nsmallest
from itertools import accumulate, pairwise
from math import nan as NAN
from pickle import loads  # nosec B403  # posting values of our own index, as Whoosh reads them

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions
from whoosh.matching import FilterMatcher
from whoosh.query import And, Every, Or, Phrase, Query, Term
from whoosh.scoring import BM25FScorer

from livinglab.search import analysis
from livinglab.search.documents import PAIRS

TERM_CACHE = 2_000  # bitmaps kept per searcher: 2,000 of 12.5 kB each at 100,000 documents
SPARSE = 8  # score from the blocks of the wanted documents only when they are under 1/8 of the term's
RECENT_POSTINGS = 48  # decoded posting lists kept: at most 8 bytes per posting, 0.4 MB for the broadest term
_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]


def members(bits: int) -> list[int]:
    """The document numbers set in a bitmap, ascending."""
    out: list[int] = []
    for position, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            base = position * 8
            out.extend(base + bit for bit in _BITS[byte])
    return out


def bitmap(docnums) -> int:
    """The bitmap of some document numbers."""
    docnums = list(docnums)
    if not docnums:
        return 0
    table = bytearray(max(docnums) // 8 + 1)
    for docnum in docnums:
        table[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(table, "little")


def _raw(matcher):
    """The posting-list matcher under Whoosh's deletion filter (deleted documents are masked out later)."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    return matcher


def _blocks(leaf, fieldname: str, text: str, values: bool = False, wanted: list[int] | None = None):
    """(ids, weights, values) of a term's postings in one segment, a block at a time; the encoded values
    (positions, in a field that keeps them) only when asked for, else None. With `wanted` (sorted segment
    document numbers), blocks holding none of them are skipped unread (a block header gives its last id)."""
    reader = leaf.reader()
    if (fieldname, text) not in reader:
        return
    matcher = _raw(reader.postings(fieldname, text))
    if isinstance(matcher, W3LeafMatcher):
        next_wanted = 0
        while matcher.is_active():
            if wanted is not None:
                if next_wanted == len(wanted):
                    return
                if matcher._maxid < wanted[next_wanted]:  # none of the wanted documents in this block
                    matcher._next_block()
                    continue
                next_wanted = bisect_right(wanted, matcher._maxid, next_wanted)
            matcher._read_ids()
            matcher._read_weights()
            if values:
                matcher._read_values()
            yield matcher._ids, matcher._weights, matcher._values if values else None
            matcher._next_block()
        return
    ids, weights, encoded = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        encoded.append(matcher.value() if values else None)
        matcher.next()
    yield ids, weights, encoded if values else None


def _positions(value: bytes) -> list[int]:
    """The positions in a posting value of Whoosh's Positions format: a 4-byte count, then the pickled
    list of gaps (Positions.decode_positions does the same in a Python loop)."""
    return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))  # nosec B301  # our own index files


def _decoder(posting_format):
    return _positions if type(posting_format) is Positions else posting_format.decode_positions


def _adjacent(positions: list[list[int]]) -> bool:
    """Whether the words occur one right after another: a start p with word k at p + k for every k."""
    starts = set(positions[0])
    for shift, later in enumerate(positions[1:], start=1):
        starts &= {p - shift for p in later}
        if not starts:
            return False
    return True


class Executor:
    """Bitmaps, lengths and facet masks of one searcher."""

    def __init__(self, searcher, facets: tuple[str, ...]) -> None:
        self.searcher = searcher
        self.leaves = searcher.leaf_searchers()
        self.live = bitmap(searcher.reader().all_doc_ids())
        self.facet_names = facets
        self._terms: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._masks: dict[str, dict[str, int]] | None = None
        self._lengths: dict[tuple[int, str], list[int]] = {}
        self._norm_tables: dict[tuple, array] = {}
        self._recent: OrderedDict[tuple[str, str], list] = OrderedDict()
        self._pairs_ready: bool | None = None
        self._lock = threading.Lock()  # request threads share the searcher

    def term(self, fieldname: str, text: str) -> int:
        key = (fieldname, text)
        with self._lock:
            bits = self._terms.get(key)
            if bits is not None:
                self._terms.move_to_end(key)
                return bits
        docnums: list[int] = []
        for position, ids, _ in self._postings(fieldname, text):
            offset = self.leaves[position][1]
            docnums.extend(ids if not offset else (offset + i for i in ids))
        return self._remember(key, bitmap(docnums) & self.live)

    def _postings(self, fieldname: str, text: str, within: set[int] | None = None) -> list[tuple[int, array, array]]:
        """(segment position, ids, weights) of a term in each segment holding it, decoded once for both
        matching and scoring (the last RECENT_POSTINGS terms are kept). Only the blocks holding documents
        `within` are read when those are few next to the term's documents (scoring a rare phrase)."""
        with self._lock:
            decoded = self._recent.get((fieldname, text))
        if decoded is not None:
            return decoded
        sparse = within is not None and len(within) * SPARSE < self.searcher.doc_frequency(fieldname, text)
        return self._decode(fieldname, text, within if sparse else None)[0]

    def _decode(self, fieldname: str, text: str, within: set[int] | None = None, values: bool = False):
        """(postings as `_postings` gives them, {segment position: encoded values}); all of them are kept
        for later queries unless only the blocks of the documents `within` were read."""
        decoded, encoded = [], {}
        for position, (leaf, offset) in enumerate(self.leaves):
            end = offset + leaf.doc_count_all()
            wanted = None if within is None else sorted(d - offset for d in within if offset <= d < end)
            ids, weights, kept = array("I"), array("f"), []
            for block_ids, block_weights, block_values in _blocks(leaf, fieldname, text, values, wanted):
                ids.extend(block_ids)
                weights.extend(block_weights)
                if values:
                    kept.extend(block_values)
            if ids:
                decoded.append((position, ids, weights))
                encoded[position] = kept
        if within is None:
            with self._lock:
                self._recent[(fieldname, text)] = decoded
                if len(self._recent) > RECENT_POSTINGS:
                    self._recent.popitem(last=False)
        return decoded, encoded

    def _remember(self, key, bits: int) -> int:
        with self._lock:
            self._terms[key] = bits
            if len(self._terms) > TERM_CACHE:
                self._terms.popitem(last=False)
        return bits

    def forget_terms(self) -> None:
        """Drop the cached term and phrase bitmaps (the benchmark's cold runs; facet masks stay)."""
        with self._lock:
            self._terms.clear()
            self._recent.clear()

    def match(self, query: Query) -> int:
        """The bitmap of the documents a query matches."""
        if isinstance(query, Term):
            return self.term(query.fieldname, query.text)
        if isinstance(query, And):
            bits = self.live
            for sub in query.subqueries:
                bits &= self.match(sub)
                if not bits:
                    break
            return bits
        if isinstance(query, Or):
            bits = 0
            for sub in query.subqueries:
                bits |= self.match(sub)
            return bits
        if isinstance(query, Every):
            return self.live
        return self._other(query)

    def _other(self, query: Query) -> int:
        """Phrases (matched here) and anything else (matched by Whoosh), once per searcher."""
        key = ("query", query)
        with self._lock:
            bits = self._terms.get(key)
        if bits is None:
            if self._plain_phrase(query):
                bits = self._remember(key, self._phrase(query))
            else:
                bits = self._remember(key, bitmap(self.searcher.docs_for_query(query)) & self.live)
        return bits

    def _plain_phrase(self, query: Query) -> bool:
        """A phrase of adjacent words, in order, in a field that keeps positions."""
        field = self.searcher.schema[query.fieldname] if isinstance(query, Phrase) else None
        return field is not None and field.format.supports("positions") and query.slop == 1 and len(query.words) > 1

    def pairs_ready(self) -> bool:
        """Whether every document was indexed with the current list of common roots (see CommonPairFilter).

        Counted over deleted documents too (the term statistics include them): a deleted document from
        before a list change only delays the pairs until segments merge or the index is rebuilt."""
        if self._pairs_ready is None:
            total, frequency, fields = self.searcher.doc_count_all(), self.searcher.doc_frequency, self.searcher.schema
            self._pairs_ready = all(pairs in fields and frequency(pairs, analysis.PAIRS_MARKER) == total
                                    for pairs in PAIRS.values())
        return self._pairs_ready

    def _phrase(self, query: Phrase) -> int:
        """The documents holding the phrase: those with all its words and all its pairs of neighbouring
        common roots, then (unless the pairs already say it all) checked by the words' positions.

        Whoosh walks a span matcher per document; here the candidates come from cached bitmaps and only
        their positions are decoded."""
        pairs_field = PAIRS.get(query.fieldname) if self.pairs_ready() else None
        common = analysis.COMMON_ROOTS
        pairs = [f"{a} {b}" for a, b in pairwise(query.words) if a in common and b in common]
        covered = bool(pairs_field) and len(pairs) == len(query.words) - 1  # every neighbour is a pair
        candidates, encoded = self.live, None
        if not covered:  # the words' postings are read whole: decode their positions in the same pass
            encoded = {word: self._decode(query.fieldname, word, values=True) for word in dict.fromkeys(query.words)}
        for field, text in [*((pairs_field, pair) for pair in pairs if pairs_field),
                            *((query.fieldname, word) for word in query.words if not covered)]:
            candidates &= self.term(field, text)
            if not candidates:
                return 0
        if covered and len(pairs) == 1:
            return candidates  # the pair is the phrase
        return bitmap(self._positions_check(query, members(candidates), encoded))

    def _positions_check(self, query: Phrase, docnums: list[int], encoded: dict | None) -> list[int]:
        """Which of `docnums` hold the phrase's words one right after another, from the words' decoded
        postings in `encoded` or else from the blocks holding `docnums`."""
        found = []
        for position, (leaf, offset) in enumerate(self.leaves):
            wanted = {d - offset for d in docnums if offset <= d < offset + leaf.doc_count_all()}
            if not wanted:
                continue
            decode = _decoder(leaf.schema[query.fieldname].format)
            positions: dict[str, dict[int, list[int]]] = {}
            for word in dict.fromkeys(query.words):
                at = positions[word] = {}
                if encoded is None:
                    postings = ((ids, values) for ids, _, values in
                                _blocks(leaf, query.fieldname, word, values=True, wanted=sorted(wanted)))
                else:
                    decoded, by_segment = encoded[word]
                    postings = [(ids, by_segment[segment]) for segment, ids, _ in decoded if segment == position]
                for ids, values in postings:
                    for docnum, value in zip(ids, values, strict=True):
                        if docnum in wanted:
                            at[docnum] = decode(value)
            found += [docnum + offset for docnum in sorted(wanted)
                      if _adjacent([positions[word][docnum] for word in query.words])]
        return found

    def masks(self) -> dict[str, dict[str, int]]:
        """Facet → value → bitmap of the documents carrying it."""
        if self._masks is None:
            reader = self.searcher.reader()
            self._masks = {name: {term.decode("utf-8"): self.term(name, term.decode("utf-8"))
                                  for term in reader.lexicon(name)} for name in self.facet_names}
        return self._masks

    def count(self, bits: int) -> dict[str, list[tuple[str, int]]]:
        """How many of these documents carry each facet value, most frequent first."""
        facets = {}
        for name, values in self.masks().items():
            counts = [(value, n) for value, mask in values.items() if (n := (bits & mask).bit_count())]
            facets[name] = sorted(counts, key=lambda kv: (-kv[1], kv[0]))
        return facets

    def rankable(self, query: Query) -> bool:
        """Whether `scores` reproduces Whoosh's scores for this query (Term/Phrase/And/Or trees; a boost
        multiplies the score of its subtree, as Whoosh's wrapping matcher does)."""
        if isinstance(query, Term | Phrase):
            return True
        return isinstance(query, And | Or) and getattr(query, "scale", None) is None and all(
            self.rankable(sub) for sub in query.subqueries)

    def _length_table(self, leaf, position: int, fieldname: str) -> list:
        key = (position, fieldname)
        table = self._lengths.get(key)
        if table is None:
            reader = leaf.reader()
            table = self._lengths[key] = [reader.doc_field_length(d, fieldname, 1)
                                          for d in range(reader.doc_count_all())]
        return table

    def _norms(self, leaf, position: int, fieldname: str, scorer: BM25FScorer) -> array:
        """Per document of a segment, the length part of BM25's denominator, `k1 * ((1 - b) + b * fl / avgfl)`,
        computed once per searcher as whoosh.scoring.bm25 computes it (so scores stay Whoosh's to the last bit)."""
        key = (position, fieldname, scorer.avgfl, scorer.B, scorer.K1)
        table = self._norm_tables.get(key)
        if table is None:
            avgfl, b, k1 = scorer.avgfl, scorer.B, scorer.K1
            table = self._norm_tables[key] = array("d", (  # no length (a deleted document): never in a posting
                k1 * ((1 - b) + b * fl / avgfl) if fl is not None else NAN
                for fl in self._length_table(leaf, position, fieldname)))
        return table

    def _term_scores(self, fieldname: str, text: str, within: set[int] | None) -> dict[int, float]:
        """Document → the term's BM25F score, for the documents holding it (only those `within`, if given)."""
        scores: dict[int, float] = {}
        for position, ids, weights in self._postings(fieldname, text, within):
            leaf, offset = self.leaves[position]
            scorer = self.searcher.weighting.scorer(leaf, fieldname, text)
            if isinstance(scorer, BM25FScorer):
                norms, idf, grown = self._norms(leaf, position, fieldname, scorer), scorer.idf, scorer.K1 + 1
                for docnum, tf in zip(ids, weights, strict=True):  # the expression of whoosh.scoring.bm25
                    if within is None or offset + docnum in within:
                        scores[offset + docnum] = idf * ((tf * grown) / (tf + norms[docnum]))
            else:  # an unscorable field scores the posting's weight
                scores.update((offset + docnum, tf) for docnum, tf in zip(ids, weights, strict=True)
                              if within is None or offset + docnum in within)
        return scores

    def scores(self, query: Query, within: set[int] | None = None) -> dict[int, float]:
        """Document → score, for the documents the (rankable) query matches (only those `within`, if given),
        as Whoosh's matchers add them."""
        scores = self._unboosted(query, within)
        if query.boost != 1:
            boost = query.boost
            return {docnum: score * boost for docnum, score in scores.items()}
        return scores

    def _unboosted(self, query: Query, within: set[int] | None) -> dict[int, float]:
        if isinstance(query, Term):
            return self._term_scores(query.fieldname, query.text, within)
        if isinstance(query, Phrase):  # Whoosh scores a phrase as the intersection of its words
            matched = set(members(self._other(query)))
            matched = matched if within is None else matched & within
            parts = [self._term_scores(query.fieldname, word, matched) for word in query.words]
            return {d: sum(part[d] for part in parts) for d in matched}
        parts = [self.scores(sub, within) for sub in query.subqueries]
        if isinstance(query, And):
            common = set(parts[0]).intersection(*parts[1:])
            return {d: sum(part[d] for part in parts) for d in common}
        total = dict(parts[0]) if parts else {}
        for part in parts[1:]:
            found = total.get
            for docnum, score in part.items():
                total[docnum] = found(docnum, 0.0) + score  # 0.0 + score is score: the sums are Whoosh's
        return total

    def top(self, query: Query, bits: int, limit: int) -> list[int] | None:
        """The best `limit` of the matched documents by score (ties: lower document number first), or None
        when the query is not rankable here."""
        best = self.best(query, bits, limit)
        return None if best is None else [docnum for docnum, _ in best]

    def best(self, query: Query, bits: int, limit: int) -> list[tuple[int, float]] | None:
        """(document, score) of the best `limit` documents in `bits`, as `top` orders them."""
        if not self.rankable(query):
            return None
        candidates = members(bits)
        scores = self.scores(query, set(candidates))
        ranked = nsmallest(limit, candidates, key=lambda d: (-scores.get(d, 0.0), d))
        return [(docnum, scores.get(docnum, 0.0)) for docnum in ranked]


def executor(searcher, facets: tuple[str, ...]) -> Executor:
    """The searcher's executor, made once per searcher."""
    cached = getattr(searcher, "_livinglab_executor", None)
    if cached is None:
        cached = searcher._livinglab_executor = Executor(searcher, facets)
    return cached
