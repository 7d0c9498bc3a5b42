"""Editable search vocabularies: Indonesian ↔ English terms and Indonesian spelling variants.

Both are data in `content/search/` (`terms_id_en.csv`: id,en,note; `spelling_variants.csv`: variant,standard)
and are used at query time only, so editing them needs no index rebuild:
- a query word or phrase found in the term list also matches its translations (at most MAX_TRANSLATIONS);
- a query word in any spelling of a variant group (praktek, praktik) matches every spelling of it; query
  time was chosen over normalising at index time because the index then keeps what authors wrote and a
  new variant works at once, for the price of a few extra terms per query word.
A missing file is an empty vocabulary.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from livinglab.search.analysis import STOPWORDS, WORD, content_rows

MAX_TRANSLATIONS = 4
MAX_PHRASE = 6  # words in the longest phrase looked up
_NUMERALS = {"1": "satu", "2": "dua", "3": "tiga", "4": "empat", "5": "lima", "6": "enam", "7": "tujuh",
             "8": "delapan", "9": "sembilan", "10": "sepuluh"}


def key(text: str) -> tuple[str, ...]:
    """How a phrase is looked up: lower-case words in their standard spelling, without stop words, small
    numbers written out ("Pelayanan Terpadu 1 Pintu" and "pelayanan terpadu satu pintu" share a key)."""
    words = (spellings(_NUMERALS.get(w, w))[0] for w in WORD.findall(text.lower()))
    return tuple(w for w in words if w not in STOPWORDS)


@dataclass
class Bilingual:
    """Translations by key, both ways: Indonesian → English and English → Indonesian."""

    to_en: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    to_id: dict[tuple[str, ...], list[str]] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]]) -> "Bilingual":
        to_en: dict[tuple[str, ...], list[str]] = defaultdict(list)
        to_id: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for indonesian, english in pairs:
            if key(indonesian) and english not in to_en[key(indonesian)]:
                to_en[key(indonesian)].append(english)
            if key(english) and indonesian not in to_id[key(english)]:
                to_id[key(english)].append(indonesian)
        return cls(dict(to_en), dict(to_id))

    def translations(self, words: tuple[str, ...]) -> tuple[list[str], list[str]]:
        """(English, Indonesian) translations of a keyed phrase, together at most MAX_TRANSLATIONS."""
        english = self.to_en.get(words, [])[:MAX_TRANSLATIONS]
        return english, self.to_id.get(words, [])[:MAX_TRANSLATIONS - len(english)]


@lru_cache(maxsize=1)
def bilingual() -> Bilingual:
    """The Indonesian ↔ English term list."""
    rows = content_rows("terms_id_en.csv")
    return Bilingual.from_pairs([(r["id"], r["en"]) for r in rows if r.get("id") and r.get("en")])


@lru_cache(maxsize=1)
def spelling_groups() -> dict[str, tuple[str, ...]]:
    """Each spelling (variant or standard) → every spelling of the same word, the standard first."""
    groups: dict[str, list[str]] = defaultdict(list)
    for row in content_rows("spelling_variants.csv"):
        variant, standard = row.get("variant"), row.get("standard")
        if variant and standard and variant != standard:
            groups[standard] += [] if groups[standard] else [standard]
            groups[standard].append(variant)
    spellings: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        for member in members:
            spellings[member] = tuple(members)
    return spellings


def spellings(word: str) -> tuple[str, ...]:
    """Every spelling of a lower-case word (just the word when it has no variants)."""
    return spelling_groups().get(word, (word,))


@lru_cache(maxsize=1)
def longest_key() -> int:
    lengths = [len(k) for k in (*bilingual().to_en, *bilingual().to_id)]
    return min(MAX_PHRASE, max(lengths, default=1))
