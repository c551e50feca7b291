"""Reading a page as a tree, to say where things are: inside a closed <details>, in a <mark>.

A small tree over html.parser (no third-party parser is installed): each element knows its
tag, attributes, children and text. Enough for the moderation pages, which are well formed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        """All the text inside, as one string (tags dropped)."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str) -> list[Element]:
        """Every element with that tag inside, in document order."""
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    found.append(child)
                found += child.find_all(tag)
        return found

    def with_class(self, tag: str, name: str) -> list[Element]:
        """Every element with that tag and that class inside, in document order."""
        return [e for e in self.find_all(tag) if name in (e.attrs.get("class") or "").split()]

    def without(self, tag: str) -> Element:
        """A copy with every element of that tag (and what it holds) left out."""
        kept = [
            child if isinstance(child, str) else child.without(tag)
            for child in self.children
            if isinstance(child, str) or child.tag != tag
        ]
        return Element(self.tag, self.attrs, kept)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def main_of(page: str) -> Element:
    """The page's <main> element."""
    builder = _Builder()
    builder.feed(page)
    builder.close()
    (main,) = builder.root.find_all("main")
    return main
