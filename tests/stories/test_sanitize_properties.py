"""Properties of story rendering over a space of inputs (hypothesis).

Whatever a member types, the rendered story keeps to the rule of tests/support/
story_html.py (only the subset's tags and attributes, hardened links), and what they
wrote is shown, not lost and not turned into markup: HTML they type is text.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.sanitize import clean_html, render_markdown
from tests.support.story_html import assert_safe, read, visible_text

# Pieces of HTML, entities, script URLs, Markdown and control characters to build text from.
FRAGMENTS = [
    "<", ">", "</", "/>", "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href=",
    '<a href="javascript:alert(1)">', "<svg/onload=alert(1)>", "<math>", "<style>", "<p ",
    " onclick=", " href=", " src=", " rel=opener", " style=", "<!--", "-->", "<![CDATA[", "]]>",
    '"', "'", "`", "=", "&", "&lt;", "&gt;", "&amp;", "&quot;", "&#106;", "&#x6A;", "&colon;",
    "&Tab;", "&NewLine;", "&#0;", "javascript:", "JaVaScRiPt:alert(1)", "java\tscript:",
    "vbscript:", "data:text/html,", "https://ok.example", "mailto:a@b.example", "//evil.example",
    "[", "]", "(", ")", "](", "[x](", "[x](javascript:alert(1))", "[x](https://ok.example)",
    "![x](", "<https://ok.example>", "*", "**", "_", "\\", "> ", "- ", "1. ", "#", "|",
    "\n", "\n\n", "  \n", "\t", "\r", "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f",
    "\x85", "\u2028", "\u200b", "\ufeff",
]  # fmt: skip
html_ish_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40
).map("".join)
any_text = st.one_of(st.text(), html_ish_text)

# Plain words: letters no fragment above spells, so finding one in the output means the
# author's own word came through.
words = st.text(alphabet="bdfghkmqwxz", min_size=3, max_size=8)
# Block markers nest; markdown-it drops text nested 20 levels deep (a known loss, see
# test_sanitize.test_deeply_nested_words_are_not_lost), so a story here nests at most 8.
BLOCK_MARKERS = {"> ", "- ", "1. "}
# Fragments after which a word would be a link's address rather than its text.
OPENS_AN_ADDRESS = {"](", "[x](", "![x]("}
noise = st.sampled_from([f for f in FRAGMENTS if f not in OPENS_AN_ADDRESS])


@settings(max_examples=100, deadline=None)
@given(any_text)
def test_a_rendered_story_keeps_to_the_rule(text):
    assert_safe(render_markdown(text))


@settings(max_examples=100, deadline=None)
@given(any_text)
def test_cleaning_raw_html_keeps_to_the_rule(text):
    assert_safe(clean_html(text))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(words.map(lambda w: ("word", w)), noise.map(lambda f: ("noise", f))))
    .filter(lambda tokens: sum(piece in BLOCK_MARKERS for _, piece in tokens) <= 8)
    .filter(lambda tokens: any(kind == "word" for kind, _ in tokens))
)
def test_every_word_the_author_wrote_is_shown_in_order(tokens):
    text = " ".join(piece for _, piece in tokens)
    output = render_markdown(text)
    assert_safe(output)
    shown, position = visible_text(output), 0
    for kind, piece in tokens:
        if kind == "word":
            found = shown.find(piece, position)
            assert found >= 0, (piece, text, output)
            position = found + len(piece)


# HTML as a member might type it, with no character Markdown gives a meaning to.
TYPED_HTML = [
    "<", ">", "</", "/>", "<script>", "</script>", "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>", '<a href="javascript:alert(1)">', "</a>", "<p>", "</p>", "<br>",
    "<b>", "<em>", "<strong>", "<ul>", "<li>", "<blockquote>", "<style>", "<!--", "-->",
    "<![CDATA[", "]]>", '"', "'", "=", "/", "onclick=alert(1)", "javascript:alert(1)",
    '<a href="https://ok.example" rel="opener">', "<p title='x'>", "<math><mtext>",
]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(words, st.lists(st.one_of(words, st.sampled_from(TYPED_HTML)), min_size=1, max_size=30))
def test_html_the_author_types_is_shown_as_text(first_word, pieces):
    line = " ".join([first_word, *pieces])
    output = render_markdown(line)
    # One paragraph holding exactly what was typed: nothing lost, nothing became markup.
    assert [tag for tag, _ in read(output).tags] == ["p"], output
    assert visible_text(output).strip() == line
