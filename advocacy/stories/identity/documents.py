"""Numbers on identity papers: Social Security, passport, immigration A-number, USCIS
receipt, driver's licence, licence plate and other ID documents; and bank cards.

Formats: SSN 3-2-4 digits (SSA); A-number "A" and 8 or 9 digits (USCIS); receipt
number three letters of the service centre and 10 digits (USCIS, "Where to find
your receipt number"). Passport, licence and plate numbers have no single format,
so they are found only after a cue ("passport", "pasaporte", "plate", "placa").
"""

from __future__ import annotations

import re2

from advocacy.stories.identity.engine import (
    END,
    START,
    compile_rule,
    cued,
    digits,
    fits,
)

# 123-45-6789 or 123 45 6789 is a Social Security number, never a phone number.
SSN = compile_rule(
    "ssn",
    r"(?:^|[^\pL\pN_.,/\-$#])(?P<hit>\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{3}\.\d{2}\.\d{4})"
    r"(?:$|[^\pL\pN_/\-])",
)
SSN_CUED = compile_rule(
    "ssn",
    cued(
        r"ssn|ss|social security(?: card)?|social|soc\. ?sec\.?|seguro social|itin",
        r"\d{3}[- .]?\d{2}[- .]?\d{4}",
    ),
)

# A123456789, A-123-456-789, A# 12345678; lowercase "a" and a space reads as Spanish.
A_NUMBER = compile_rule(
    "a_number",
    r"(?:^|[^\pL\pN_\-])(?P<hit>(?:[Aa](?:-|#|# |\. ?)?|A )(?:\d{8,9}|\d{3}[- ]\d{3}[- ]\d{3}))"
    r"(?:$|[^\pL\pN_\-])",
)
A_NUMBER_CUED = compile_rule(
    "a_number",
    cued(
        r"a-number|a-no|(?-i:A) number|(?-i:A) no|alien (?:registration )?(?:number|no|#)|"
        r"uscis (?:account )?(?:number|no|#)|n[úu]mero (?:de )?(?-i:A)|"
        r"n[úu]mero de (?:registro de )?extranjero|registro de extranjero",
        r"[Aa]?[-# ]?(?:\d{8,9}|\d{3}[- ]?\d{3}[- ]?\d{3})",
    ),
)

RECEIPT_CENTRES = r"IOE|EAC|WAC|LIN|SRC|NBC|MSC|YSC|TSC|VSC|CSC|NSC|ZLA|ZNY|ZSF"
RECEIPT = compile_rule(
    "receipt_number",
    rf"(?i){START}(?P<hit>(?:{RECEIPT_CENTRES})[- ]?"
    rf"(?:\d{{10}}|\d{{2}}[- ]\d{{3}}[- ]\d{{5}})){END}",
)
RECEIPT_CUED = compile_rule(
    "receipt_number",
    cued(r"receipt|n[úu]mero de recibo|recibo", r"[A-Za-z]{3}[- ]?\d{10}"),
)


def enough_digits(least: int):
    """A check: the finding has at least `least` digits (so a year alone is not one)."""

    def check(text: str, start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        return (start, end) if digits(value) >= least else None

    return check


PASSPORT = compile_rule(
    "passport",
    cued(
        r"passports?(?: card)?|pasaportes?",
        r"[A-Za-z]{1,2}[- ]\d{6,9}|[A-Za-z0-9]{6,12}",
    ),
    enough_digits(5),
)

LICENCE = compile_rule(
    "driver_licence",
    cued(
        r"driver[’']?s?[’']? licen[cs]e|licen[cs]e|"
        r"licencia(?: de (?:conducir|manejo|manejar))?|permiso de conducir|dl|d\.l\.",
        r"[A-Za-z0-9]{1,12}(?:[- ]\d{1,6}){0,4}",
    ),
    enough_digits(5),
)

PLATE_PART = re2.compile(r"[- ·]")
PLATE_SHAPE = re2.compile(r"[A-Za-z0-9]{4,8}")
YEAR = re2.compile(r"(?:19|20)\d\d")


def plate_check(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A plate has 4 to 8 letters and digits, two digits at least, and is not a year;
    each word of it has a digit or is in capitals ("Plates 3 and 4" is not one).

    The pattern may take one word too many ("ABC 1234 and"): up to two trailing
    groups are dropped before giving up.
    """
    for _ in range(3):
        value = text[start:end]
        joined = "".join(c for c in value if c.isalnum())
        words = value.split()
        if (
            fits(PLATE_SHAPE, joined)
            and digits(joined) >= 2
            and not fits(YEAR, joined)
            and all(digits(word) or word.isupper() for word in words)
        ):
            return start, end
        parts = [m.start() for m in PLATE_PART.finditer(value)]
        if not parts:
            return None
        end = start + parts[-1]
    return None


PLATE = compile_rule(
    "licence_plate",
    cued(
        r"(?:licen[cs]e )?plates?|tags?|(?:n[úu]mero de )?placas?|matr[íi]cula",
        r"[A-Za-z0-9]{1,4}[- ·][A-Za-z0-9]{1,4}(?:[- ·][A-Za-z0-9]{1,3})?|[A-Za-z0-9]{4,8}",
    ),
    plate_check,
)

# Mexico's CURP: 4 letters, birth date, sex, state and consonants, 2 check characters.
CURP = compile_rule(
    "id_number",
    rf"{START}(?P<hit>[A-Z]{{4}}\d{{6}}[HMX][A-Z]{{5}}[A-Z0-9]\d){END}",
)
ID_NUMBER = compile_rule(
    "id_number",
    cued(
        r"id(?: card)?|state id|ine|curp|c[ée]dula(?: de identidad)?|dni|"
        r"matr[íi]cula consular|credencial(?: de elector| para votar)?|"
        r"n[úu]mero de identificaci[óo]n|identificaci[óo]n|visa|n[úu]mero de visa|i-94",
        r"[A-Za-z0-9]{1,6}(?:[- ]\d{1,6}){1,3}|[A-Za-z0-9]{5,18}",
    ),
    enough_digits(5),
)


def luhn_valid(number: str) -> bool:
    """Whether a string of ASCII digits ends in its Luhn check digit (ISO/IEC 7812-1,
    annex B): from the right, every second digit doubled (less 9 above 9), the sum a
    multiple of 10."""
    total = 0
    for position, character in enumerate(reversed(number)):
        value = int(character)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


CARD_DIGITS = range(13, 20)  # a payment card's number: 13 to 19 digits (ISO/IEC 7812-1)
ASCII_DIGITS = frozenset("0123456789")
JOINED = re2.compile(r"[-.]\d{3}")  # a phone number's next group (555-123-4567)


def card_cuts(text: str, start: int, end: int) -> list[int]:
    """Where to try to end a card in text[start:end] (ASCII digits and separators), in
    order. A card's groups share one separator (4111 1111 1111 1111): the run of groups
    up to another separator is tried first, whole, then without its last group, and so on,
    but one whose last group is joined to three more digits by a hyphen or dot ("… 1111
    235-555-0115") is tried without that group first, since the Luhn check alone would take
    in a phone number's first digits one time in ten; then the rest of the match's cuts,
    longest first (4111 1111-1111 1111)."""
    found = text[start:end]
    separators = [index for index, character in enumerate(found) if character not in ASCII_DIGITS]
    every_cut = [len(found), *reversed(separators)]
    if not separators:
        return every_cut
    mark = found[separators[0]]
    stop = next((index for index in separators if found[index] != mark), len(found))
    cuts = [stop, *reversed([index for index in separators if index < stop])]
    joined = text[start + stop : start + stop + 4]
    if joined[:1] != mark and fits(JOINED, joined):
        cuts = [*cuts[1:], stop]
    return [*cuts, *(cut for cut in every_cut if cut not in cuts)]


def card_check(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A card number, or the longest run of its first groups that is one: 13 to 19
    digits whose last is the Luhn check digit ("4111 1111 1111 1111 2027" ends at
    1111), tried in card_cuts' order."""
    found = text[start:end]
    if fits(YEARS, found):
        return None  # 2015·2016·2017·2018: years in a row, whatever their check digit
    for cut in card_cuts(text, start, end):
        number = "".join(character for character in found[:cut] if character in ASCII_DIGITS)
        if len(number) in CARD_DIGITS and luhn_valid(number):
            return start, start + cut
    return None


# Bank cards, together or in groups of three to six after a first four, apart by a space,
# hyphen, dot or middle dot (any space or dash reads as a space or hyphen: engine.plain):
# 4111 1111 1111 1111, 5555-5555-5555-4444, 3782 822463 10005, 6011111111111117. The
# first digit is a bank's (2 to 6: ISO/IEC 7812-1's banking and financial issuers), so a
# phone number dialled from abroad (00 44…) and most phone serial numbers are not cards.
# Never inside a longer number or a sum ($, US$); after a cue's mark (card#, no.) or
# before an expiry date (-12/27) it is found; a run of years is none.
CARD_SEPARATOR = r"[ .·\-]"
YEARS = re2.compile(rf"(?:(?:19|20)\d\d{CARD_SEPARATOR}){{1,5}}(?:19|20)\d\d")  # a card's groups
CARD = compile_rule(
    "card_number",
    rf"(?:^|[^\pL\pN_.,/\-$#]|(?:^|[^\pN$])[.,/\-#])(?P<hit>[2-6]\d{{12,18}}"
    rf"|[2-6]\d{{3}}(?:{CARD_SEPARATOR}\d{{3,6}}){{2,5}})(?:$|[^\pL\pN_])",
    card_check,
)

RULES = (
    CARD,
    SSN,
    SSN_CUED,
    A_NUMBER,
    A_NUMBER_CUED,
    RECEIPT,
    RECEIPT_CUED,
    PASSPORT,
    LICENCE,
    PLATE,
    CURP,
    ID_NUMBER,
)
