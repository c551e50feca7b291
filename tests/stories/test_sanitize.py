"""The sanitizer (X1, X3, X4, X5): Markdown, then bleach, through the function the app uses."""

from __future__ import annotations

import html
import re
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import bleach
import pytest

from advocacy import sanitize
from advocacy.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from advocacy.stories.services import BODY_MAX, StoryError, StoryInput, check_input
from tests.stories.xss_payloads import PAYLOADS

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_TAGS = {
    "svg", "math", "noscript", "style", "iframe", "xmp", "template", "base", "form", "meta",
    "object", "embed", "script", "img",
}  # fmt: skip
REL = {"nofollow", "noopener", "noreferrer"}
SCHEMES = ("http:", "https:", "mailto:")


class Tags(HTMLParser):
    """Collect every tag and its attributes from rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def parsed(text: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(text)
    parser.close()
    return parser.tags


def decoded(value: str) -> str:
    """Entity-decode and drop control characters and whitespace, as a browser would read it."""
    value = html.unescape(value)
    return "".join(ch for ch in value if ch > " " and ch != "\x7f").lower()


def assert_safe(output: str) -> None:
    for tag, attributes in parsed(output):
        assert tag in ALLOWED_TAGS, (tag, output)
        for name, value in attributes.items():
            assert not name.startswith("on"), (name, output)
            assert name in ALLOWED_ATTRIBUTES.get(tag, []) or (tag, name) == ("a", "rel"), (
                name,
                output,
            )
            if name == "href":
                assert decoded(value or "").startswith(SCHEMES), (value, output)
        if tag == "a":
            assert set((attributes.get("rel") or "").split()) >= REL, output


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 40


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives(payload):
    assert_safe(render_markdown(payload))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_bleach_alone_also_cleans_raw_payloads(payload):
    # The second wall holds even if the renderer ever let HTML through.
    assert_safe(sanitize.clean_html(payload))


def bleach_test_data() -> list[str]:
    """bleach's own test corpus, when the installed package ships it."""
    found = sorted(Path(bleach.__file__).parent.glob("tests/data/*.test"))
    return [p.read_text(encoding="utf-8", errors="replace") for p in found]


@pytest.mark.parametrize("text", bleach_test_data() or [""])
def test_bleach_corpus_files(text):
    assert_safe(render_markdown(text))
    assert_safe(sanitize.clean_html(text))


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("*soft* and **strong**", "<p><em>soft</em> and <strong>strong</strong></p>"),
        ("> a quote", "<blockquote>\n<p>a quote</p>\n</blockquote>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        (
            "[help](https://example.org)",
            '<p><a href="https://example.org" rel="nofollow noopener noreferrer">help</a></p>',
        ),
        (
            "[write](mailto:hello@example.org)",
            '<p><a href="mailto:hello@example.org" rel="nofollow noopener noreferrer">'
            "write</a></p>",
        ),
        ("# not a heading", "<p># not a heading</p>"),
        ("`not code`", "<p>`not code`</p>"),
        ("<b>raw</b>", "<p>&lt;b&gt;raw&lt;/b&gt;</p>"),
    ],
)
def test_the_small_subset_renders(markdown, expected):
    assert render_markdown(markdown).strip() == expected


def test_relative_and_odd_links_lose_their_address():
    output = render_markdown("[home](/exit) [ftp](ftp://example.org/file)")
    assert "href" not in output
    assert_safe(output)


def test_deep_nesting_is_refused_first_or_fast():
    # X6: 100 000 nested <b> are over the length limit, so refused before rendering...
    with pytest.raises(StoryError):
        check_input(StoryInput(title="t", body="<b>" * 100_000 + "x"), today=date(2026, 1, 1))
    # ...and the longest story the limit allows renders quickly.
    started = time.perf_counter()
    render_markdown(("<b>" * BODY_MAX)[:BODY_MAX])
    render_markdown((">" * BODY_MAX)[: BODY_MAX - 2] + " x")
    assert time.perf_counter() - started < 2


# X4: versions and configuration pinned.


def test_bleach_version_and_configuration():
    version = tuple(int(part) for part in bleach.__version__.split(".")[:2])
    assert version >= (3, 3)
    assert sanitize.STRIP_COMMENTS is True
    assert not FORBIDDEN_TAGS & ALLOWED_TAGS
    assert set(sanitize.ALLOWED_PROTOCOLS) == {"http", "https", "mailto"}


def test_only_sanitize_imports_bleach():
    importers = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "advocacy").rglob("*.py")
        if re.search(r"^\s*(import bleach|from bleach)", path.read_text(), re.MULTILINE)
    ]
    assert importers == ["advocacy/sanitize.py"]


# X5: no unsafe template sinks but the one for sanitized story HTML.


def test_one_safe_filter_and_no_markup_on_request_data():
    safe_uses = []
    for path in (ROOT / "templates").rglob("*.html"):
        for _number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\|\s*safe\b", line):
                safe_uses.append((path.relative_to(ROOT).as_posix(), line.strip()))
    assert safe_uses == [
        (
            "templates/stories/_macros.html",
            '<div class="story-body">{{ sanitized_html|safe }}</div>',
        )
    ]
    for path in (ROOT / "advocacy").rglob("*.py"):
        text = path.read_text()
        assert "Markup(" not in text, path
        assert "render_template_string(" not in text, path


def test_no_unquoted_attribute_values_in_templates():
    unquoted = re.compile(r"""\s[\w-]+=\{\{""")
    found = [
        (path.name, line.strip())
        for path in (ROOT / "templates").rglob("*.html")
        for line in path.read_text().splitlines()
        if unquoted.search(line)
    ]
    assert found == []
