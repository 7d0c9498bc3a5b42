"""Which language(s) a piece is written in, detected from its text at index time.

A stop-word ratio detector rather than a statistical library: Livinglab tells apart exactly two
languages, Indonesian and English, whose commonest function words do not overlap (yang, dan, di, untuk,
dengan … against the, and, of, to, with …) and make up a fifth to a third of any running text in
them. Counting them per paragraph is exact enough for pieces (several paragraphs each), needs no
model or new dependency, costs one pass over the words, and finds mixed pieces paragraph by paragraph.
"""

import re
from collections import Counter

from whoosh.analysis.filters import STOP_WORDS

from livinglab.search.analysis import STOPWORDS_ID

LANGUAGES = ("id", "en")
MIXED_SHARE = 0.25  # a second language with at least this share of the words is indexed too
MIN_MARKERS = 3  # fewer function words than this in the whole text: too little to tell
_WORD = re.compile(r"[^\W\d_]+")
_PARAGRAPH = re.compile(r"\n\s*\n")
_MARKERS = {"id": STOPWORDS_ID - STOP_WORDS, "en": STOP_WORDS - STOPWORDS_ID}


def _scores(words: list[str]) -> dict[str, int]:
    """How many of the words are function words of each language (counted in C: a Counter, then the
    markers among its keys)."""
    counts = Counter(words)
    return {language: sum(counts[w] for w in markers.intersection(counts)) for language, markers in _MARKERS.items()}


def detect(text: str) -> tuple[str, ...]:
    """The languages of `text`, the main one first: (), ("id",), ("en",), ("id", "en") or ("en", "id")."""
    shares = dict.fromkeys(LANGUAGES, 0)
    markers = 0
    for paragraph in _PARAGRAPH.split(text or ""):
        words = _WORD.findall(paragraph.lower())
        scores = _scores(words)
        markers += sum(scores.values())
        if any(scores.values()):
            shares[max(LANGUAGES, key=lambda language: scores[language])] += len(words)
    if markers < MIN_MARKERS:
        return ()
    total = sum(shares.values())
    ranked = sorted(LANGUAGES, key=lambda language: -shares[language])
    return tuple(language for language in ranked if shares[language] and shares[language] / total >= MIXED_SHARE)


def piece_languages(chosen: str, text: str) -> tuple[str, ...]:
    """The languages to analyse a piece in, the one shown in the facet first.

    An author's explicit English is kept (and Indonesian added when the text has much of it); the
    default Indonesian is only a default, so the text decides (an English piece saved with it is English)."""
    detected = detect(text)
    if chosen != "id":
        return (chosen, *(language for language in detected if language != chosen))
    return detected or (chosen,)
