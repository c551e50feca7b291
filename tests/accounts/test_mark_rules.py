"""Which marks a look-alike key drops, one case each (the key rule of accounts/policy.py).

The rule, written here: at pseudonym size a mark on a Latin, Greek or Cyrillic letter or
on an ASCII character does not make another name ("mèntor" reads as "mentor"), so it is
dropped; so is a mark with no letter before it. Enclosing marks (Unicode category Me,
such as U+20DD COMBINING ENCLOSING CIRCLE) count as marks although their combining class
is 0. A mark on a letter of another script (a Devanagari virama) makes a different name
and stays.
"""

from __future__ import annotations

import pytest

from advocacy.accounts.policy import strip_marks


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("me\u0300ntor", "mentor"),  # a grave accent on an ASCII letter
        ("o\u20dd", "o"),  # an enclosing circle: category Me, combining class 0
        ("\u0301mentor", "mentor"),  # a mark with no letter before it
        ("\u03ac", "\u03b1"),  # Greek alpha with tonos: alpha
        ("\u01ff", "\u00f8"),  # Latin o with stroke and acute: o with stroke
        ("\u04c1", "\u0416"),  # Cyrillic Zhe with breve: Zhe
        ("\u0915\u094d", "\u0915\u094d"),  # Devanagari ka with virama: stays
    ],
)
def test_marks_on_latin_greek_cyrillic_and_ascii_go_and_others_stay(typed, kept):
    assert strip_marks(typed) == kept
