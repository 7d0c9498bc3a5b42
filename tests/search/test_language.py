"""The language of a piece, detected at index time: English pieces saved as Indonesian, mixed pieces."""

from livinglab.search.documents import piece_document
from livinglab.search.language import detect, piece_languages
from livinglab.search.query import SearchFilters, search_pieces

ENGLISH = "We moved the licensing desk online and the waiting time fell from ten days to two."
INDONESIAN = "Kami memindahkan layanan perizinan ke daring dan waktu tunggu turun dari sepuluh hari menjadi dua."


def test_two_languages_are_told_apart_paragraph_by_paragraph():
    assert detect(ENGLISH) == ("en",) and detect(INDONESIAN) == ("id",)
    assert detect(f"{INDONESIAN}\n\n{INDONESIAN}\n\n{ENGLISH}") == ("id", "en")
    assert detect(f"{INDONESIAN}\n\n{INDONESIAN}\n\n{INDONESIAN}\n\n{INDONESIAN}\n\nThe end.") == ("id",)
    assert detect("SPBE TTE") == ()  # too little to tell


def test_the_default_language_yields_to_the_text_but_an_explicit_english_stays():
    assert piece_languages("id", ENGLISH) == ("en",)
    assert piece_languages("id", "Judul") == ("id",)
    assert piece_languages("en", INDONESIAN) == ("en", "id")


def test_an_english_piece_saved_as_indonesian_is_english_stemmed(make_piece):
    piece = make_piece(title="Licensing desk online", summary=ENGLISH, body=ENGLISH)
    document = piece_document(piece)
    assert document["language"] == "en" and "licensing" in document["text_en"].lower()
    assert search_pieces("licensed", SearchFilters()).hits[0].piece.id == piece.id
    assert dict(search_pieces("waiting", SearchFilters()).facets["language"]) == {"en": 1}


def test_a_mixed_piece_is_indexed_in_both_languages(make_piece):
    piece = make_piece(title="Perizinan daring", summary=INDONESIAN, body=f"{INDONESIAN}\n\n{ENGLISH}")
    document = piece_document(piece)
    assert document["language"] == "id" and "licensing" in document["text_en"]
    assert search_pieces("waited", SearchFilters()).hits[0].piece.id == piece.id
