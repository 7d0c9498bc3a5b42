"""Snippets show where a result matches: affixed forms marked, the densest passage chosen, all escaped."""

import re

from livinglab.search.snippets import WIDTH, snippet

FILLER = " ".join(f"kalimat{n} pengisi" for n in range(60))


def _marks(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_affixed_forms_of_a_root_are_marked_and_unrelated_words_are_not():
    html = snippet("Perizinan daring: warga mengizinkan, izin terbit; dizinkan bukan kata.", ["izin"], "id")
    assert _marks(html) == ["Perizinan", "mengizinkan", "izin"]


def test_english_pieces_are_compared_by_their_english_stems():
    html = snippet("The complaints desk answers every complaint; complainants wait less.", ["complaint"], "en")
    assert _marks(html) == ["complaints", "complaint"]


def test_the_window_is_the_densest_stretch_with_ellipses_where_text_is_cut():
    text = f"izin di awal. {FILLER} arsip dan arsip serta arsip dinamis. {FILLER}"
    html = snippet(text, ["izin", "arsip"], "id")
    assert _marks(html) == ["arsip", "arsip", "arsip"]
    assert html.startswith("… ") and html.endswith(" …")
    assert len(re.findall(r"[^\W_]+", re.sub("<[^>]+>", "", html))) == WIDTH


def test_a_text_without_matches_starts_at_the_beginning():
    html = snippet(f"Awal teks. {FILLER}", ["tidakada"], "id")
    assert html.startswith("Awal teks.") and not _marks(html) and html.endswith(" …")


def test_the_text_is_escaped_and_only_marks_are_markup():
    html = snippet('Izin <script>alert("x")</script> & <b>izin</b>', ["izin"], "id")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
    assert re.sub(r"</?mark>", "", html).count("<") == 0
    assert str(snippet('Izin & "tanda" <b>izin</b> usaha', ["izin"], "id")) == (
        '<mark>Izin</mark> &amp; &#34;tanda&#34; &lt;b&gt;<mark>izin</mark>&lt;/b&gt; usaha')


def test_a_short_text_is_shown_whole():
    assert str(snippet("Layanan izin.", ["izin"], "id")) == "Layanan <mark>izin</mark>"
    assert snippet("", ["izin"], "id") == "" and snippet("!!!", ["izin"], "id") == ""
