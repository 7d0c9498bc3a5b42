"""The search page and query function: hostile input, facets, filters, sorting, suggestions, visibility."""

import pytest
from sqlalchemy import func, select

from livinglab.extensions import db
from livinglab.pieces.models import Piece, PieceIndicator, PieceStatus
from livinglab.search.query import SearchFilters, search_pieces

HOSTILE = ['"', '""', '"satu data', "(((", ")", "AND", "OR NOT", "NOT perizinan", "title:perizinan", "kind:practice",
           "*", "?", "~2", "^3", "perizinan AND (OR", "a" * 1000, "😀🙏🇮🇩", "<script>alert(1)</script>",
           "'; DROP TABLE pieces; --", "\\", "%00", "\u200b", "I45 OR I46", "{!}", "[]", "-", "--", "@@", "#"]


@pytest.mark.parametrize("text", HOSTILE)
def test_any_input_returns_a_normal_page_with_the_query_escaped(client, make_piece, text):
    make_piece(title="Perizinan daring")
    response = client.get("/search", query_string={"q": text})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    if text.strip() and "<" not in text and len(text) < 200:
        assert 'value="' in response.text


def test_results_have_highlighted_escaped_snippets(client, make_piece):
    make_piece(title="Loket perizinan", body="Antrean <b>perizinan</b> berkurang & cepat.")
    html = client.get("/search?q=izin").text
    assert '<mark>' in html and "&lt;b" in html and "<b>" not in html


def test_filters_without_a_query_browse_everything_newest_first(client, make_piece):
    first, second = make_piece(title="Pertama"), make_piece(title="Kedua")
    results = search_pieces("", SearchFilters())
    assert results.total == 2 and [h.piece.id for h in results.hits] == [second.id, first.id]


def test_facet_counts_match_sql(make_piece, make_indicator, make_user, make_regency):
    shared, other = make_indicator(), make_indicator()
    author = make_user("official", regency=make_regency(province_code="31"))
    make_piece(kind="practice", indicators=[shared], body="Layanan perizinan.")
    make_piece(kind="case_study", indicators=[shared, other], body="Layanan perizinan.", author=author)
    make_piece(kind="improvement", indicators=[other], body="Layanan perizinan.", language="en")
    results = search_pieces("perizinan", SearchFilters())
    kinds = dict(db.session.execute(select(Piece.kind, func.count()).where(Piece.status == PieceStatus.PUBLISHED)
                                    .group_by(Piece.kind)).all())
    assert dict(results.facets["kind"]) == {k.value: v for k, v in kinds.items()}
    per_indicator = dict(db.session.execute(select(PieceIndicator.indicator_id, func.count()).group_by(
        PieceIndicator.indicator_id)).all())
    assert dict(results.facets["indicator"]) == {shared.code.lower(): per_indicator[shared.id],
                                                 other.code.lower(): per_indicator[other.id]}
    assert dict(results.facets["language"]) == {"id": 2, "en": 1}
    assert sum(dict(results.facets["province"]).values()) == 3


def test_facets_combine_with_each_other_and_the_query(make_piece, make_indicator):
    indicator = make_indicator()
    make_piece(kind="practice", indicators=[indicator], body="perizinan")
    make_piece(kind="case_study", indicators=[indicator], body="perizinan")
    make_piece(kind="case_study", body="pengaduan")
    results = search_pieces("perizinan", SearchFilters(kind="case_study", indicator=indicator.code))
    assert results.total == 1 and dict(results.facets["kind"]) == {"case_study": 1}


def test_did_you_mean_and_fuzzy_retry(client, make_piece):
    piece = make_piece(title="Kolaborasi perguruan tinggi")
    results = search_pieces("kolaboarsi", SearchFilters())
    assert results.corrected and results.suggestion == "kolaborasi" and results.hits[0].piece.id == piece.id
    html = client.get("/search?q=kolaboarsi").text
    assert "Maksud Anda" in html and "kolaborasi" in html


def test_did_you_mean_keeps_the_typed_phrase_order_and_other_words(client, make_piece):
    signed = make_piece(title="Tanda tangan elektronik untuk kolaborasi", summary="Dokumen kolaborasi daerah.")
    other = make_piece(title="Kolaborasi perguruan tinggi", summary="Tangan terbuka, tanda kerja sama.")
    results = search_pieces('"tanda tangan" kolaboarsi', SearchFilters())
    assert results.corrected and results.suggestion == '"tanda tangan" kolaborasi'
    assert [hit.piece.id for hit in results.hits] == [signed.id, other.id]
    assert results.hits[1].partial.missing == ["tanda", "tangan"]  # the phrase still holds: not next to each other
    html = client.get("/search", query_string={"q": '"tanda tangan" kolaboarsi'}).text
    assert "q=%22tanda+tangan%22+kolaborasi" in html


def test_nothing_found_says_so(client, make_piece):
    make_piece()
    assert "Tidak ada yang ditemukan" in client.get("/search?q=qwxzv").text


def test_pagination(make_piece, app):
    for number in range(25):
        make_piece(title=f"Pelayanan nomor {number}")
    first, second = (
        search_pieces("pelayanan", SearchFilters(), page=1),
        search_pieces("pelayanan", SearchFilters(), page=2),
    )
    assert first.total == 25 and len(first.hits) == 20 and len(second.hits) == 5
    assert not {h.piece.id for h in first.hits} & {h.piece.id for h in second.hits}


def test_drafts_never_appear_even_for_their_authors(client, make_piece, login_as):
    draft = make_piece(status="draft", title="Draf perizinan")
    login_as(draft.author)
    assert "Draf perizinan" not in client.get("/search?q=perizinan").text


def test_header_search_box_on_every_page(client, make_piece):
    for url in ["/", "/pieces", "/indicators", "/login"]:
        assert 'id="header-q"' in client.get(url).text


def test_healthz_reports_index_and_queue(client, make_piece):
    make_piece()
    search = client.get("/healthz").json["search"]
    assert search == {"status": "ok", "documents": 1, "queue": 0, "oldest_queued_seconds": None}


def test_cached_term_sets_follow_the_index(make_piece):
    """The per-searcher caches never hide a publish, an edit or an unpublish from the next search."""
    first = make_piece(title="Kanal pengaduan warga")
    assert [h.piece.id for h in search_pieces("pengaduan", SearchFilters()).hits] == [first.id]
    second = make_piece(title="Pengaduan daring terpadu")
    found = search_pieces("pengaduan", SearchFilters(kind=second.kind.value))
    assert {h.piece.id for h in found.hits} == {first.id, second.id} and found.total == 2
    assert dict(found.facets["kind"])[second.kind.value] == 2
    first.title, first.status = "Kanal aspirasi warga", PieceStatus.DRAFT
    db.session.commit()
    assert [h.piece.id for h in search_pieces("pengaduan", SearchFilters()).hits] == [second.id]
