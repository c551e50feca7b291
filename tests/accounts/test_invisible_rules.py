"""Characters that show nothing, one by one, and what a name that has one is told.

The rule, written here from Unicode: a character shows nothing when it is a format
character (category Cf, the bidi controls among them), a control character (Cc) other
than white space (white space only separates a name's words), a
Default_Ignorable_Code_Point of DerivedCoreProperties.txt, reserved ones included (a
conforming renderer shows them as nothing), or the braille blank. Each range of code
points is tried at both ends and just outside. A name with such a character is told one
thing, word for word, and so is a name that mixes alphabets.
"""

from __future__ import annotations

import pytest

from advocacy.accounts.policy import is_invisible, pseudonym_problems

SITE = "Pathways"
INVISIBLE = (
    "Your pseudonym has invisible or text-direction characters in it. "
    "Please type it again using only letters, numbers and the separators below."
)
MIXED = (
    "Please use letters from one alphabet only. Mixing alphabets can make a "
    "name look like someone else's."
)

SHOWS_NOTHING = [
    "\x00",  # NULL, a control character
    "\x1b",  # ESCAPE
    "\x7f",  # DELETE
    "\x9f",  # APPLICATION PROGRAM COMMAND, the last C1 control
    "\u200b",  # ZERO WIDTH SPACE, a format character
    "\u034f",  # COMBINING GRAPHEME JOINER
    "\u180b",  # MONGOLIAN FREE VARIATION SELECTOR ONE, first of U+180B..U+180F
    "\u180f",  # MONGOLIAN FREE VARIATION SELECTOR FOUR, last of them
    "\u2065",  # reserved, between the invisible operators and the isolates
    "\u2800",  # BRAILLE PATTERN BLANK
    "\ufe00",  # VARIATION SELECTOR-1, first of U+FE00..U+FE0F
    "\ufe0f",  # VARIATION SELECTOR-16, last of them
    "\ufff0",  # reserved, first of U+FFF0..U+FFF8
    "\ufff8",  # reserved, last of them
    "\U000e0000",  # reserved, first of U+E0000..U+E0FFF
    "\U000e0100",  # VARIATION SELECTOR-17
    "\U000e01ef",  # VARIATION SELECTOR-256
    "\U000e01f0",  # reserved, just after the variation selectors
    "\U000e0fff",  # reserved, last of U+E0000..U+E0FFF
]
SHOWS_SOMETHING = [
    "a",
    "\t",  # CHARACTER TABULATION: a control character, but white space
    "\x85",  # NEXT LINE: a control character, but white space
    "\u180a",  # MONGOLIAN NIRUGU, just before U+180B
    "\u1810",  # MONGOLIAN DIGIT ZERO, just after U+180F
    "\ufdff",  # ARABIC LIGATURE AZZA WA JALL, just before U+FE00
    "\ufe10",  # PRESENTATION FORM FOR VERTICAL COMMA, just after U+FE0F
    "\U000dffff",  # a noncharacter, just before U+E0000
    "\U000e1000",  # unassigned and not default-ignorable, just after U+E0FFF
]


@pytest.mark.parametrize("character", SHOWS_NOTHING, ids=lambda c: f"U+{ord(c):04X}")
def test_characters_that_show_nothing_are_invisible(character):
    assert is_invisible(character)


@pytest.mark.parametrize("character", SHOWS_SOMETHING, ids=lambda c: f"U+{ord(c):04X}")
def test_characters_beside_them_are_not(character):
    assert not is_invisible(character)


@pytest.mark.parametrize("character", SHOWS_NOTHING, ids=lambda c: f"U+{ord(c):04X}")
def test_a_name_with_an_invisible_character_is_told_that_and_nothing_else(character):
    """The other rules judge the name as it shows, so "quiet?fern" breaks no other rule."""
    raw = f"quiet{character}fern"
    pseudonym, problems = pseudonym_problems(raw, site_name=SITE)
    assert pseudonym == raw
    assert [str(problem) for problem in problems] == [INVISIBLE]


def test_a_name_that_mixes_alphabets_is_told_so_word_for_word():
    pseudonym, problems = pseudonym_problems("demo-m\u0435ntor", site_name=SITE)  # Cyrillic е
    assert pseudonym == "demo-m\u0435ntor"
    assert [str(problem) for problem in problems] == [MIXED]
