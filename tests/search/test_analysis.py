"""Indonesian and English analysis: affixes, stop words, accents, the stem cache."""

import pytest

from livinglab.search.analysis import (
    COMMON_ROOTS,
    PAIRS_MARKER,
    CommonPairFilter,
    IndonesianTokenizer,
    english_analyzer,
    indonesian_analyzer,
    pairs_analyzer,
    stem_id,
    synonyms,
)


def _tokens(analyzer, text):
    return [t.text for t in analyzer(text)]


@pytest.mark.parametrize("word, root", [
    ("menetapkan", "tetap"),        # me- ... -kan
    ("mengizinkan", "izin"),
    ("dikonsolidasikan", "konsolidasi"),  # di- ... -kan
    ("diaudit", "audit"),           # di-
    ("berbagi", "bagi"),            # ber-
    ("berkolaborasi", "kolaborasi"),
    ("perizinan", "izin"),          # pe- ... -an
    ("pengelolaan", "kelola"),      # the case snowball gets wrong (elola)
    ("pengaduan", "adu"),
    ("penerbitan", "terbit"),
    ("keamanan", "aman"),           # ke- ... -an
    ("kependudukan", "duduk"),
    ("kearsipan", "arsip"),
    ("lengkapi", "lengkap"),        # -i
    ("asetnya", "aset"),            # -nya
    ("aplikasinya", "aplikasi"),
])
def test_indonesian_affixes_reduce_to_the_root(word, root):
    assert stem_id(word) == root
    assert _tokens(indonesian_analyzer(), word.upper()) == [root]


def test_indonesian_stop_words_and_accents():
    assert _tokens(indonesian_analyzer(), "yang dan di untuk Café") == ["cafe"]


def test_short_words_codes_and_hyphenated_terms_are_kept():
    assert _tokens(indonesian_analyzer(), "TTE I45 e-budgeting") == ["tte", "i45", "e-budgeting"]


def test_english_stemming():
    assert _tokens(english_analyzer(), "Licensing services and archives") == ["licens", "servic", "archiv"]


def test_stemmer_results_are_cached():
    stem_id.cache_clear()
    stem_id("pelayanan")
    stem_id("pelayanan")
    info = stem_id.cache_info()
    assert info.hits == 1 and info.misses == 1


def test_synonym_list_is_data_with_at_least_50_entries():
    entries = synonyms()
    assert len(entries) >= 50
    assert entries["tte"] == "tanda tangan elektronik" and entries["opd"] == "organisasi perangkat daerah"


def test_neighbouring_common_roots_are_indexed_as_pairs_and_the_list_is_recorded():
    assert {"data", "pusat", "layan", "izin"} <= COMMON_ROOTS and "desa" not in COMMON_ROOTS
    tokens = [t.text for t in pairs_analyzer()("Pusat data dan layanan perizinan desa, data pusat")]
    # stop words ("dan") are skipped, as the text field's positions skip them; "desa" breaks the chain
    assert tokens == ["pusat data", "data layan", "layan izin", "data pusat", PAIRS_MARKER]
    assert [t.text for t in pairs_analyzer()("")] == [PAIRS_MARKER]


@pytest.mark.parametrize("text", [
    "Yang menetapkan perizinan di Kabupaten Sumedang, dan pengaduan masyarakat.",
    "di untuk Café Œuvre naïve e-budgeting I45 TTE a b 2024 ber-TTE _x_ dan",
    "",
    "yang dan di",
    "Pusat data dan layanan perizinan desa, data pusat; pelayanan data",
])
def test_the_one_pass_analysis_equals_the_chain_of_filters(text):
    analyzer = indonesian_analyzer()
    for start in (0, 7):
        fast = [(t.text, t.pos) for t in analyzer(text, positions=True, start_pos=start)]
        chain = [(t.text, t.pos) for t in analyzer.pipeline(text, positions=True, start_pos=start)]
        assert fast == chain
    with_offsets = [(t.text, t.startchar) for t in analyzer(text, chars=True)]
    assert [word for word, _ in with_offsets] == [t.text for t in analyzer(text)]
    chained_pairs = IndonesianTokenizer() | CommonPairFilter()
    assert _tokens(pairs_analyzer(), text) == _tokens(chained_pairs, text)
