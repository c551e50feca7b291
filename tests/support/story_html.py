"""The rule for a rendered story, written out: which tags and attributes it may hold.

Where the rule comes from: DESIGN §3 (a story is written in "a small Markdown subset",
rendered with raw HTML off, then an allowlist), the writing page's hint (blank lines start
paragraphs, *stars* for emphasis, - for lists, > for quotes, [words](https://…) for links)
and the security checklist X1/X3 (no other tags, no on* attributes; every link carries
rel="nofollow noopener noreferrer" and an http, https or mailto address, read as a browser
reads it). The literals below are the rule: they are never imported from
advocacy.sanitize, so widening the allowlist there makes the tests fail.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Tag -> the attributes it may carry.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "p": frozenset(),  # blank lines start paragraphs
    "br": frozenset(),  # a hard line break inside a paragraph
    "em": frozenset(),  # *stars*
    "strong": frozenset(),  # **two stars**
    "ul": frozenset(),  # - a list
    "ol": frozenset({"start"}),  # 3. a numbered list, which may start at 3
    "li": frozenset(),
    "blockquote": frozenset(),  # > a quote
    "a": frozenset({"href", "rel"}),  # [words](https://…)
}
LINK_SCHEMES = ("http:", "https:", "mailto:")
LINK_REL = frozenset({"nofollow", "noopener", "noreferrer"})


@dataclass
class Reading:
    """What a parser finds in a piece of HTML, in document order."""

    tags: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)
    end_tags: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    # Comments, <!DOCTYPE …>, <![CDATA[…]]> and <?…>: none belong in a story.
    other: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.reading = Reading()

    def handle_starttag(self, tag, attrs):
        self.reading.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.reading.end_tags.append(tag)

    def handle_data(self, data):
        self.reading.text.append(data)

    def handle_comment(self, data):
        self.reading.other.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.reading.other.append(f"<!{decl}>")

    def unknown_decl(self, data):
        self.reading.other.append(f"<![{data}]>")

    def handle_pi(self, data):
        self.reading.other.append(f"<?{data}>")


def read(fragment: str) -> Reading:
    """Parse an HTML fragment with the standard library's parser (not bleach's html5lib)."""
    reader = _Reader()
    reader.feed(fragment)
    reader.close()
    return reader.reading


def visible_text(fragment: str) -> str:
    """The text a reader sees: every text node, entities decoded, tags left out."""
    return "".join(read(fragment).text)


def as_a_browser_reads_it(address: str) -> str:
    """Entity-decode, drop control characters and whitespace, lower-case (URL parsing)."""
    decoded = html.unescape(address)
    return "".join(ch for ch in decoded if ch > " " and ch != "\x7f").lower()


def unsafe_parts(fragment: str) -> list[str]:
    """Everything in fragment the rule does not allow, described; empty when it is safe."""
    reading = read(fragment)
    found = [
        f"not a tag of the subset: <{tag}>"
        for tag, _ in reading.tags
        if tag not in ALLOWED_ATTRIBUTES
    ]
    found += [
        f"not a tag of the subset: </{tag}>"
        for tag in reading.end_tags
        if tag not in ALLOWED_ATTRIBUTES
    ]
    found += [f"markup that is no tag: {other}" for other in reading.other]
    for tag, attributes in reading.tags:
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset())
        for name, value in attributes:
            if name not in allowed:
                found.append(f"attribute {name}={value!r} on <{tag}>")
            if name == "href" and not as_a_browser_reads_it(value or "").startswith(LINK_SCHEMES):
                found.append(f"link address not http, https or mailto: {value!r}")
        if tag == "a":
            rel = next((value or "" for name, value in attributes if name == "rel"), "")
            if not set(rel.lower().split()) >= LINK_REL:
                found.append(f"link without rel nofollow noopener noreferrer: rel={rel!r}")
    return found


def assert_safe(fragment: str) -> None:
    """Fail, naming each offending part, unless fragment keeps to the rule above."""
    found = unsafe_parts(fragment)
    assert not found, f"{found}\nin: {fragment!r}"
