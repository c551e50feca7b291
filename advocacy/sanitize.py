"""Story Markdown to safe HTML: the only module that imports bleach.

Two walls: markdown-it never emits the writer's own HTML (html=False, and only
paragraphs, emphasis, lists, quotes and links are switched on), and bleach then
keeps only an allowlist of tags, attributes and link schemes. Stored HTML
carries SANITIZER_VERSION, so it is rendered again whenever this module changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from html import unescape
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter
from markdown_it import MarkdownIt

# Raise this whenever the rules below change: stored HTML is rendered again. 2: HTML
# stored while one cleaner was shared by a worker's threads may hold another story's text.
SANITIZER_VERSION = 2

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
STRIP_COMMENTS = True

# The commonmark preset with everything but the small subset switched off.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable(
    ["code", "fence", "heading", "lheading", "hr", "html_block", "reference", "table"],
    ignoreInvalid=True,
)
_markdown.disable(["backticks", "image", "html_inline", "autolink"], ignoreInvalid=True)
# markdown-it builds each rule chain's look-up on first use, in place: built here, once,
# no worker thread sees one half-built.
_markdown.parse("x")


def allowed_href(href: str) -> bool:
    """Return whether a link address uses http, https or mailto (nothing relative or odd)."""
    cleaned = "".join(ch for ch in href if ch > " " and ch != "\x7f")
    scheme = urlsplit(cleaned).scheme.lower()
    return scheme in ALLOWED_PROTOCOLS and cleaned.lower().startswith(f"{scheme}:")


class HardenLinks(Filter):
    """Give every link rel="nofollow noopener noreferrer"; drop addresses of other schemes.

    `route`, when a subclass sets it, maps each address kept to the one the page links to
    instead (render_markdown's `link`)."""

    route: Callable[[str], str] | None = None

    def __iter__(self) -> Iterator[dict]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attributes = {
                    key: value
                    for key, value in dict(token["data"]).items()
                    if key == (None, "href") and allowed_href(value)
                }
                if self.route is not None and (None, "href") in attributes:
                    # The parser keeps character references: "&amp;" is "&" to a browser.
                    address = unescape(attributes[(None, "href")])
                    attributes[(None, "href")] = self.route(address)
                attributes[(None, "rel")] = LINK_REL
                token["data"] = attributes
            yield token


def make_cleaner(links: type[HardenLinks] = HardenLinks) -> bleach.Cleaner:
    """The allowlist cleaner, with `links` as its link filter."""
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=STRIP_COMMENTS,
        filters=[links],
    )


# One cleaner per thread: a bleach Cleaner keeps its HTML parser's state while it cleans
# and is not thread-safe (bleach's documentation), and a gthread worker serves requests in
# several threads at once (shared, one request's story could reach another's page).
_per_thread = threading.local()


def clean_html(html: str) -> str:
    """Keep only allowlisted tags, attributes and link schemes."""
    cleaner = getattr(_per_thread, "cleaner", None)
    if cleaner is None:
        cleaner = _per_thread.cleaner = make_cleaner()
    return cleaner.clean(html)


def render_markdown(text: str, *, link: Callable[[str], str] | None = None) -> str:
    """Turn story Markdown into sanitized HTML (the one function the app uses).

    `link`, given, is called with each link address the allowlist keeps (http, https or
    mailto), as a browser reads it, in the order they appear, and returns the address the
    link points to instead: the help library sends every outside link through a page of
    its own that says it leaves the site (help/services.py). Without it, links keep their
    own address.
    """
    if link is None:
        return clean_html(_markdown.render(text))
    routed = type("RoutedLinks", (HardenLinks,), {"route": staticmethod(link)})
    return make_cleaner(routed).clean(_markdown.render(text))
