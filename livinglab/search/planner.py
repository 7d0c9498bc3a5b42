"""Turn what a visitor typed into a Whoosh query, within a budget that bounds the cost of any input.

Budget, so that the costliest query stays within a small multiple of an ordinary one:
- at most MAX_WORDS words are considered (phrase words included); the rest is ignored, and the page
  says so;
- the words are matched rarest first, and the most common ones are left out of the match (still
  highlighted) once the postings of the words after the rarest exceed `budget` (half the index): in an
  intersection, broad words cost the most and narrow the least;
- "did you mean" looks up at most MAX_CORRECTED unknown words and the typo-tolerant retry widens at
  most MAX_FUZZY words (see query.py).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.analysis.filters import STOP_WORDS
from whoosh.query import And, Every, Or, Phrase, Query, Term

from livinglab.search.analysis import STOPWORDS_ID, english_analyzer, indonesian_analyzer, synonyms

MAX_QUERY = 200
MAX_WORDS = 6
MAX_CORRECTED = 2
MAX_FUZZY = 2
WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_PHRASE = re.compile(r'"([^"]+)"')
_CODE = re.compile(r"^[A-Za-z]\d{1,3}$")  # indicator codes such as I45 or P05
_ID, _EN = indonesian_analyzer(), english_analyzer()
STOPWORDS = STOPWORDS_ID | STOP_WORDS  # a query word that is a stop word in either language is skipped
_OPERATORS = ("AND", "OR", "NOT")


@dataclass
class QueryPlan:
    """What a query text becomes: the query to match, and which words were considered or set aside."""

    query: Query
    words: list[str]
    ignored: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    @property
    def matched_words(self) -> list[str]:
        return [word for word in self.words if word not in self.left_out]


def _tokens(analyzer, text: str) -> list[str]:
    return [t.text for t in analyzer(text)]


def _word_query(word: str) -> Query | None:
    """Everything a single word may match: Indonesian roots, English stems, codes and expansions."""
    if len(word) < 2 or word.lower() in STOPWORDS:
        return None
    clauses: list[Query] = []
    for stem in _tokens(_ID, word):
        clauses += [Term("title", stem), Term("text", stem)]
    for stem in _tokens(_EN, word):
        clauses += [Term("title_en", stem), Term("text_en", stem)]
    if _CODE.match(word):
        clauses.append(Term("codes", word.lower()))
    expansion = synonyms().get(word.lower())
    if expansion:
        roots = _tokens(_ID, expansion)
        if roots:
            clauses.append(And([Or([Term("title", r), Term("text", r)]) for r in roots]))
    return Or(clauses) if clauses else None  # a stop word in both languages adds nothing


def _phrase_query(phrase: str) -> Query | None:
    roots = _tokens(_ID, phrase)
    if not roots:
        return None
    if len(roots) == 1:
        return Or([Term("title", roots[0]), Term("text", roots[0])])
    return Or([Phrase("title", roots), Phrase("text", roots)])


def _expansions() -> dict[tuple[str, ...], str]:
    """Expansion word sequence → the acronym it stands for (the reverse of the synonym list)."""
    return {tuple(expansion.split()): term for term, expansion in synonyms().items() if " " in expansion}


def _words_query(words: list[str]) -> list[tuple[Query, list[str]]]:
    """One part per word, with its words; a written-out expansion also matches its acronym
    ("tanda tangan elektronik" → tte)."""
    expansions, parts, position = _expansions(), [], 0
    while position < len(words):
        for sequence, acronym in expansions.items():
            if tuple(w.lower() for w in words[position:position + len(sequence)]) == sequence:
                spelled = [q for q in (_word_query(w) for w in sequence) if q is not None]
                parts.append((Or([_word_query(acronym), And(spelled)]), words[position:position + len(sequence)]))
                position += len(sequence)
                break
        else:
            parts.append((_word_query(words[position]), [words[position]]))
            position += 1
    return [(query, part_words) for query, part_words in parts if query is not None]


def considered(text: str) -> tuple[list[str], list[str], list[str]]:
    """(phrases, words, ignored): at most MAX_WORDS words in the phrases and loose words together."""
    text = text[:MAX_QUERY]
    room, phrases, ignored = MAX_WORDS, [], []
    for phrase in _PHRASE.findall(text):
        inner = WORD.findall(phrase)
        if room and inner:
            phrases.append(" ".join(inner[:room]))
        ignored += inner[room:]
        room -= min(room, len(inner))
    words = [w for w in WORD.findall(_PHRASE.sub(" ", text)) if w not in _OPERATORS]
    return phrases, words[:room], ignored + words[room:]


def plan(text: str, cost: Callable[[Query], int] | None = None, budget: int = 0) -> QueryPlan:
    """A query for any input (quotes, operators and field syntax are taken as plain words), within the budget.

    `cost(part)` estimates the postings a part walks. The rarest part is always matched; the next ones,
    rarest first, while their postings together stay within `budget`."""
    phrases, words, ignored = considered(text)
    parts = [(q, WORD.findall(p)) for p in phrases if (q := _phrase_query(p)) is not None] + _words_query(words)
    left_out: list[str] = []
    if cost is not None and len(parts) > 1:
        priced = sorted(((cost(query), query, part_words) for query, part_words in parts), key=lambda p: p[0])
        parts, spent = [], 0
        for price, query, part_words in priced:
            if parts and spent + price > budget:
                left_out += part_words
                continue
            spent += price if parts else 0
            parts.append((query, part_words))
    all_words = [*words, *(w for p in phrases for w in WORD.findall(p))]
    if not parts:
        return QueryPlan(Every(), [], ignored)
    query = parts[0][0] if len(parts) == 1 else And([q for q, _ in parts])
    return QueryPlan(query, all_words, ignored, left_out)


def fuzzy(words: list[str], reader) -> Query:
    """Each word, or for the first MAX_FUZZY words anything in the vocabulary one or two edits away.

    The neighbours are looked up once here, so counting and ranking do not expand them again."""
    parts: list[Query] = []
    for word in words:
        exact = _word_query(word)
        if exact is not None and len(parts) < MAX_FUZZY:
            near = reader.terms_within("words", word.lower(), 2 if len(word) > 6 else 1, prefix=1)
            parts.append(Or([*(Term("words", term) for term in near), exact]))
        elif exact is not None:
            parts.append(exact)
    return And(parts) if parts else Every()
