"""What is searchable: the index schema and the one function that turns a piece into a document."""

import re
from pathlib import Path

from flask import current_app
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, FieldType, Schema
from whoosh.formats import Existence

from livinglab.pieces.models import Attachment, Piece
from livinglab.search.analysis import english_analyzer, indonesian_analyzer, pairs_analyzer, spelling_analyzer
from livinglab.search.extraction import Limits, extract
from livinglab.search.language import piece_languages

KIND_NAMES = {
    "practice": ("praktik baik", "practice"),
    "case_study": ("studi kasus", "case study"),
    "improvement": ("perbaikan spbe", "spbe improvement"),
}
PAIRS = {"text": "pairs"}  # a field with positions → the field holding its pairs of common roots
_MARKDOWN_MARKS = re.compile(r"[#*_`>|\[\]()~-]{1,}")


def schema() -> Schema:
    """Two analysed text fields per language, the pairs of common roots in the text, a spelling vocabulary,
    and untokenised facet fields.

    Only the Indonesian text carries positions (for phrase queries); nothing but the id is stored,
    because snippets are highlighted from the database text. The spelling vocabulary holds the words of
    what a piece is about (title, summary, tags, indicators, place), not of its whole body: a full copy
    of every body in a second field cost 40 % of the indexing time.
    """
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=indonesian_analyzer(), field_boost=3.0, phrase=True),
        text=TEXT(analyzer=indonesian_analyzer(), phrase=True),
        pairs=FieldType(Existence(), pairs_analyzer()),  # matched, never scored
        title_en=TEXT(analyzer=english_analyzer(), field_boost=3.0, phrase=False),
        text_en=TEXT(analyzer=english_analyzer(), phrase=False),
        words=TEXT(analyzer=spelling_analyzer(), phrase=False),
        codes=KEYWORD(lowercase=True),
        kind=ID(sortable=True),
        domain=KEYWORD,
        indicator=KEYWORD(lowercase=True),
        province=ID(sortable=True),
        regency=ID(sortable=True),
        year=ID(sortable=True),
        language=ID(sortable=True),
        # Sorted by its column and never searched by range: one term per piece instead of Whoosh's 16 tiers.
        published=NUMERIC(sortable=True, bits=64, shift_step=64),
    )


def plain_text(markdown_text: str) -> str:
    """Markdown with its markup characters removed, for indexing and snippets."""
    return _MARKDOWN_MARKS.sub(" ", markdown_text or "")


def extract_text(attachment: Attachment, limit: int | None = None) -> str:
    """Text of a PDF or DOCX attachment, capped; extracted in a limited child process (see extraction.py)."""
    config = current_app.config
    limits = Limits(config["SEARCH_EXTRACT_MEMORY_MB"], config["SEARCH_EXTRACT_CPU_SECONDS"],
                    config["SEARCH_EXTRACT_TIMEOUT"])
    path = Path(config["UPLOAD_DIR"]) / attachment.stored_name
    return extract(path, attachment.content_type, limit or config["SEARCH_ATTACHMENT_TEXT_LIMIT"], limits)


def piece_document(piece: Piece, extra_text: str = "") -> dict:
    """The index document of a published piece (the only place that decides what is searchable).

    The Indonesian fields always hold the text; the English fields hold it too when the piece is in
    English or substantially so (see language.py). The language facet is the author's English, or else
    the main language detected in the text (an English piece saved with the default Indonesian counts
    as English)."""
    indicators = piece.indicators
    aspects = {i.aspect for i in indicators}
    domains = {a.domain for a in aspects if a.domain}
    kind_id, kind_en = KIND_NAMES[piece.kind.value]
    place = [piece.regency.name, piece.regency.province.name]
    tags = [t.name for t in piece.tags]
    attachments = " ".join(a.extracted_text or "" for a in piece.attachments)
    body = " ".join([piece.summary, plain_text(piece.body), attachments, extra_text])
    about_id = " ".join([*tags, *(i.name_id for i in indicators), *(a.name_id for a in aspects),
                         *(d.name_id for d in domains), *place, kind_id])
    about_en = " ".join([*(i.name_en for i in indicators), *(a.name_en for a in aspects),
                         *(d.name_en for d in domains), kind_en])
    languages = piece_languages(piece.language, f"{piece.title}\n\n{piece.summary}\n\n{piece.body}")
    english = "en" in languages  # English-stemmed too: written in English, wholly or substantially
    text = f"{body} {about_id}"
    return {
        "id": str(piece.id),
        "title": piece.title,
        "text": text,
        "pairs": text,  # the same words, paired where both are common roots
        "title_en": piece.title if english else "",
        "text_en": f"{body if english else ''} {about_en} {' '.join(tags)}",
        "words": f"{piece.title} {piece.summary} {about_id}",
        "codes": " ".join(i.code for i in indicators),
        "kind": piece.kind.value,
        "domain": " ".join(str(d.number) for d in domains),
        "indicator": " ".join(i.code for i in indicators),
        "province": piece.regency.province_code,
        "regency": piece.regency_code,
        "year": str(piece.year),
        "language": languages[0],  # the main detected language where the author left the default
        "published": int((piece.published_at or piece.created_at).timestamp()),
    }
