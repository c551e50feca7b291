"""When a password is too easy to guess, word for word, each bound tried on both sides.

The rules, written here from the policy (NIST SP 800-63B rev 4 asks to refuse
repetitive passwords and ones built from context such as the user's or the service's
name): a password that is one unit of 1 to 4 characters repeated, spaces left out
("quay quay quay quay"), is too easy whatever its length, so a password too short is
told both; a longer unit repeated is not repetitive. A password of 15 characters or more
is also too easy when fewer than 6 characters are left once the pseudonym and the site's
name are taken out, each as typed, case aside, without its separators (spaces, "_", ".",
"-", "'"), wherever the password has separators too, and only a name of 3 characters or
more (a shorter one would cut ordinary letter pairs out of every password).
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocacy.accounts.errors import PasswordRefused
from advocacy.accounts.policy import is_repetitive, validated_password
from tests.support.properties import PROPERTY_SETTINGS

SITE = "Pathways"
TOO_SHORT = "Use at least 15 characters. A few words in a row work well."
TOO_EASY = (
    "That password is too easy to guess (it is common, repetitive, or built from your "
    "pseudonym or the site's name). Try a few unrelated words."
)


def refusals(password: str, *, pseudonym: str = "Quiet Fern", site_name: str = SITE) -> list:
    """What the password is told; [] when it is taken (as typed, these being NFKC)."""
    try:
        kept = validated_password(password, pseudonym=pseudonym, site_name=site_name)
    except PasswordRefused as refused:
        return [str(message) for message in refused.messages]
    assert kept == password
    return []


# Repetition


@pytest.mark.parametrize(
    ("password", "told"),
    [
        ("zzzzzzzzzzzzz", [TOO_SHORT, TOO_EASY]),  # 1 character, 13 times
        ("quayquayquayquay", [TOO_EASY]),  # 4 characters, 4 times
        ("quay quay quay quay", [TOO_EASY]),  # the same, spaces left out
        ("abc abc abc abc", [TOO_EASY]),  # 3 characters, 4 times
    ],
)
def test_a_unit_of_1_to_4_characters_repeated_is_too_easy(password, told):
    assert refusals(password) == told


@pytest.mark.parametrize("password", ["cedar cedar cedar", "cedarcedarcedar"])
def test_a_unit_of_5_characters_repeated_is_not_repetitive(password):
    assert refusals(password) == []


@PROPERTY_SETTINGS
@given(
    unit=st.text(string.ascii_lowercase + string.digits + "!?", min_size=1, max_size=4),
    times=st.integers(min_value=2, max_value=32),
    spaces=st.lists(st.integers(min_value=0, max_value=128), max_size=8),
)
def test_spaces_anywhere_hide_no_repetition(unit, times, spaces):
    text = unit * times
    for at in spaces:
        text = text[:at] + " " + text[at:]
    assert is_repetitive(text)


# Names in the password


@pytest.mark.parametrize(
    ("pseudonym", "site_name", "password"),
    [
        ("alice_river", SITE, "alice-river 2024"),
        ("Alice River", SITE, "aliceriver1234567"),  # separators in the name only
        ("AliceRiver", SITE, "alice.river.2024.25"),  # separators in the password only
        ("Quiet Fern", "Harbor House", "harbor-house-2024-25"),  # the site's name
        ("Fox", SITE, "fox fox fox 2024!"),  # a name of 3 characters
    ],
)
def test_a_password_built_from_a_name_is_too_easy(pseudonym, site_name, password):
    assert refusals(password, pseudonym=pseudonym, site_name=site_name) == [TOO_EASY]


@pytest.mark.parametrize(
    ("pseudonym", "password"),
    [
        ("Fox", "fox quay lantern 24"),  # "quaylantern" is left: 11 characters
        ("Jo.", "jojo river jojo 24"),  # a name of 2 characters once "." is left out
    ],
)
def test_a_name_with_enough_beside_it_or_shorter_than_3_is_fine(pseudonym, password):
    assert refusals(password, pseudonym=pseudonym) == []


# Each bound at its edge: 15 characters is long enough to be judged on what is left; 6
# characters beside the names are enough and 5 are not; 4 different characters (a space
# is one) are enough and 3 are not.


@pytest.mark.parametrize(
    ("password", "told"),
    [
        ("riverstonequiet", [TOO_EASY]),  # exactly 15: "quiet" (5) is left
        ("riverstone quaint", []),  # "quaint" (6) is left
    ],
)
def test_six_characters_beside_the_name_are_enough_and_five_are_not(password, told):
    assert refusals(password, pseudonym="Riverstone") == told


@pytest.mark.parametrize(
    ("password", "told"),
    [
        ("abcddcbabacdcdab", []),  # a, b, c, d: 4 different, no unit repeated
        ("abccbabacbcaabcab", [TOO_EASY]),  # a, b, c: 3 different
    ],
)
def test_four_different_characters_are_enough_and_three_are_not(password, told):
    assert refusals(password) == told
