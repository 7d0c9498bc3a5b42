"""What a query word or phrase may match besides itself: roots and stems in both languages, spelling
variants, acronyms and their written-out forms, and translations from the term list.

Each typed word or recognised phrase becomes one part (an Or of its alternatives), so a query keeps
one required part per thing the visitor asked for. Expansions are bounded: at most
MAX_TRANSLATIONS translations and one acronym per part, and only the spellings of one variant group.
"""

import re
from functools import lru_cache

from whoosh.query import And, Or, Query, Term

from livinglab.search.analysis import STOPWORDS, english_analyzer, indonesian_analyzer, stem_id, synonyms
from livinglab.search.vocabulary import bilingual, key, longest_key, spellings

_CODE = re.compile(r"^[A-Za-z]\d{1,3}$")  # indicator codes such as I45 or P05
ID_ANALYZER, _EN = indonesian_analyzer(), english_analyzer()


def tokens(analyzer, text: str) -> list[str]:
    return [t.text for t in analyzer(text)]


def _all_of(terms: list[Query]) -> Query | None:
    return None if not terms else terms[0] if len(terms) == 1 else And(terms)


def indonesian(text: str) -> Query | None:
    """Every Indonesian root of `text`, each in the title or the text (a phrase as all of its words)."""
    return _all_of([Or([Term("title", root), Term("text", root)]) for root in dict.fromkeys(tokens(ID_ANALYZER, text))])


def english(text: str) -> Query | None:
    """Every English stem of `text`, each in the English title or text."""
    return _all_of([Or([Term("title_en", s), Term("text_en", s)]) for s in dict.fromkeys(tokens(_EN, text))])


def _spelled(word: str) -> list[str]:
    """The word in every spelling of its variant group, and of its root's group (perijinan → izin)."""
    forms = dict.fromkeys(spellings(word))
    root = stem_id(word)
    if root != word:
        forms.update(dict.fromkeys(spellings(root)))
    return list(forms)


def word_query(word: str) -> Query | None:
    """Everything a single word may match: roots of its spellings, English stems, codes, its expansion."""
    lower = word.lower()
    if len(word) < 2 or lower in STOPWORDS:
        return None
    clauses: list[Query] = []
    for stem in dict.fromkeys(s for form in _spelled(lower) for s in tokens(ID_ANALYZER, form)):
        clauses += [Term("title", stem), Term("text", stem)]
    for stem in tokens(_EN, word):
        clauses += [Term("title_en", stem), Term("text_en", stem)]
    if _CODE.match(word):
        clauses.append(Term("codes", lower))
    expansion = synonyms().get(lower)
    if expansion and (written := indonesian(expansion)) is not None:
        clauses.append(written)
    return Or(clauses) if clauses else None  # a stop word in both languages adds nothing


@lru_cache(maxsize=1)
def acronyms() -> dict[tuple[str, ...], str]:
    """Written-out form (keyed without stop words) → the acronym it stands for (synonyms reversed)."""
    return {key(expansion): term for term, expansion in synonyms().items() if len(key(expansion)) > 1}


def translated(words: tuple[str, ...]) -> list[Query]:
    """The translations of a keyed word or phrase, as queries in the other language's fields."""
    to_english, to_indonesian = bilingual().translations(words)
    queries = [english(text) for text in to_english] + [indonesian(text) for text in to_indonesian]
    return [query for query in queries if query is not None]


def _phrase_part(words: list[str]) -> Query | None:
    """A recognised phrase: all its words, or its acronym, or one of its translations."""
    keyed = key(" ".join(words))
    alternatives = translated(keyed)
    if keyed in acronyms():
        alternatives.append(word_query(acronyms()[keyed]))
    if not alternatives:
        return None
    spelled = _all_of([q for q in (word_query(w) for w in words) if q is not None])
    return Or([q for q in (spelled, *alternatives) if q is not None])


def _word_part(word: str) -> Query | None:
    own = word_query(word)
    alternatives = translated(key(word)) if own is not None else []
    return Or([own, *alternatives]) if alternatives else own


def parts(words: list[str]) -> list[tuple[Query, list[str]]]:
    """One part per word or recognised phrase (longest first), with the words it covers."""
    found, position, longest = [], 0, max(longest_key(), max((len(k) for k in acronyms()), default=1))
    while position < len(words):
        for length in range(min(longest, len(words) - position), 1, -1):
            query = _phrase_part(words[position:position + length])
            if query is not None:
                found.append((query, words[position:position + length]))
                position += length
                break
        else:
            found.append((_word_part(words[position]), [words[position]]))
            position += 1
    return [(query, covered) for query, covered in found if query is not None]
