"""The query planner's budget: how many words are considered, matched, corrected and widened."""

from whoosh.query import And

from livinglab.search import query
from livinglab.search.planner import (
    MAX_CORRECTED,
    MAX_FUZZY,
    MAX_TYPO_LENGTH,
    MAX_WORDS,
    closest_word,
    fuzzy,
    plan,
    similar_words,
)
from livinglab.search.query import SearchFilters, search_pieces, suggest

NONSENSE = "qwrtplk zxvbnmq plmokij uhbygvt rdxesz wqazsx edcrfv tgbyhn ujmikl olpkmj"


def _terms(query, field: str) -> set[str]:
    return {text for name, text in query.iter_all_terms() if name == field}


def test_at_most_max_words_are_considered_and_the_rest_is_reported():
    words = [f"kata{chr(97 + n)}" for n in range(25)]
    result = plan(" ".join(words))
    assert result.words == words[:MAX_WORDS] and result.ignored == words[MAX_WORDS:]
    assert _terms(result.query, "text") <= {w.lower() for w in words[:MAX_WORDS]}


def test_phrase_words_count_towards_the_budget():
    result = plan('"satu dua tiga empat lima enam tujuh delapan" sembilan')
    assert len(result.words) == MAX_WORDS and result.ignored == ["tujuh", "delapan", "sembilan"]


def test_the_broadest_words_are_left_out_once_the_postings_budget_is_spent():
    postings = {"izin": 10, "daerah": 900, "layanan": 800, "data": 700}
    cost = lambda part: max(postings.get(text, 0) for _, text in part.iter_all_terms())  # noqa: E731
    result = plan("daerah layanan izin data", cost=cost, budget=1000)
    terms = _terms(result.query, "text")
    assert {"izin", "data"} <= terms and not {"daerah", "layan"} & terms  # the rarest always, then what fits
    assert result.left_out == ["layanan", "daerah"] and result.matched_words == ["izin", "data"]
    assert plan("daerah layanan", cost=cost, budget=0).left_out == ["daerah"]  # one part is always matched


def test_a_small_index_keeps_every_word(make_piece):
    make_piece(title="Layanan data daerah terpadu", summary="Layanan data daerah.")
    assert search_pieces("layanan data daerah terpadu", SearchFilters()).total == 1


class _Reader:
    """Counts vocabulary walks; knows no word, and finds one neighbour for each (the word plus "x")."""

    def __init__(self, frequencies: dict[str, int] | None = None, near: list[str] | None = None) -> None:
        self.widened: list[str] = []
        self.frequencies, self.near = frequencies or {}, near

    def terms_within(self, field: str, word: str, maxdist: int, prefix: int = 0) -> list[str]:
        self.widened.append(word)
        return [word + "x"] if self.near is None else self.near

    def doc_frequency(self, field: str, word: str) -> int:
        return self.frequencies.get(word, 0) if field == "words" else 0

    def reader(self):
        return self


def test_did_you_mean_looks_up_at_most_max_corrected_words():
    searcher = _Reader()
    assert suggest(searcher, NONSENSE.split()) == {w: w + "x" for w in NONSENSE.split()[:MAX_CORRECTED]}
    assert searcher.widened == NONSENSE.split()[:MAX_CORRECTED]


def test_did_you_mean_prefers_one_edit_then_the_word_in_the_most_pieces():
    near = ["kolaborasa", "kolaborasi", "kolaborsi"]  # two edits from "kolaboarsi", one, one
    reader = _Reader({"kolaborasa": 50, "kolaborasi": 3, "kolaborsi": 1}, near)
    assert closest_word(reader, "kolaboarsi") == "kolaborasi"
    assert closest_word(_Reader({}, ["kolaboarsi"]), "kolaboarsi") is None  # the word itself is no correction


def test_a_word_is_walked_once_per_reader_and_an_overlong_one_never():
    reader = _Reader()
    assert similar_words(reader, "Perizinnan") == similar_words(reader, "perizinnan") == ["perizinnanx"]
    assert reader.widened == ["perizinnan"]  # "did you mean", the retry and partial matches share the walk
    assert similar_words(reader, "a" * (MAX_TYPO_LENGTH + 1)) == [] and len(reader.widened) == 1
    assert similar_words(_Reader(), "perizinnan") == ["perizinnanx"]  # a new reader (after a commit) walks again


def test_the_typo_retry_widens_at_most_max_fuzzy_words():
    reader = _Reader()
    retry = fuzzy(NONSENSE.split(), reader)
    assert reader.widened == NONSENSE.split()[:MAX_FUZZY]
    assert isinstance(retry, And) and len(retry.subqueries) == len(NONSENSE.split())
    assert {w + "x" for w in NONSENSE.split()[:MAX_FUZZY]} <= _terms(retry, "text")  # found anywhere in the text


def test_the_typo_retry_still_finds_a_misspelt_word(make_piece, monkeypatch):
    monkeypatch.setattr(query, "MAX_CORRECTED", 0)  # no "did you mean": the fuzzy retry has to find it
    piece = make_piece(title="Kolaborasi perguruan tinggi")
    results = search_pieces("kolaboarsi", SearchFilters())
    assert results.corrected and results.suggestion is None and [h.piece.id for h in results.hits] == [piece.id]


def test_the_page_says_which_words_were_not_searched(client, make_piece):
    make_piece(title="Perizinan daring")
    html = client.get("/search", query_string={"q": "perizinan " + NONSENSE}).text
    assert "tgbyhn ujmikl olpkmj" in html.split('id="search-ignored"')[1].split("</p>")[0]


def test_a_long_query_keeps_its_rarest_words_in_typed_order():
    postings = {"cara": 40, "urus": 30, "izin": 3, "usaha": 9, "kabupaten": 50, "daring": 5, "cepat": 20,
                "mudah": 25}  # "antre" is unknown to the index
    cost = lambda part: max(postings.get(text, 0) for _, text in part.iter_all_terms())  # noqa: E731
    text = "bagaimana cara mengurus izin usaha di kabupaten secara daring dengan cepat dan mudah tanpa antre"
    result = plan(text, cost=cost, budget=10_000)
    assert result.shortened and len(result.words) == MAX_WORDS
    assert result.words == ["mengurus", "izin", "usaha", "daring", "cepat", "mudah"]  # the known rarest six
    assert result.ignored == ["cara", "kabupaten", "antre"]  # stop words (di, dengan, tanpa …) are not even listed


def test_the_page_says_which_words_a_long_query_used(client, make_piece):
    make_piece(title="Perizinan usaha daring", summary="Izin usaha terbit cepat.")
    text = "bagaimana cara mengurus izin usaha di kabupaten secara daring dengan cepat dan mudah sekali tanpa antre"
    html = client.get("/search", query_string={"q": text}).text
    used = html.split('id="search-used"')[1].split("</p>")[0]
    kept, left_out = used.split('id="search-ignored"')
    assert "izin" in kept and "usaha" in kept and "daring" in kept and "antre" not in kept
    assert "antre" in left_out and html.count('class="notice"') == 1  # one notice says both


def test_a_long_query_keeps_or_leaves_a_recognised_phrase_whole():
    cost = lambda part: sum(1 for _ in part.iter_all_terms())  # noqa: E731
    text = "mengurus perizinan usaha daring memakai tanda tangan elektronik kode qr supaya cepat selesai"
    result = plan(text, cost=cost, budget=10_000)
    assert len(result.words) <= MAX_WORDS
    assert {"tanda", "tangan", "elektronik"} <= set(result.words) or not {"tanda", "tangan"} & set(result.words)
    assert sorted(result.words + result.ignored) == sorted(w for w in text.split() if w != "supaya")
