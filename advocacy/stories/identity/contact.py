"""Ways to reach someone: phone numbers, email addresses, social handles and links."""

from __future__ import annotations

from itertools import groupby

import re2

from advocacy.stories.identity.engine import (
    ALNUM,
    END,
    GAP,
    NB,
    START,
    after,
    compile_rule,
    digits,
    fits,
    word_set,
)

# Seven to fifteen digits (ITU-T E.164 allows at most 15) with the usual separators:
# +1 (555) 123-4567, 0151 496 0000, +52 55 1234 5678, 612 345 678. Not after "$",
# "#", a letter, a digit group of its own (1,000) or a slash (24/7).
PHONE_PATTERN = (
    rf"(?:^|[^\pL\pN_.,/\-$€£#])(?P<hit>\+?\(?\d[\d ().\-{NB}]{{5,24}}\d)(?:$|[^\pL\pN_/\-])"
)
# A date (checked apart) or a Social Security number written with marks: a number of its
# own, even with another number after it.
OWN_SHAPE = r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}[.\-]\d{2}[.\-]\d{2}|\d{3}[-.]\d{2}[-.]\d{4}"
OWN_NUMBER = re2.compile(OWN_SHAPE)
NOT_A_PHONE = re2.compile(  # whole candidates that are something else
    r"(?:19|20)\d\d {0,2}[-–] {0,2}(?:19|20)\d\d"  # years, 2015-2018
    r"|(?:(?:19|20)\d\d[ ,]{1,3}){1,5}(?:19|20)\d\d"  # several years, 2019 2020 2021
    rf"|{OWN_SHAPE}"
    r"|\d{3}[- .]\d{2}[- .]\d{4}"  # the shape of a Social Security number
    # thousands: 1.000.000, 1 000 000
    rf"|\d{{1,3}}(?:\.\d{{3}}){{1,4}}|\d{{1,2}}(?:[ {NB}]\d{{3}}){{1,4}}"
    r"|\d{1,3}\.\d{5,20}"  # a decimal, 3.14159
    r"|\d{5}-\d{4}"  # a ZIP+4 code
    r"|\d{1,2}[.:]\d{2} ?[-–] ?\d{1,2}[.:]\d{2}"  # hours, 10.30-14.30
)
PHONE_LEAST = 7  # digits in the shortest phone number (a local one: 555-0199)
MONEY = word_set("pesos dollars dólares dolares euros usd mxn dlls")


def first_number(text: str, start: int, end: int) -> int:
    """Where the first of several numbers in a row ends ("555-123-4567 555-987-6543"):
    at the first space after ten digits (no phone number goes on past one), or, if
    there are more than 15 digits (E.164's most), after seven; else at end."""
    enough = (10, 7) if digits(text[start:end]) > 15 else (10,)
    for least in enough:
        seen = 0
        for position in range(start, end):
            seen += text[position].isdigit()
            if text[position] == " " and seen >= least:
                return position
    return end


def phone_check(text: str, start: int, end: int) -> tuple[int, int] | None:
    first_word, _space, rest = text[start:end].partition(" ")
    if fits(OWN_NUMBER, first_word) and digits(rest) >= PHONE_LEAST:
        # "123-45-6789 555-123-4567": the SSN, then a number of its own: search again
        # from the SSN's end (the SSN's rule finds it). With fewer digits after it, the
        # whole may be one phone number (01-55-1234 5678).
        return start + len(first_word), start + len(first_word)
    end = first_number(text, start, end)
    candidate = text[start:end]
    if not PHONE_LEAST <= digits(candidate) <= 15 or fits(NOT_A_PHONE, candidate):
        # Not a phone number: search again from its end, so a number in a row with it is
        # read on its own ("4111111111111111 457.843.7476": the phone number is found).
        return end, end
    groups = [len(list(run)) for is_digit, run in groupby(candidate, str.isdigit) if is_digit]
    if groups.count(1) > 1:
        return None  # "4 8 15 16 23 42": a list; a phone has one lone digit at most (+1)
    if after(text, end) in MONEY:
        return None
    return start, end


PHONE = compile_rule("phone", PHONE_PATTERN, phone_check)

# RFC 5321 limits: a local part of 64 characters, labels of 63.
EMAIL = compile_rule(
    "email",
    rf"(?:^|[^\pL\pN_.+\-])(?P<hit>[{ALNUM}_.+\-]{{1,64}}@[{ALNUM}_\-]{{1,63}}"
    rf"(?:\.[{ALNUM}_\-]{{1,63}}){{1,8}})",
)

# Where a profile lives: a link to one of these is a social media profile.
SOCIAL_HOSTS = (
    r"(?:instagram\.com|instagr\.am|facebook\.com|fb\.com|fb\.me|m\.me|tiktok\.com|"
    r"twitter\.com|x\.com|snapchat\.com|t\.me|telegram\.me|wa\.me|linkedin\.com|"
    r"youtube\.com|youtu\.be|onlyfans\.com|threads\.net|reddit\.com|pinterest\.com|"
    r"cash\.app|venmo\.com|kik\.me|discord\.gg)"
)
URL_CHARS = r"[^\s<>\"'()\[\]{}]"
URL_LAST = r"[^\s<>\"'()\[\]{}.,;:!?¡¿]"
SOCIAL_LINK = compile_rule(
    "social",
    rf"(?i)(?:^|[^\pL\pN_@./\-])(?P<hit>(?:https?://)?(?:(?:www|m|mobile|web)\.)?{SOCIAL_HOSTS}"
    rf"/{URL_CHARS}{{0,100}}{URL_LAST})",
)
LINK = compile_rule(
    "link",
    rf"(?i)(?:^|[^\pL\pN_@./\-])(?P<hit>(?:https?://|www\.){URL_CHARS}{{0,300}}{URL_LAST})",
)

# @maria_g99, not an email (no letter or digit just before the @) and not "@3pm".
HANDLE_BODY = rf"[{ALNUM}_](?:[{ALNUM}_.]{{0,29}}[{ALNUM}_])?"
TIME_LIKE = re2.compile(r"(?i)@\d{1,2}(?:[:.]\d{2})?(?:am|pm|a\.m|p\.m|h|hrs?)?")


def handle_check(text: str, start: int, end: int) -> tuple[int, int] | None:
    handle = text[start:end]
    if fits(TIME_LIKE, handle) or not any(c.isalpha() for c in handle):
        return None
    return start, end


HANDLE = compile_rule(
    "social",
    rf"(?:^|[^\pL\pN_.+\-@/])(?P<hit>@{HANDLE_BODY})(?:$|[^\pL\pN_@])",
    handle_check,
)

# "my Instagram is maria_g", "snap: luz.m", "Cash App $luz22": a handle after its app.
APPS = (
    r"instagram|insta|ig|snapchat|snap|tik ?tok|twitter|facebook|fb|telegram|whatsapp|"
    r"kik|onlyfans|cash ?app|venmo|discord|threads|signal"
)
HANDLE_WORDS = r"is|was|es|era|handle|username|user|usuario|name|nombre|account|cuenta|my|mi|@"


def cued_handle_check(text: str, start: int, end: int) -> tuple[int, int] | None:
    handle = text[start:end]
    if not any(c.isalpha() for c in handle):
        return None  # digits after "WhatsApp" are a phone number
    marked = handle[0] in "@$" or any(c in "_." or c.isdigit() for c in handle)
    if not marked and ":" not in text[max(0, start - 3) : start]:
        return None  # "my insta is private"
    return start, end


CUED_HANDLE = compile_rule(
    "social",
    rf"(?i){START}(?:{APPS})(?:{GAP}(?:{HANDLE_WORDS})){{0,3}}{GAP}(?P<hit>[@$]?{HANDLE_BODY}){END}",
    cued_handle_check,
)

RULES = (PHONE, EMAIL, SOCIAL_LINK, LINK, HANDLE, CUED_HANDLE)
