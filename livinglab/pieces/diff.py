"""Differences between two revisions, marked word by word for readers who are not programmers."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")


class Comparable(Protocol):
    """What a comparison reads: a stored revision, or a snapshot of a piece or of an editor's input."""

    title: str
    summary: str
    body: str
    indicator_codes: list
    tag_names: list


@dataclass
class FieldDiff:
    name: str
    html: Markup
    changed: bool


def mark_changes(old: str, new: str) -> Markup:
    """HTML of `new` with removed words in <del> and added words in <ins>; everything escaped."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts: list[str] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(str(escape("".join(a[a1:a2]))))
            continue
        if a1 != a2:
            parts.append(f"<del>{escape(''.join(a[a1:a2]))}</del>")
        if b1 != b2:
            parts.append(f"<ins>{escape(''.join(b[b1:b2]))}</ins>")
    html = "".join(parts)
    return Markup(html)  # nosec B704  # every piece of text above went through escape()


def compare_revisions(old: Comparable, new: Comparable) -> list[FieldDiff]:
    """The title, summary, body, indicators and tags of two versions, with their changes marked."""
    fields = []
    for name in ("title", "summary", "body"):
        before, after = getattr(old, name) or "", getattr(new, name) or ""
        fields.append(FieldDiff(name, mark_changes(before, after), before != after))
    for name in ("indicator_codes", "tag_names"):
        before, after = ", ".join(getattr(old, name) or []), ", ".join(getattr(new, name) or [])
        fields.append(FieldDiff(name, mark_changes(before, after), before != after))
    return fields
