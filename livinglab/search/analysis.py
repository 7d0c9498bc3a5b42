"""Text analysis for search: Indonesian (Sastrawi stemming), English (Porter) and spelling vocabularies.

Every analyzer lower-cases and folds accents. The Indonesian one drops Indonesian stop words and
reduces words to their root with Sastrawi's dictionary-based stemmer (perizinan, mengizinkan → izin),
behind an LRU cache because the stemmer is slow and the vocabulary is small.
"""

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.analysis.filters import STOP_WORDS
from whoosh.support.charset import accent_map

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content" / "search"
WORD_PATTERN = r"[^\W_]+(?:[-'][^\W_]+)*"
WORD = re.compile(WORD_PATTERN)
MIN_STEM_LENGTH = 2


def _stopwords() -> frozenset[str]:
    lines = (CONTENT_DIR / "stopwords_id.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


STOPWORDS_ID = _stopwords()
STOPWORDS = STOPWORDS_ID | STOP_WORDS  # a query word that is a stop word in either language is skipped
_STEMMER = StemmerFactory().create_stemmer()


@lru_cache(maxsize=100_000)
def stem_id(word: str) -> str:
    """The Indonesian root of a lower-case word (the word itself when Sastrawi knows no root)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    root = _STEMMER.stem(word)
    return root if len(root) >= MIN_STEM_LENGTH else word


class IndonesianStemFilter(Filter):
    """Replace each token's text with its Sastrawi root."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = stem_id(token.text)
            yield token


def _indonesian_pipeline():
    return (RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(stoplist=STOPWORDS_ID, minsize=2) | IndonesianStemFilter())


@lru_cache(maxsize=4)
def _roots(value: str) -> tuple[tuple[int, str], ...]:
    """(position, root) of each word of `value` that is not a stop word, positions counted as Whoosh's
    StopFilter renumbers them: the first kept word keeps its own, each next one adds one.

    Cached for the last few texts: a document's text is analysed for its positions and again for its
    pairs (the same string object, so the cache hit costs one hash)."""
    kept, position = [], None
    for index, word in enumerate(WORD.findall(value)):
        folded = word.lower().translate(accent_map)
        if len(folded) < MIN_STEM_LENGTH or folded in STOPWORDS_ID:
            continue
        position = index if position is None else position + 1
        kept.append((position, stem_id(folded)))
    return tuple(kept)


class IndonesianTokenizer(Tokenizer):
    """The Indonesian analysis (words, lower case, accents folded, stop words dropped, roots) in one pass.

    It yields what the chain of Whoosh filters in `_indonesian_pipeline` yields, at a fraction of the cost
    per word (a rebuild analyses tens of millions of words); anything but plain tokens with positions
    (character offsets, stop words kept, untokenised values) goes through that chain."""

    def __init__(self):
        self.pipeline = _indonesian_pipeline()

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        if chars or keeporiginal or not removestops or not tokenize:
            yield from self.pipeline(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                     removestops=removestops, start_pos=start_pos, start_char=start_char,
                                     tokenize=tokenize, mode=mode, **kwargs)
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, root in _roots(value):
            token.text, token.boost, token.stopped = root, 1.0, False
            if positions:
                token.pos = start_pos + position
            yield token


def indonesian_analyzer():
    return IndonesianTokenizer()


def _marker(roots: frozenset[str]) -> str:
    return "pairs-" + hashlib.sha256("\n".join(sorted(roots)).encode()).hexdigest()[:12]


def _common_roots() -> frozenset[str]:
    """The roots in `content/search/common_roots.txt`."""
    text = (CONTENT_DIR / "common_roots.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


COMMON_ROOTS = _common_roots()
PAIRS_MARKER = _marker(COMMON_ROOTS)  # names this version of the list in every document indexed with it


def use_common_roots(roots) -> None:
    """Index and search with another list of common roots in this process (the benchmark uses its own
    corpus's, as `flask search common-roots` would give; production edits the file and rebuilds)."""
    global COMMON_ROOTS, PAIRS_MARKER
    COMMON_ROOTS = frozenset(roots)
    PAIRS_MARKER = _marker(COMMON_ROOTS)


def _pairs(roots: Iterable[str]) -> Iterator[str]:
    """"a b" for each two neighbouring roots that are both common."""
    previous = None
    for root in roots:
        if previous is not None and root in COMMON_ROOTS:
            yield f"{previous} {root}"
        previous = root if root in COMMON_ROOTS else None


class CommonPairFilter(Filter):
    """Each two neighbouring roots that are both common become one token "a b"; the stream ends with
    PAIRS_MARKER, which says which list of common roots the document was indexed with.

    A phrase of common words is the costliest to check by positions (its words are in most pieces);
    as a pair it is one short posting list (the "common grams" of other engines). Neighbours are counted
    after stop words are dropped, as the positions of the text field are. Indexes store their analyzers:
    those built before PairsTokenizer name this filter."""

    def __call__(self, tokens):
        for pair in _pairs(token.text for token in tokens):
            yield Token(text=pair, boost=1.0)
        yield Token(text=PAIRS_MARKER, boost=1.0)


class PairsTokenizer(Tokenizer):
    """`IndonesianTokenizer() | CommonPairFilter()` in one pass over the roots the text field's analysis
    has just cached (the pairs field is matched, never scored, highlighted or positioned)."""

    def __call__(self, value, **kwargs):
        token = Token()
        for pair in _pairs(root for _, root in _roots(value)):
            token.text, token.boost = pair, 1.0
            yield token
        yield Token(text=PAIRS_MARKER, boost=1.0)


def english_analyzer():
    return (RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(stoplist=STOP_WORDS, minsize=2) | StemFilter(lang="en", cachesize=50_000))


def pairs_analyzer():
    return PairsTokenizer()


def spelling_analyzer():
    """Plain lower-cased words: the vocabulary for "did you mean" and typo-tolerant retries."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(
        stoplist=STOPWORDS, minsize=3)


def content_rows(name: str) -> list[dict[str, str]]:
    """The rows of an editable CSV in `content/search/`, cells trimmed and lower-cased (none when it is absent)."""
    path = CONTENT_DIR / name
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip().lower() for k, v in row.items() if k} for row in csv.DictReader(handle)]


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """Acronym or word → expansion, from `content/search/synonyms.csv` (editable data)."""
    return {row["term"]: row["expansion"] for row in content_rows("synonyms.csv") if row.get("term")}
