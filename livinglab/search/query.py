"""Searching pieces: any user input becomes a safe query; results come with snippets and facet counts."""

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from whoosh.query import And, Every, Query, Term

from livinglab.extensions import db
from livinglab.filters import QueryFilters
from livinglab.indicators.queries import default_framework
from livinglab.pieces.models import Piece, PieceIndicator, PieceStatus
from livinglab.regencies.models import Province, Regency
from livinglab.search import index
from livinglab.search.analysis import WORD
from livinglab.search.documents import plain_text
from livinglab.search.execution import bitmap, executor
from livinglab.search.expansion import word_query
from livinglab.search.partial import Partial, partial_matches, widen
from livinglab.search.planner import (
    MAX_CORRECTED,
    MAX_QUERY,
    QueryPlan,
    closest_word,
    edit_distance,
    fuzzy,
    known,
    plan,
)
from livinglab.search.snippets import snippet

POSTINGS_FLOOR = 2_000
FACETS = ("kind", "domain", "indicator", "province", "regency", "year", "language")


@dataclass
class SearchFilters(QueryFilters):
    """The facet filters of the search page."""

    kind: str = ""
    domain: str = ""
    indicator: str = ""
    province: str = ""
    regency: str = ""
    year: str = ""
    language: str = ""


@dataclass
class Hit:
    piece: Piece
    snippet: Markup
    partial: Partial | None = None  # set when the piece matches only some of the words


@dataclass
class SearchResults:
    text: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    corrected: bool = False
    available: bool = True
    ignored: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)  # the informative words a long query was cut to
    full_total: int = 0  # how many pieces match all the words (the rest of `total` matches some)


def _filter_query(filters: SearchFilters) -> Query | None:
    terms = [Term(name, value.lower() if name == "indicator" else value) for name, value in filters.active.items()]
    return And(terms) if terms else None


def _allowed(searcher, filters: SearchFilters) -> int | None:
    """The bitmap of the documents the filters let through (None: no filter)."""
    filter_query = _filter_query(filters)
    return None if filter_query is None else executor(searcher, FACETS).match(filter_query)


def _matching(searcher, query: Query, filters: SearchFilters) -> int:
    """The bitmap of the documents matching the query and the filters (unscored: cheap)."""
    docs = executor(searcher, FACETS).match(query)
    allowed = _allowed(searcher, filters) if docs else None
    return docs if allowed is None else docs & allowed


def _run(searcher, query: Query, docs: int, filters: SearchFilters, limit: int, newest: bool) -> list[int]:
    """Document numbers of the top `limit` matches, by relevance or newest first."""
    sortedby = "published" if newest or isinstance(query, Every) else None
    if sortedby is None:
        top = executor(searcher, FACETS).top(query, docs, limit)
        if top is not None:
            return top
    results = searcher.search(query, filter=_filter_query(filters), limit=limit, sortedby=sortedby,
                              reverse=bool(sortedby))
    return [hit.docnum for hit in results]


def suggest(searcher, words: list[str]) -> dict[str, str]:
    """Misspelt word (lower case) → its correction from the index's own vocabulary ("did you mean").

    Only the first MAX_CORRECTED unknown words are looked up (each lookup walks the vocabulary, once per
    reader: the typo retry and partial matches reuse the walk)."""
    reader = searcher.reader()
    fixes: dict[str, str] = {}
    lookups = 0
    for word in words:
        lower = word.lower()
        if (len(lower) < 4 or not lower.isalpha() or not edit_distance(lower) or lookups == MAX_CORRECTED
                or known(reader, lower)):
            continue
        lookups += 1
        if option := closest_word(reader, lower):
            fixes[lower] = option
    return fixes


def _snippet(piece: Piece, words: list[str]) -> Markup:
    return snippet(f"{piece.summary} {plain_text(piece.body)}", words, piece.language)


def _load(ids: list[int]) -> list[Piece]:
    query = select(Piece).where(Piece.id.in_(ids), Piece.status == PieceStatus.PUBLISHED).options(
        joinedload(Piece.regency).joinedload(Regency.province),
        selectinload(Piece.targets).joinedload(PieceIndicator.indicator),
        selectinload(Piece.tags),
    )
    found = {p.id: p for p in db.session.scalars(query)}
    return [found[i] for i in ids if i in found]


def count_facets(searcher, docs: int) -> dict[str, list[tuple[str, int]]]:
    """How many matching documents carry each facet value, most frequent first."""
    return executor(searcher, FACETS).count(docs)


@dataclass
class IndexAnswer:
    """What the index alone says about a query: the page of ids, counts, and any correction."""

    ids: list[int]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    words: list[str]
    suggestion: str | None = None
    corrected: bool = False
    ignored: list[str] = field(default_factory=list)
    partial: dict[int, Partial] = field(default_factory=dict)  # piece id → what it lacks, for partial matches
    used: list[str] = field(default_factory=list)  # the words a shortened long query kept
    full_total: int = 0


def planned(searcher, text: str) -> QueryPlan:
    """The plan of `text` against this index: after the rarest part, parts walking more postings together
    than half the documents (or POSTINGS_FLOOR in a small index, where everything is cheap) are left out."""
    def cost(query: Query) -> int:
        return sum(searcher.doc_frequency(name, term) for name, term in query.iter_all_terms())

    return plan(text, cost, max(POSTINGS_FLOOR, searcher.doc_count_all() // 2))


def _respell(text: str, fixes: dict[str, str]) -> str:
    """`text` with each word in `fixes` (by its lower case) replaced, quotes, order and the rest kept."""
    return WORD.sub(lambda match: fixes.get(match.group().lower(), match.group()), text)


def _correct(searcher, text: str, first: QueryPlan, filters: SearchFilters):
    """(query, words, docs, fixes, suggestion, corrected): the plan's matches, or a correction's when it has
    none. The suggestion is the typed text with its misspelt words corrected (phrases stay phrases)."""
    query, words = first.query, first.words
    docs = _matching(searcher, query, filters)
    fixes, suggestion, corrected = {}, None, False
    if not docs and words:
        fixes = suggest(searcher, first.matched_words)
        suggestion = _respell(text, fixes) if fixes else None
        retry = planned(searcher, suggestion).query if suggestion else fuzzy(first.matched_words, searcher.reader())
        docs = _matching(searcher, retry, filters)
        if docs:
            query, corrected = retry, True
            words = [fixes.get(word.lower(), word) for word in words]
        else:
            fixes, suggestion = {}, None
    return query, words, docs, fixes, suggestion, corrected


def ask_index(searcher, text: str, filters: SearchFilters, page: int, per_page: int, newest: bool) -> IndexAnswer:
    """Match, correct when nothing matches, add partial matches when less than a page matches, count
    facets and rank one page (no database involved): the full matches first, then the partial ones.

    A corrected query's matches are ranked among the partial ones (widened by the correction): a word
    the index does not know may be a typo or a name no piece mentions, and coverage decides between them."""
    first = planned(searcher, text)
    query, words, docs, fixes, suggestion, corrected = _correct(searcher, text, first, filters)
    partials = []
    if first.parts and (corrected or docs.bit_count() < per_page):
        corrections = {typed: found for typed, fixed in fixes.items() if (found := word_query(fixed)) is not None}
        widened = widen(searcher, first.parts, corrections)
        partials = partial_matches(executor(searcher, FACETS), widened, _allowed(searcher, filters),
                                   0 if corrected else docs)
        docs = 0 if corrected and partials else docs
    shown = docs | bitmap(p.docnum for p in partials)
    ranked = _run(searcher, query, docs, filters, page * per_page, newest) if docs else []
    by_docnum = {p.docnum: p for p in partials}
    order = [*ranked, *by_docnum][(page - 1) * per_page: page * per_page]  # full and partial never overlap
    ids = [int(searcher.stored_fields(docnum)["id"]) for docnum in order]
    partial = {i: by_docnum[d] for i, d in zip(ids, order, strict=True) if d in by_docnum}
    return IndexAnswer(ids, shown.bit_count(), count_facets(searcher, shown), words, suggestion, corrected,
                       first.ignored, partial=partial, used=first.words if first.shortened else [],
                       full_total=docs.bit_count())


def facet_labels(facets: dict[str, list[tuple[str, int]]]) -> dict[str, dict]:
    """Readable names for facet values: regency and province names, indicators and domains."""
    regencies = [code for code, _ in facets.get("regency", [])]
    provinces = [code for code, _ in facets.get("province", [])]
    framework = default_framework()
    return {
        "regency": dict(
            db.session.execute(select(Regency.code, Regency.name).where(Regency.code.in_(regencies))).all()
        ),
        "province": dict(
            db.session.execute(select(Province.code, Province.name).where(Province.code.in_(provinces))).all()
        ),
        "indicator": {i.code.lower(): i for i in framework.indicators} if framework else {},
        "domain": {str(d.number): d for d in framework.domains} if framework else {},
    }


def search_pieces(
    text: str, filters: SearchFilters, page: int = 1, per_page: int = 20, newest: bool = False
) -> SearchResults:
    """Ranked published pieces for a query and filters, with snippets, facet counts and a suggestion."""
    text = " ".join((text or "").split())[:MAX_QUERY]
    outcome = SearchResults(text=text)
    try:
        answer = ask_index(index.searcher(), text, filters, page, per_page, newest)
    except Exception:  # a broken or missing index must not break the page
        index.log.exception("Search failed for %r", text)
        outcome.available = False
        return outcome
    outcome.total, outcome.facets = answer.total, answer.facets
    outcome.suggestion, outcome.corrected, outcome.ignored = answer.suggestion, answer.corrected, answer.ignored
    outcome.used, outcome.full_total = answer.used, answer.full_total
    outcome.hits = [Hit(piece, _snippet(piece, answer.words), answer.partial.get(piece.id))
                    for piece in _load(answer.ids)]
    return outcome
