"""The one Markdown → sanitised HTML function, in two strengths: pieces and comments."""

import html as html_entities
import re
import xml.etree.ElementTree as etree  # nosec B405  # builds link elements for Markdown, never parses XML
from collections.abc import Mapping
from importlib.metadata import version

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString
from markupsafe import Markup

MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]
MARKDOWN_CONFIG = {"tables": {"use_align_attribute": True}}
URL_SCHEMES = {"http", "https", "mailto"}
# What stored HTML was rendered with: the libraries' versions and ours (raise RENDERING when this module's
# output changes). HTML stored under another version is rendered again (`flask content rerender`).
RENDERING = 1
RENDERER_VERSION = f"{RENDERING};markdown {version('markdown')};nh3 {version('nh3')}"
LINK_REL = "nofollow ugc noopener"

_COMMENT_TAGS = {"p", "br", "strong", "em", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
_PIECE_TAGS = _COMMENT_TAGS | {"h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td"}

# Images are never allowed: user text must not load anything into another user's page.
_CLEANERS = {
    "piece": nh3.Cleaner(
        tags=_PIECE_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        clean_content_tags={"script", "style", "noscript", "template", "iframe", "object", "svg", "math"},
    ),
    "comment": nh3.Cleaner(
        tags=_COMMENT_TAGS,
        attributes={"a": {"href", "title"}, "ol": {"start"}},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        clean_content_tags={"script", "style", "noscript", "template", "iframe", "object", "svg", "math"},
    ),
}


# An address typed as is; it may not end in punctuation that usually closes the sentence.
BARE_URL = r"(?<![\w/\"'=@])(https?://[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]])"
# "@handle" not inside a word, an e-mail address or a path.
MENTION = r"(?<![\w@/.])@([A-Za-z0-9_]{3,30})\b"


def mention_candidates(text: str) -> set[str]:
    """Every lower-cased handle the text might mention (a superset: code and links are not excluded)."""
    return {match.lower() for match in re.findall(MENTION, text or "")}


class _MentionPattern(InlineProcessor):
    """Turns @handle into a profile link when the handle is known. Markdown never runs inline
    patterns inside code, and ANCESTOR_EXCLUDES keeps mentions out of link text and of quotes
    (quoting someone does not mention the people they mentioned)."""

    ANCESTOR_EXCLUDES = ("a", "blockquote")

    def __init__(self, profiles: Mapping[str, str], found: set[str]) -> None:
        super().__init__(MENTION)
        self.profiles, self.found = profiles, found

    def handleMatch(self, match, data):
        handle = match.group(1).lower()
        if handle not in self.profiles:
            return None, None, None
        self.found.add(handle)
        link = etree.Element("a", {"href": self.profiles[handle]})
        link.text = f"@{handle}"
        return link, match.start(0), match.end(0)


class _BareUrlPattern(InlineProcessor):
    """Links an address typed without Markdown (https://…), leaving trailing punctuation outside."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(self, match, data):
        link = etree.Element("a", {"href": match.group(1)})
        link.text = AtomicString(match.group(1))
        return link, match.start(1), match.end(1)


class _Links(Extension):
    """Bare addresses always; @mentions when `profiles` names the known handles."""

    def __init__(self, profiles: Mapping[str, str] | None = None, found: set[str] | None = None) -> None:
        super().__init__()
        self.profiles, self.found = profiles, found

    def extendMarkdown(self, md):
        md.inlinePatterns.register(_BareUrlPattern(BARE_URL), "bare_url", 96)
        if self.profiles:
            md.inlinePatterns.register(_MentionPattern(self.profiles, self.found), "mention", 95)


def render_markdown(text: str | None, profile: str = "piece", mentions: Mapping[str, str] | None = None,
                    found: set[str] | None = None) -> Markup:
    """Render user Markdown and sanitise it with the profile's allow-list; safe to print as is.

    `mentions` maps known handles to profile paths; each one linked is added to `found`.
    """
    if not text:
        return Markup("")
    links = _Links(mentions, found if found is not None else set())
    html = markdown.markdown(text, extensions=[*MARKDOWN_EXTENSIONS, links], extension_configs=MARKDOWN_CONFIG)
    clean = _CLEANERS[profile].clean(html)
    return Markup(clean)  # nosec B704  # nh3 has just sanitised it with an allow-list


def stored_markup(html: str) -> Markup:
    """HTML that `render_markdown` produced and the database kept under the current RENDERER_VERSION."""
    return Markup(html)  # nosec B704  # sanitised by render_markdown when it was stored


def plain_text(text: str | None) -> str:
    """The words of user Markdown without any markup (for excerpts in lists and e-mails); not HTML-safe."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG)
    return html_entities.unescape(nh3.clean(html, tags=set()))
