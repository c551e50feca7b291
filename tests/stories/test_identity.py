"""The identity check finds identifying details and leaves harmless look-alikes alone."""

from __future__ import annotations

import pytest

from advocacy.stories.identity import (
    Finding,
    find_identifiers,
    fingerprint,
    highlight,
    pseudonym_rule,
    read_on,
)
from advocacy.stories.identity.contact import cued_handle_check
from advocacy.stories.identity.documents import card_check, enough_digits, luhn_valid, plate_check
from advocacy.stories.identity.engine import (
    Encoded,
    Rule,
    after,
    compile_rule,
    scan,
    word_set,
)
from advocacy.stories.identity.records import case_check

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


def test_highlight_makes_no_empty_pieces_at_either_end():
    text = "555-123-4567 or a@b.org"
    pieces = highlight(text, find_identifiers(text))
    assert [(piece, f.kind if f else None) for piece, f in pieces] == [
        ("555-123-4567", "phone"),
        (" or ", None),
        ("a@b.org", "email"),
    ]


def test_a_finding_right_after_another_is_kept():
    # The street ends where the unit begins: touching is not overlapping.
    text = "22 W 34th St#12C"
    assert [(f.kind, f.start, f.end) for f in find_identifiers(text)] == [
        ("address", 0, 12),
        ("unit", 12, 16),
    ]


# SHA-256 (FIPS 180-4) of the findings' "kind:text" lines joined by a newline, first 16 hex
# digits: of "" (the standard's empty digest) and of "phone:555-123-4567\nemail:a@b.org".
def test_fingerprint_is_the_start_of_the_sha256_of_the_findings():
    phone = Finding("phone", 5, 17, "555-123-4567")
    email = Finding("email", 21, 28, "a@b.org")
    assert fingerprint([]) == "e3b0c44298fc1c14"
    assert fingerprint([phone]) == "dd0ab842a06d17bd"
    assert fingerprint([phone, email]) == "3e5ac98b3db03004"


def test_a_pseudonym_of_three_characters_is_found_and_a_shorter_one_never():
    assert pseudonym_rule(None) is None
    assert pseudonym_rule("") is None
    assert pseudonym_rule(" Lu ") is None
    text = "Everyone called me Luz back then."
    assert [(f.kind, f.text) for f in find_identifiers(text, pseudonym="Luz")] == [
        ("pseudonym", "Luz")
    ]
    assert find_identifiers("Everyone called me Lu back then.", pseudonym="Lu") == []


def test_a_rule_needs_a_group_named_hit():
    with pytest.raises(ValueError, match="^pattern for phone has no group named hit$"):
        compile_rule("phone", r"\d{7}")


def test_a_rule_runs_its_check():
    text = "123 456"
    kept = compile_rule("phone", r"(?P<hit>\d{3})")
    assert list(scan(kept, Encoded(text))) == [(0, 3, "phone"), (4, 7, "phone")]
    dropped = compile_rule("phone", r"(?P<hit>\d{3})", lambda text, start, end: None)
    assert list(scan(dropped, Encoded(text))) == []
    # A check may only narrow a finding: a span wider than the match is dropped.
    for wider in ((-1, 0), (0, 1)):
        widened = compile_rule(
            "phone", r"(?P<hit>\d{3})", lambda t, s, e, w=wider: (s + w[0], e + w[1])
        )
        assert list(scan(widened, Encoded(text))) == []


def test_a_check_may_drop_the_start_of_a_match_and_read_on():
    # An empty span (p, p): what comes before p is not a finding, the rest is read again
    # (contact.phone_check: the first of two numbers in a row).
    text = "123 456 789"
    pattern = r"(?P<hit>\d{3}(?: \d{3})?)"

    def first_dropped(text, start, end):
        return (start + 3, start + 3) if start == 0 else (start, end)

    rule = compile_rule("phone", pattern, first_dropped)
    assert list(scan(rule, Encoded(text))) == [(4, 11, "phone")]


def test_a_scan_starts_at_a_character_not_a_byte():
    text = "Ñandú ٤١١ 123 456"  # the Spanish letters and Arabic-Indic digits take two bytes
    rule = compile_rule("phone", r"(?P<hit>\d{3})")
    assert list(scan(rule, Encoded(text))) == [
        (6, 9, "phone"),
        (10, 13, "phone"),
        (14, 17, "phone"),
    ]
    assert list(scan(rule, Encoded(text), 10)) == [(10, 13, "phone"), (14, 17, "phone")]
    assert list(scan(rule, Encoded(text), 7)) == [(10, 13, "phone"), (14, 17, "phone")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a date, then a phone number of seven digits: the date is read on its own
        ("On 03-04-85 555-0199 he called.", [("phone", "555-0199")]),
        # fewer digits after it: one phone number
        ("Mi celular es 01-55-1234 5678.", [("phone", "01-55-1234 5678")]),
    ],
)
def test_a_number_that_looks_like_a_date_first_in_a_run(text, found):
    assert [(f.kind, f.text) for f in find_identifiers(text)] == found


def test_what_follows_a_finding_that_overlaps_another_is_still_found():
    # The phone rule first reads "1111 555-123-4567" from inside the card; once the card is
    # taken, it reads on from the card's end and finds the phone number after it.
    text = "Card 4111 1111 1111 1111 555-123-4567; SSN 123-45-6789 212-555-0199."
    assert [(f.kind, f.text) for f in find_identifiers(text)] == [
        ("card_number", "4111 1111 1111 1111"),
        ("phone", "555-123-4567"),
        ("ssn", "123-45-6789"),
        ("phone", "212-555-0199"),
    ]


def test_reading_on_takes_the_earliest_then_the_longest_then_the_most_specific():
    # read_on with made-up rules and no first findings: each rule reads on from the end of
    # what was taken, so a rule's later findings and one right after another are found.
    text = "123 456 789"
    three = compile_rule("phone", r"(?P<hit>\d{3})")
    two_groups = compile_rule("card_number", r"(?P<hit>\d{3} \d{3})")
    assert read_on((three, two_groups), Encoded(text), []) == [
        (0, 7, "card_number"),  # the longer one at the same start
        (8, 11, "phone"),
    ]
    longer_phone = compile_rule("phone", r"(?P<hit>\d{3} \d{3})")
    shorter_card = compile_rule("card_number", r"(?P<hit>\d{3})")
    assert read_on((shorter_card, longer_phone), Encoded(text), []) == [
        (0, 7, "phone"),  # longer wins over the more specific kind
        (8, 11, "card_number"),
    ]
    every_three = [(0, 3, "phone"), (4, 7, "phone"), (8, 11, "phone")]
    assert read_on((three,), Encoded(text), []) == every_three
    # a finding that starts where the one taken ends, its cue read before it
    cued_digits = compile_rule("card_number", r"x(?P<hit>\d{3})")
    digit_x = compile_rule("phone", r"(?P<hit>\dx)")
    assert read_on((digit_x, cued_digits), Encoded("1x234"), []) == [
        (0, 2, "phone"),
        (2, 5, "card_number"),
    ]
    # a first finding is kept, and one right before it that does not overlap it is added
    assert read_on((three,), Encoded("123456"), [(3, 6, "card_number")]) == [
        (0, 3, "phone"),
        (3, 6, "card_number"),
    ]
    # the text's start is a word's start, one character on is not
    edged = compile_rule("phone", r"(?:^|\s)(?P<hit>\d{3})")
    assert read_on((edged,), Encoded("123 x"), []) == [(0, 3, "phone")]


class Bounded:
    """A pattern that counts its searches and stops a scan that would never end."""

    def __init__(self, pattern, limit):
        self.pattern, self.groupindex = pattern, pattern.groupindex
        self.limit, self.starts = limit, []

    def search(self, data, position):
        self.starts.append(position)
        assert len(self.starts) <= self.limit, f"searches from {self.starts}"
        return self.pattern.search(data, position)


def test_scan_never_yields_an_empty_finding_and_always_moves_on():
    rule = compile_rule("name", r"(?P<hit>a?)")  # may match nothing, anywhere
    bounded = Bounded(rule.pattern, limit=4)  # "bab": at most one search a byte, and one more
    found = list(scan(Rule(rule.kind, bounded, rule.check), Encoded("bab")))
    assert found == [(1, 2, "name")]


def test_a_lone_surrogate_inside_a_finding_is_kept():
    text = "born \ud800 on 3/4/1990"
    assert [(f.kind, f.start, f.end) for f in find_identifiers(text)] == [("birth_date", 0, 18)]


@pytest.mark.parametrize(
    ("text", "end", "word"),
    [
        ("Calle Juárez 3 Veces.", 14, "veces"),
        ("Unit 5 minutes) later", 6, "minutes"),
        ("room 12 Xochimilco", 7, "xochimilco"),
        ("room 12", 7, ""),
        ("room 12" + " " * 24 + "hours", 7, ""),  # past the window
    ],
)
def test_after_reads_the_next_word_within_the_window(text, end, word):
    assert after(text, end) == word


def test_word_set_reads_words_apart_by_any_space():
    assert word_set(" times  veces\nhours ") == frozenset({"times", "veces", "hours"})


# The rules' checks are built once, when their module is imported: the builders are called
# here too, so what each builds is tested (and a changed builder is seen at once).
# A case number's value is its last word: 3 digits at least, no count after it; a bare
# "case" (least 4, marked) needs a - : or / and not a range of years.
@pytest.mark.parametrize(
    ("least", "marked", "text", "end", "kept"),
    [
        (3, False, "Case #4417 took a year", 10, True),
        (3, False, "case no. 123 was closed", 12, True),
        (3, False, "case no. 12 was closed", 11, False),
        (3, False, "docket 4417 páginas", 11, False),
        (4, True, "case 24-CR-00917 is open", 16, True),
        (4, True, "caso 44170 de la corte", 10, False),
        (4, True, "case TX20419 was sealed", 12, False),
        (4, True, "case 2015-2018 dragged on", 14, False),
    ],
)
def test_case_check(least, marked, text, end, kept):
    check = case_check(least, marked=marked) if marked else case_check(least)
    assert check(text, 0, end) == ((0, end) if kept else None)


def test_enough_digits_counts_the_digits_of_the_finding():
    check = enough_digits(5)
    assert check("passport X12345", 9, 15) == (9, 15)
    assert check("passport 1990", 9, 13) is None


def test_a_plate_drops_at_most_two_trailing_groups():
    assert plate_check("AB12 CDE", 0, 8) == (0, 8)
    assert plate_check("AB 12 CD 34 EF GH", 0, 17) == (0, 11)
    assert plate_check("AB 12 CD 34 EF GH IJ", 0, 20) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("snap: luzmaria", True),
        ("snap :  luzmaria", True),  # the colon within three characters before the handle
        ("PS:ig luzmaria", False),  # a colon before the app does not introduce the handle
        ("snap is luzmaria", False),
    ],
)
def test_a_plain_word_after_an_app_is_a_handle_only_after_a_colon(text, found):
    start, end = len(text) - len("luzmaria"), len(text)
    assert cued_handle_check(text, start, end) == ((start, end) if found else None)


# The Luhn check of ISO/IEC 7812-1 (annex B), on the standard's worked example 79927398713
# and on numbers one digit off it.
@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("79927398713", True),
        ("79927398710", False),
        ("79927398714", False),
        ("0", True),
        ("18", True),  # 1 doubled is 2, plus 8
        ("59", True),  # 5 doubled is 10, less 9 is 1, plus 9
        ("91", True),  # 9 doubled is 18, less 9 is 9, plus 1
        ("19", False),  # 1 doubled is 2, plus 9
        ("4111111111111111", True),
        ("4111111111111112", False),
    ],
)
def test_luhn_check(number, valid):
    assert luhn_valid(number) is valid


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a card number, then its expiry month and year: the card alone
        ("card 4111 1111 1111 1111 2027 stolen", [("card_number", "4111 1111 1111 1111")]),
        # 16 digits that fail the check digit: a long number, read as a phone's first digits
        ("ref 1234 5678 9012 3456 only", [("phone", "1234 5678 9012")]),
        ("card 4111 1111 1111 1112 only", [("phone", "4111 1111 1111")]),
        # 13 digits is the shortest card, 19 the longest
        ("old card 4222222222222 gone", [("card_number", "4222222222222")]),
        ("it was 6304000000000000000 then", [("card_number", "6304000000000000000")]),
        # an international number that passes the check digit stays a phone number
        ("call +5215512345678 now", [("phone", "+5215512345678")]),
        # 12 digits in groups: too short for a card
        ("code 4111 1111 1116 here", [("phone", "4111 1111 1116")]),
        # the longest run of groups that is a card: 19 digits before 16
        ("4111 1111 1111 1111 003 it", [("card_number", "4111 1111 1111 1111 003")]),
        # dialled from abroad, 00 first: a phone number, never a card (a bank's starts 2-6)
        ("call 00447911123456 now", [("phone", "00447911123456")]),
        ("no 7111 1111 1111 1114 here", [("phone", "7111 1111 1111")]),
        # after a cue's mark, before an expiry date
        ("card#4111111111111111", [("card_number", "4111111111111111")]),
        ("tarjeta no.4111111111111111", [("card_number", "4111111111111111")]),
        ("4111111111111111-2027", [("card_number", "4111111111111111")]),
        ("4111-1111-1111-1111-12/27", [("card_number", "4111-1111-1111-1111")]),
        ("4111 1111 1111 1111-12/27", [("card_number", "4111 1111 1111 1111")]),
        ("4111 1111 1111 1111.2027", [("card_number", "4111 1111 1111 1111")]),
        # one number's groups share a separator: a group joined to more digits by another
        # begins the next number, even where the card's check digit would take it in
        # (4111 1111 1111 1111 235 passes the Luhn check)
        (
            "card 4111 1111 1111 1111 235-555-0115",
            [
                ("card_number", "4111 1111 1111 1111"),
                ("phone", "235-555-0115"),
            ],
        ),
        (
            "card 4111-1111-1111-1111 235 555 0115",
            [
                ("card_number", "4111-1111-1111-1111"),
                ("phone", "235 555 0115"),
            ],
        ),
        ("#4111111111111111 was it", [("card_number", "4111111111111111")]),
        # ...but never inside a longer number, a decimal or a sum
        ("14111111111111111", []),
        ("1.4111111111111111", []),
        ("I owed $4111111111111111", []),
        ("I owed US$4111111111111111", []),
        # years in a row, though 2015 2016 2017 2018 ends in its Luhn digit
        ("Temporadas 2015·2016·2017·2018.", []),
        ("Worked 2023–2024–2025–2026 there.", []),
    ],
)
def test_bank_card_numbers(text, found):
    assert [(f.kind, f.text) for f in find_identifiers(text)] == found


@pytest.mark.parametrize(
    ("hit", "after", "card"),
    [
        # the card's own separator before more digits: its group is the card's
        ("4111 1111 1111 1111 003", " 5", "4111 1111 1111 1111 003"),
        ("4111-1111-1111-1111-003", "-x", "4111-1111-1111-1111-003"),
        ("4111-1111-1111-1111-003", "-1", "4111-1111-1111-1111-003"),
        ("4111-1111-1111-1111-003", "-123", "4111-1111-1111-1111-003"),
        # another joining more digits: the card is tried without that group first
        ("4111 1111 1111 1111 003", "-123", "4111 1111 1111 1111"),
        ("4111 1111 1111 1111 003", ".123", "4111 1111 1111 1111"),
        # ...but not to an expiry date (05/25) or fewer digits
        ("2220 2148 2534 7831 020", "-05/25", "2220 2148 2534 7831 020"),
        ("4111 1111 1111 1111 003", "-12", "4111 1111 1111 1111 003"),
        # the groups of the first separator first, then the whole match
        ("4111 111111111111-2027", "", "4111 111111111111"),
        ("4111 111111111111-003", "", "4111 111111111111"),
        ("4111 1111-1111 1111", "", "4111 1111-1111 1111"),
        ("4111-1111-1111 1111", " x", "4111-1111-1111 1111"),
    ],
)
def test_a_card_is_one_number_s_groups(hit, after, card):
    text = hit + after
    span = card_check(text, 0, len(hit))
    assert span is not None
    assert text[span[0] : span[1]] == card


# Digits of any script and spaces of any width, as a phone's keyboard or a pasted text
# writes them, are found as their ASCII digits and spaces are (Unicode categories Nd, Zs).
# The same card apart by a no-break, narrow no-break or thin space, a dot, a middle dot, an
# en dash, a non-breaking hyphen.
SEPARATED = [
    sign.join(["4111", "1111", "1111", "1111"])
    for sign in ("\u00a0", "\u202f", "\u2009", ".", "·", "–", "\u2011")
]


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        *[(f"card {card}", "card_number", card) for card in SEPARATED],
        (
            "card ４１１１ １１１１ １１１１ １１１１",
            "card_number",
            "４１１１ １１１１ １１１１ １１１１",
        ),
        ("بطاقة ٤١١١ ١١١١ ١١١١ ١١١١", "card_number", "٤١١١ ١١١١ ١١١١ ١١١١"),
        ("Call me at ५५५-१२३-४५६७ tonight.", "phone", "५५५-१२३-४५६७"),
        ("SSN 123\u00a045\u00a06789", "ssn", "123\u00a045\u00a06789"),
        # a dash of any kind (Unicode category Pd: here a figure dash)
        ("Call me at 555\u2012123\u20124567 tonight.", "phone", "555\u2012123\u20124567"),
    ],
)
def test_digits_and_spaces_of_any_script(text, kind, found):
    assert [(f.kind, f.text) for f in find_identifiers(text)] == [(kind, found)]


def test_a_pseudonym_with_digits_of_another_script_is_found():
    # The pseudonym is read as the text is: its digits as ASCII ones.
    found = find_identifiers("أنا ليلى٣ هنا", pseudonym="ليلى٣")
    assert [(f.kind, f.text) for f in found] == [("pseudonym", "ليلى٣")]
