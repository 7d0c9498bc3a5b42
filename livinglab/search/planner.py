"""Turn what a visitor typed into a Whoosh query, within a budget that bounds the cost of any input.

Budget, so that the costliest query stays within a small multiple of an ordinary one:
- stop words are dropped, and at most MAX_WORDS words are considered (phrase words included): in a
  longer query the most informative ones, the rarest in the index (words the index knows before words
  it does not), in the order they were typed; the page says which words were used and which were not;
- the words are matched rarest first, and the most common ones are left out of the match (still
  highlighted) once the postings of the words after the rarest exceed `budget` (half the index): in an
  intersection, broad words cost the most and narrow the least;
- each word or phrase expands to a bounded set of alternatives (expansion.py);
- "did you mean" looks up at most MAX_CORRECTED unknown words and the typo-tolerant widening touches at
  most MAX_FUZZY words (see query.py and partial.py).
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.query import And, Every, Or, Phrase, Query, Term
from whoosh.support.levenshtein import damerau_levenshtein

from livinglab.search.analysis import STOPWORDS, WORD, stem_id
from livinglab.search.expansion import ID_ANALYZER, indonesian, parts, tokens, word_query

MAX_QUERY = 200
MAX_WORDS = 6
MAX_CORRECTED = 2
MAX_FUZZY = 2
_PHRASE = re.compile(r'"([^"]+)"')
_OPERATORS = ("AND", "OR", "NOT")


@dataclass
class QueryPlan:
    """What a query text becomes: the query to match, its parts, and which words were considered or set aside."""

    query: Query
    words: list[str]
    ignored: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    parts: list[tuple[Query, list[str]]] = field(default_factory=list)
    shortened: bool = False  # a long query was cut to its most informative words

    @property
    def matched_words(self) -> list[str]:
        return [word for word in self.words if word not in self.left_out]


def _phrase_query(phrase: str) -> Query | None:
    roots = tokens(ID_ANALYZER, phrase)
    if len(roots) < 2:
        return indonesian(phrase)
    return Or([Phrase("title", roots), Phrase("text", roots)])


def estimated_pieces(query: Query, cost: Callable[[Query], int]) -> int:
    """About how many pieces match `query`: a term's count, the fewest of an And or phrase, the most of an Or."""
    if isinstance(query, Term):
        return cost(query)
    counts = [estimated_pieces(sub, cost) for sub in query.children()]
    if not counts:  # a phrase: no more pieces than its rarest word
        return min((cost(Term(name, text)) for name, text in query.iter_all_terms()), default=0)
    return min(counts) if isinstance(query, And) else max(counts)


def _informative(found: list[tuple[Query, list[str]]], room: int, cost: Callable[[Query], int]) -> list:
    """The parts to keep, at most `room` words together: the rarest known ones first (a part the index
    does not know at all last), returned in typed order; a recognised phrase is kept or left whole."""
    prices = [estimated_pieces(query, cost) for query, _ in found]
    chosen, used = set(), 0
    for n in sorted(range(len(found)), key=lambda n: (prices[n] == 0, prices[n], n)):
        if used + len(found[n][1]) <= room:
            chosen.add(n)
            used += len(found[n][1])
    return [part for n, part in enumerate(found) if n in chosen]


def _split(words: list[str], kept: Counter) -> tuple[list[str], list[str]]:
    """(the words in `kept`, the others), each in typed order."""
    inside, outside = [], []
    for word in words:
        (inside if kept[word] else outside).append(word)
        kept[word] -= 1 if kept[word] else 0
    return inside, outside


def considered(text: str, cut: bool = True) -> tuple[list[str], list[str], list[str]]:
    """(phrases, words, ignored): at most MAX_WORDS words in the phrases and loose words together (with
    `cut`; otherwise every loose word, for the caller to choose from), stop words and operators left out."""
    text = text[:MAX_QUERY]
    room, phrases, ignored = MAX_WORDS, [], []
    for phrase in _PHRASE.findall(text):
        inner = WORD.findall(phrase)
        if room and inner:
            phrases.append(" ".join(inner[:room]))
        ignored += inner[room:]
        room -= min(room, len(inner))
    words = [w for w in WORD.findall(_PHRASE.sub(" ", text))
             if w not in _OPERATORS and len(w) > 1 and w.lower() not in STOPWORDS]
    first: dict[str, str] = {}
    for word in words:  # a repeated word once, as and where first typed
        first.setdefault(word.lower(), word)
    words = list(first.values())
    return (phrases, words[:room], ignored + words[room:]) if cut else (phrases, words, ignored)


def _within_budget(found, cost, budget) -> tuple[list, list[str]]:
    priced = sorted(((cost(query), query, covered) for query, covered in found), key=lambda p: p[0])
    kept, left_out, spent = [], [], 0
    for price, query, covered in priced:
        if kept and spent + price > budget:
            left_out += covered
            continue
        spent += price if kept else 0
        kept.append((query, covered))
    return kept, left_out


def plan(text: str, cost: Callable[[Query], int] | None = None, budget: int = 0) -> QueryPlan:
    """A query for any input (quotes, operators and field syntax are taken as plain words), within the budget.

    `cost(part)` estimates the postings a part walks. With it, a long query keeps its rarest parts (at
    most MAX_WORDS words); the rarest part is always matched, the next ones, rarest first, while their
    postings together stay within `budget`."""
    phrases, words, ignored = considered(text, cut=cost is None)
    room = MAX_WORDS - sum(len(WORD.findall(p)) for p in phrases)
    found, shortened = parts(words), False
    if cost is not None and len(words) > room:
        found, shortened = _informative(found, room, cost), True
        words, left = _split(words, Counter(w for _, covered in found for w in covered))
        ignored += left
    found = [(q, WORD.findall(p)) for p in phrases if (q := _phrase_query(p)) is not None] + found
    left_out: list[str] = []
    if cost is not None and len(found) > 1:
        found, left_out = _within_budget(found, cost, budget)
    all_words = [*words, *(w for p in phrases for w in WORD.findall(p))]
    if not found:
        return QueryPlan(Every(), [], ignored)
    query = found[0][0] if len(found) == 1 else And([q for q, _ in found])
    return QueryPlan(query, all_words, ignored, left_out, found, shortened)


MAX_TYPO_LENGTH = 24  # a longer "word" is no typo of a real one, and a vocabulary walk grows with the length
SIMILAR_CACHE = 2_000  # words per reader whose neighbours are kept


def edit_distance(word: str) -> int:
    """How many edits a typo may be from its word: one in a word of up to six letters, two in a longer one,
    none (no lookup) past MAX_TYPO_LENGTH."""
    return 0 if len(word) > MAX_TYPO_LENGTH else 2 if len(word) > 6 else 1


def similar_words(reader, word: str) -> list[str]:
    """Indexed words (the "words" field) within `edit_distance` of `word`, walked once per reader: "did you
    mean", the typo retry and partial matches ask for the same word, and a commit brings a new reader."""
    word = word.lower()
    if not edit_distance(word):
        return []
    cache = getattr(reader, "_livinglab_similar", None)
    if cache is None or len(cache) > SIMILAR_CACHE:
        cache = reader._livinglab_similar = {}
    if word not in cache:
        cache[word] = list(reader.terms_within("words", word, edit_distance(word), prefix=1))
    return cache[word]


def spelled_like(word: str) -> Query:
    """The pieces holding an indexed word found by spelling, by its root: the spelling vocabulary holds
    what pieces are about (title, summary), but the word may be anywhere in a piece's text."""
    root = stem_id(word)
    return Or([Term("title", root), Term("text", root)])


def known(reader, word: str) -> bool:
    """Whether the index knows `word` (lower case), in its spelling vocabulary or as a root of its text."""
    return bool(reader.doc_frequency("words", word) or reader.doc_frequency("text", stem_id(word)))


def closest_word(reader, word: str) -> str | None:
    """The indexed word a misspelt `word` most likely means: one edit away before two, then the one in
    the most pieces (then alphabetical), from the neighbours `similar_words` found."""
    near = [term for term in similar_words(reader, word) if term != word.lower()]
    if not near:
        return None
    return min(near, key=lambda term: (damerau_levenshtein(word.lower(), term, 2) > 1,
                                       -reader.doc_frequency("words", term), term))


def fuzzy(words: list[str], reader) -> Query:
    """Each word, or for the first MAX_FUZZY words anything in the vocabulary one or two edits away.

    The neighbours are looked up once here, so counting and ranking do not expand them again."""
    found: list[Query] = []
    for word in words:
        exact = word_query(word)
        if exact is not None and len(found) < MAX_FUZZY:
            near = similar_words(reader, word)
            found.append(Or([*(spelled_like(term) for term in near), exact]))
        elif exact is not None:
            found.append(exact)
    return And(found) if found else Every()
