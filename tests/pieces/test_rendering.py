"""The sanitiser: nothing a user writes runs as script, loads remote content or breaks the page."""

import pytest

from livinglab.rendering import plain_text, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "![x](http://evil.example/track.png)",
    '<a href="javascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](java\tscript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[vb](vbscript:msgbox(1))",
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<iframe src="http://evil.example"></iframe>',
    '<object data="http://evil.example/x.swf"></object>',
    '<embed src="http://evil.example/x.swf">',
    '<form action="http://evil.example"><input name="p"></form>',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</div>',
    '<style>body{display:none}</style>',
    '<link rel="stylesheet" href="http://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=http://evil.example">',
    '<base href="http://evil.example/">',
    '<p onclick="alert(1)" onmouseover="alert(2)">teks</p>',
    "<a href='x' style='color:red'>s</a>",
    "<div><p>tidak ditutup <b>tebal <i>miring",
    "</div></div></main><h1>keluar dari tata letak",
    "<!-- <script>alert(1)</script> -->",
    '<img src="x" alt="a" srcset="http://evil.example/x.png 1x">',
    "<video src=http://evil.example/v.mp4 autoplay></video>",
    '<a href="http://evil.example" target="_blank">tab</a>',
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("profile", ["piece", "comment"])
def test_hostile_input_is_neutralised(text, profile):
    html = str(render_markdown(text, profile)).lower()
    for forbidden in ("<script", "onerror", "onload", "onclick", "onmouseover", "javascript:", "vbscript:", "data:",
                      "<img", "<svg", "<math", "<iframe", "<object", "<embed", "<form", "<input", "style=", "<style",
                      "<link", "<meta", "<base", "<video", "srcset", "target="):
        assert forbidden not in html, (text, html)


def test_markdown_features_survive():
    html = str(render_markdown(
        "## Hasil\n\n- satu\n- dua\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nkode\n```\n\n**tebal** _miring_ [tautan](https://contoh.go.id)"
    ))
    for expected in (
        "<h2>Hasil</h2>",
        "<li>satu</li>",
        "<table>",
        "<td>1</td>",
        "<pre><code>",
        "<strong>tebal</strong>",
        "<em>miring</em>",
    ):
        assert expected in html
    assert 'href="https://contoh.go.id" rel="nofollow ugc noopener"' in html


def test_comment_profile_has_no_headings_or_tables():
    html = str(render_markdown("## Judul\n\n| a |\n|---|\n| 1 |", "comment"))
    assert "<h2" not in html and "<table" not in html and "Judul" in html


def test_broken_html_is_balanced():
    html = str(render_markdown("<div><p>tidak ditutup <b>tebal <i>miring"))
    assert html.count("<b>") == html.count("</b>") and html.count("<i>") == html.count("</i>")


def test_enormous_input_is_rendered_whole():
    text = ("Paragraf panjang tentang perizinan daring. " * 50 + "\n\n") * 400  # about 900 KB
    html = str(render_markdown(text))
    assert html.count("<p>") == 400
    nested = "> " * 500 + "kutipan sangat dalam"
    assert "kutipan sangat dalam" in str(render_markdown(nested))


def test_empty_input():
    assert str(render_markdown("")) == "" and str(render_markdown(None)) == ""


@pytest.mark.parametrize("profile", ["piece", "comment"])
def test_bare_addresses_become_links_without_trailing_punctuation(profile):
    html = str(render_markdown("Templat di https://contoh.go.id/templat_arsitektur. Juga (https://contoh.go.id/b)",
                               profile))
    assert '<a href="https://contoh.go.id/templat_arsitektur" rel="nofollow ugc noopener">' in html
    assert "</a>. Juga" in html and '<a href="https://contoh.go.id/b" rel="nofollow ugc noopener">' in html
    assert "<em>" not in html  # underscores inside an address are not emphasis
    code = str(render_markdown("`https://contoh.go.id` dan [tautan](https://contoh.go.id/c)", profile))
    assert "<code>https://contoh.go.id</code>" in code and code.count("<a ") == 1


def test_plain_text_drops_markup_and_script_content():
    words = plain_text("**Tebal** dan `kode` <script>alert(1)</script>\n\n- satu\n- dua").split()
    assert words == ["Tebal", "dan", "kode", "satu", "dua"]
