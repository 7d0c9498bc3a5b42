"""Partial matches: never nothing when some words match; labelled, ranked by coverage, paged coherently."""

from livinglab.search.query import SearchFilters, search_pieces


def _ids(results) -> list[int]:
    return [hit.piece.id for hit in results.hits]


def test_partial_matches_follow_the_full_ones_rarest_word_first(make_piece):
    full = make_piece(title="Arsip digital kecamatan", summary="Arsip digital di kecamatan.")
    common = [make_piece(title=f"Layanan kecamatan {n}", summary="Layanan kecamatan.") for n in range(3)]
    rare = make_piece(title="Arsip dinamis", summary="Arsip dinamis.")
    neither = make_piece(title="Jaringan intra", summary="Jaringan.")
    results = search_pieces("arsip digital kecamatan", SearchFilters())
    assert _ids(results)[0] == full.id and results.hits[0].partial is None
    partial = [hit for hit in results.hits if hit.partial]
    assert partial[0].piece.id == rare.id  # "arsip" is rarer than "kecamatan"
    assert partial[0].partial.missing == ["digital", "kecamatan"] and partial[0].partial.matched == ["arsip"]
    assert {hit.piece.id for hit in partial[1:]} == {p.id for p in common}
    assert neither.id not in _ids(results) and len(set(_ids(results))) == len(results.hits)
    assert results.full_total == 1 and results.total == 5 == len(results.hits)
    assert dict(results.facets["kind"]) == {"practice": 5}


def test_more_matched_words_rank_higher(make_piece):
    one = make_piece(title="Audit tik", summary="Audit tik.")
    two = make_piece(title="Audit keamanan tik", summary="Audit keamanan tik.")
    results = search_pieces("audit keamanan tik internal", SearchFilters())
    assert results.full_total == 0 and _ids(results) == [two.id, one.id]
    assert results.hits[0].partial.missing == ["internal"]


def test_pages_of_partial_matches_are_coherent(make_piece):
    full = make_piece(title="Helpdesk terpadu", summary="Helpdesk terpadu.")
    for n in range(4):
        make_piece(title=f"Helpdesk kota {n}", summary="Helpdesk.")
    pages = [search_pieces("helpdesk terpadu", SearchFilters(), page=n, per_page=2) for n in (1, 2, 3)]
    seen = [piece_id for page in pages for piece_id in _ids(page)]
    assert seen[0] == full.id and len(seen) == len(set(seen)) == 5
    assert all(page.total == 5 and page.full_total == 1 for page in pages)
    assert [len(page.hits) for page in pages] == [2, 2, 1]


def test_no_partial_matches_when_a_page_is_full(make_piece):
    for n in range(3):
        make_piece(title=f"Arsip digital {n}", summary="Arsip digital.")
    make_piece(title="Arsip kertas", summary="Arsip kertas.")
    results = search_pieces("arsip digital", SearchFilters(), per_page=3)
    assert results.total == 3 and not any(hit.partial for hit in results.hits)


def test_partial_matches_respect_the_filters(make_piece):
    make_piece(title="Arsip dinamis", summary="Arsip.", kind="case_study")
    practice = make_piece(title="Arsip statis", summary="Arsip.", kind="practice")
    results = search_pieces("arsip vital", SearchFilters(kind="practice"))
    assert _ids(results) == [practice.id] and results.total == 1


def test_a_misspelt_word_with_few_results_also_finds_the_right_spelling(make_piece):
    typo = make_piece(title="Forum kolaboarsi", summary="Catatan forum.")
    right = [make_piece(title=f"Kolaborasi kampus {n}", summary="Kolaborasi.") for n in range(3)]
    results = search_pieces("kolaboarsi", SearchFilters())
    assert _ids(results)[0] == typo.id and results.full_total == 1
    assert {hit.piece.id for hit in results.hits[1:]} == {p.id for p in right}
    assert all(hit.partial and hit.partial.missing == [] for hit in results.hits[1:])


def test_the_page_labels_partial_matches_and_what_they_lack(client, make_piece):
    make_piece(title="Arsip digital kecamatan", summary="Arsip digital.")
    make_piece(title="Arsip dinamis", summary="Arsip dinamis.")
    html = client.get("/search?q=arsip+digital").text
    assert "Cocok dengan sebagian kata Anda" in html and "Tidak memuat: digital" in html
    assert html.index("Arsip digital kecamatan") < html.index('id="partial-matches"') < html.index("Arsip dinamis")
    assert "1 di antaranya memuat semua kata Anda" in html
    client.set_cookie("lang", "en")
    english = client.get("/search?q=arsip+digital").text
    assert "Matches some of your words" in english and "Missing: digital" in english


def test_the_page_says_when_no_piece_has_all_the_words(client, make_piece):
    make_piece(title="Arsip dinamis", summary="Arsip dinamis.")
    html = client.get("/search?q=arsip+kertas").text
    assert "Tidak ada tulisan yang memuat semua kata Anda" in html and "Tidak memuat: kertas" in html


def test_a_repeated_word_counts_once(make_piece):
    make_piece(title="Audit infrastruktur pusat data", summary="Pemeriksaan pusat data.")
    results = search_pieces("<script>alert(1)</script> audit", SearchFilters())
    assert [hit.partial.missing for hit in results.hits] == [["script", "alert"]]
