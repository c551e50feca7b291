"""What the forms of every domain share: text that shows as what it is."""

from __future__ import annotations

# Unicode's explicit bidirectional formatting characters (UAX #9 §2: embeddings and
# overrides U+202A-U+202E, isolates U+2066-U+2069, the marks LRM, RLM and ALM). In a title
# they make "abc\u202efdp.exe" show as "abcexe.pdf": text that displays differently from
# what it is.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
WITHOUT_BIDI_CONTROLS = str.maketrans(dict.fromkeys(map(ord, BIDI_CONTROLS)))


def without_bidi_controls(value: str | None) -> str | None:
    """A WTForms filter for one-line text others see (titles, areas, summaries): the
    value with every bidi control removed; None (no value sent) stays None."""
    return value.translate(WITHOUT_BIDI_CONTROLS) if value is not None else None
