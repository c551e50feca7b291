"""The identity check finds identifying details and leaves harmless look-alikes alone."""

from __future__ import annotations

import pytest

from advocacy.stories.identity import find_identifiers, highlight

PSEUDONYM = "river-member"

FINDS = [
    ("phone", "Call me at 555-123-4567 tonight.", "555-123-4567"),
    ("phone", "My cell was +1 (212) 555-0199.", "+1 (212) 555-0199"),
    ("phone", "Ring 0151 496 0000 any time.", "0151 496 0000"),
    ("phone", "text 5551234567", "5551234567"),
    ("email", "Write to jo.doe+safe@example.org please.", "jo.doe+safe@example.org"),
    ("email", "ME@MAIL.EXAMPLE.COM", "ME@MAIL.EXAMPLE.COM"),
    ("address", "We lived at 42 Maple Street for years.", "42 Maple Street"),
    ("address", "near 1600 Pennsylvania Avenue", "1600 Pennsylvania Avenue"),
    ("address", "the motel at 9 N Harbor Rd.", "9 N Harbor Rd."),
    ("unit", "room in Apt 4B upstairs", "Apt 4B"),
    ("case_number", "my case no. 12-345 was dismissed", "case no. 12-345"),
    ("case_number", "Case #4417 took a year", "Case #4417"),
    ("case_number", "Docket 2019-CR-001234", "Docket 2019-CR-001234"),
    ("case_number", "filed as 1:19-cr-00123 in court", "1:19-cr-00123"),
    ("birth_date", "I was born on 3/4/1990 in winter", "born on 3/4/1990"),
    ("birth_date", "DOB: 1990-03-04", "DOB: 1990-03-04"),
    ("birth_date", "born on March 4, 1990", "born on March 4, 1990"),
    ("birth_date", "my birthday is 4 March 1990", "birthday is 4 March 1990"),
    ("pseudonym", "People here know me as River-Member.", "River-Member"),
]

HARMLESS = [
    "From 2010-2014 I could not leave.",
    "It happened in 1998.",
    "They said I owed $1,000,000.",
    "We met at 10:30 pm.",
    "I walked down the street alone.",
    "Chapter 3 Road to recovery",
    "In case 300 people come, we will be ready.",
    "My case was hard.",
    "I was born in 1990.",
    "On 3/4 we met again.",
    "Read page 12 of the workbook.",
    "The number 42 means a lot to me.",
    "Rivers and members of my family.",
    "Email me later, she said.",
    "Version 3.14159 of my life.",
    "5 Street kids helped me.",
    "I was 17 when it started, and 23 when it ended.",
    "We drove for 1,200 miles.",
]


@pytest.mark.parametrize(("kind", "text", "found"), FINDS)
def test_finds_each_kind(kind, text, found):
    findings = find_identifiers(text, pseudonym=PSEUDONYM)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)]
    assert text[findings[0].start : findings[0].end] == found


@pytest.mark.parametrize("text", HARMLESS)
def test_ignores_harmless_look_alikes(text):
    assert find_identifiers(text, pseudonym=PSEUDONYM) == []


def test_highlight_splits_text_around_each_finding():
    text = "Call 555-123-4567 or mail a@b.org."
    pieces = highlight(text, find_identifiers(text))
    assert "".join(piece for piece, _ in pieces) == text
    assert [(piece, f.kind) for piece, f in pieces if f] == [
        ("555-123-4567", "phone"),
        ("a@b.org", "email"),
    ]
