"""Snippets: the passage of a result that best shows why it matched, escaped, the matches in <mark>.

Cut from the text the database holds (nothing is stored in the index). The text is scanned once by a
regular expression for words that can share a root with a query word, so the cost grows with the few
matching words, not with the length of the piece; only the chosen window is split into words.
"""

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import islice

from markupsafe import Markup, escape
from whoosh.lang.porter import stem as porter_stem

from livinglab.search.analysis import WORD, stem_id

WIDTH = 32  # words in a snippet
LEAD = 4  # words shown before the first match of the chosen window
LEAD_CHARS = 200  # where those words are looked for
SAMPLE = 2_000  # characters that tell the text's mean word length
MAX_WORD = 40
_HEAD = re.compile(r"[^\W_]+$")  # the start of the word a fragment sits in
_TAIL = re.compile(r"[^\W_]*")


@lru_cache(maxsize=50_000)
def stem_en(word: str) -> str:
    return porter_stem(word)


@lru_cache(maxsize=512)
def _fragments(fragments: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(f) for f in fragments))


def _targets(words: list[str], stem) -> set[str]:
    return {stem(w.lower()) for w in words} | {w.lower() for w in words}


def _matcher(targets: set[str], stem):
    """Whether a lower-case word matches: it is a target or stems to one. An affixed word still contains
    its root, minus a first letter some prefixes swallow (menyapu → sapu), so only a word containing a
    target's tail is stemmed at all."""
    fragments = _fragments(tuple(sorted({t[1:] if len(t) > 2 else t for t in targets})))
    verdicts: dict[str, bool] = {}

    def matches(lower: str) -> bool:
        if lower not in verdicts:
            verdicts[lower] = lower in targets or (bool(fragments.search(lower)) and stem(lower) in targets)
        return verdicts[lower]

    return fragments, matches


def _hits(text: str, fragments: re.Pattern, matches) -> list[int]:
    """Character offsets of the words of `text` that match, found from the fragments (a scan in C) and
    widened to their word, so the cost follows the matches, not the length of the text."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lower case is longer: offsets would drift
        return []
    hits, last = [], -1
    for found in fragments.finditer(lowered):
        head = _HEAD.search(lowered, max(0, found.start() - MAX_WORD), found.start())
        begin = head.start() if head else found.start()
        if begin <= last:
            continue
        end = _TAIL.match(lowered, found.start()).end()
        if matches(lowered[begin:end]):
            hits.append(begin)
            last = begin
    return hits


def _window_start(text: str, offsets: list[int], width: int) -> int:
    """The character offset where the window starts: LEAD words before the hit that begins the densest
    stretch of hits, a stretch being as many characters as `width` words take in this text on average."""
    if not offsets:
        return 0
    sample = text[:SAMPLE]
    span = width * len(sample) / max(1, len(WORD.findall(sample)))
    best = offsets[max(range(len(offsets)), key=lambda k: bisect_left(offsets, offsets[k] + span) - k)]
    reach = max(0, best - LEAD_CHARS)
    before = [m.start() for m in WORD.finditer(text, reach, best)]
    if len(before) >= LEAD:
        return before[-LEAD]
    return 0 if reach == 0 else before[0] if before else best


def snippet(text: str, words: list[str], language: str, width: int = WIDTH) -> Markup:
    """About `width` words of `text` around its densest matches of `words`, escaped, matches in <mark>.

    Words are compared by their root (Sastrawi for Indonesian, Porter for English), so "perizinan"
    marks "izin" too."""
    stem = stem_id if language != "en" else stem_en
    fragments, matches = _matcher(_targets(words, stem), stem)
    start = _window_start(text, _hits(text, fragments, matches) if words else [], width)
    shown = list(islice(WORD.finditer(text, start), width + 1))
    if not shown:
        return Markup("")
    # Escaping works letter by letter, so the text between marked words is escaped in one piece.
    parts, cursor = [], shown[0].start()
    for match in shown[:width] if words else ():
        if matches(match.group().lower()):
            parts.append(f"{escape(text[cursor:match.start()])}<mark>{escape(match.group())}</mark>")
            cursor = match.end()
    parts.append(str(escape(text[cursor:shown[:width][-1].end()])))
    prefix = "… " if WORD.search(text, 0, start) else ""
    suffix = " …" if len(shown) > width else ""
    return Markup(prefix + "".join(parts) + suffix)  # nosec B704  # every piece of the text was escaped above
