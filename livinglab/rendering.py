"""The one Markdown → sanitised HTML function, in two strengths: pieces and comments."""

import markdown
import nh3
from markupsafe import Markup

MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]
MARKDOWN_CONFIG = {"tables": {"use_align_attribute": True}}
URL_SCHEMES = {"http", "https", "mailto"}
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


def render_markdown(text: str | None, profile: str = "piece") -> Markup:
    """Render user Markdown and sanitise it with the profile's allow-list; safe to print as is."""
    if not text:
        return Markup("")
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG)
    return Markup(_CLEANERS[profile].clean(html))
