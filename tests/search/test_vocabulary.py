"""Query expansion: Indonesian ↔ English terms, spelling variants and acronyms, each bounded."""

import pytest

from livinglab.search import expansion, vocabulary
from livinglab.search.query import SearchFilters, search_pieces
from livinglab.search.vocabulary import MAX_TRANSLATIONS, key

TERMS = [("pengadaan", "procurement"), ("pengaduan", "complaint"), ("pusat data", "data centre"),
         ("izin", "licence"), ("izin", "permit")] + [("sepuluh", f"ten{n}") for n in range(10)]
VARIANTS = [("praktek", "praktik"), ("ijin", "izin"), ("sistim", "sistem")]


@pytest.fixture
def vocab(monkeypatch):
    """A tiny term list and variant list of the test's own, in place of the shipped files."""
    files = {"terms_id_en.csv": [{"id": i, "en": e} for i, e in TERMS],
             "spelling_variants.csv": [{"variant": v, "standard": s} for v, s in VARIANTS]}
    monkeypatch.setattr(vocabulary, "content_rows", lambda name: files[name])
    for cached in (vocabulary.bilingual, vocabulary.spelling_groups, vocabulary.longest_key):
        cached.cache_clear()
    yield
    monkeypatch.undo()
    for cached in (vocabulary.bilingual, vocabulary.spelling_groups, vocabulary.longest_key):
        cached.cache_clear()


def _found(text: str) -> set[int]:
    return {hit.piece.id for hit in search_pieces(text, SearchFilters()).hits if hit.partial is None}


def test_an_english_word_finds_indonesian_pieces_and_back(vocab, make_piece):
    indonesian = make_piece(title="Pemantauan pengadaan", summary="Paket pengadaan dipantau.")
    english = make_piece(title="One complaint desk", summary="Every complaint is answered.", body="Done.",
                         language="en")
    assert _found("procurement") == {indonesian.id}
    assert _found("pengaduan") == {english.id}
    assert _found("complaints") == {english.id}


def test_a_phrase_translates_as_a_whole_and_as_all_of_its_words(vocab, make_piece):
    centre = make_piece(title="Konsolidasi ruang server", summary="Satu pusat data untuk semua dinas.")
    make_piece(title="Pusat layanan", summary="Data kependudukan.")  # both words, apart: still all of them
    assert centre.id in _found("data centre")
    english = make_piece(title="Our new data centre", summary="The data centre opened.", language="en")
    assert english.id in _found("pusat data")


def test_translations_are_bounded_per_word(vocab):
    alternatives = expansion.translated(key("sepuluh"))
    assert len(alternatives) == MAX_TRANSLATIONS


def test_either_spelling_finds_both(vocab, make_piece):
    old, new = make_piece(title="Praktek audit", summary="Audit."), make_piece(title="Praktik audit", summary="Audit.")
    assert _found("praktek audit") == _found("praktik audit") == {old.id, new.id}
    permit = make_piece(title="Perizinan daring", summary="Layanan izin.")
    assert permit.id in _found("ijin")
    queue = make_piece(title="Sistem antrean", summary="Antrean daring.")
    assert _found("sistim antrean") == {queue.id}


def test_a_variant_also_matches_the_phrase_of_its_standard_form(vocab):
    assert key("Praktek Baik") == key("praktik baik") == ("praktik", "baik")
    assert key("Pelayanan Terpadu 1 Pintu") == key("pelayanan terpadu satu pintu")


@pytest.mark.parametrize("typed, written", [
    ("Tanda Tangan Elektronik", "Surat ditandatangani dengan TTE."),
    ("TTE", "Surat memakai tanda tangan elektronik."),
    ("sistem pemerintahan berbasis elektronik", "Arsitektur SPBE kabupaten."),
    ("spbe", "Arsitektur sistem pemerintahan berbasis elektronik."),
    ("dinas komunikasi informatika", "Tim Diskominfo mendampingi."),
    ("Dinas Komunikasi dan Informatika", "Tim Diskominfo mendampingi."),
    ("diskominfo", "Dinas Komunikasi dan Informatika mendampingi."),
    ("pelayanan terpadu 1 pintu", "Loket PTSP buka setiap hari."),
    ("ptsp", "Pelayanan Terpadu Satu Pintu buka setiap hari."),
])
def test_acronyms_and_their_written_out_forms_find_each_other(make_piece, typed, written):
    piece = make_piece(title="Catatan lapangan", summary=written, body="Isi.")
    make_piece(title="Lain", summary="Tidak berhubungan.", body="Isi.")
    assert _found(typed) == {piece.id}
