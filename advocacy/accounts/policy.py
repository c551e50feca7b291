"""Rules for pseudonyms and passwords, and friendly suggestions for both."""

from __future__ import annotations

import re
import secrets
import unicodedata
from functools import cache
from pathlib import Path

import disarm
from flask_babel import lazy_gettext as _l

from advocacy.accounts.errors import PasswordRefused

DATA = Path(__file__).parent / "data"
PSEUDONYM_MIN, PSEUDONYM_MAX = 3, 30
# NIST SP 800-63B rev 4: at least 15 for a single factor; an upper bound stops hashing abuse.
PASSWORD_MIN, PASSWORD_MAX = 15, 128
RESERVED_PSEUDONYMS = (
    "admin",
    "administrator",
    "anonymous",
    "staff",
    "mentor",
    "moderator",
    "system",
    "support",
)
PSEUDONYM_CHARACTERS = re.compile(r"^[\w .'-]+$")
# Separators never make a new name: "demo_staff", "demo.staff" and "demo staff" are
# "demo-staff". "#" is folded too, so no typed name can reach a key that migration
# 0008 gave a look-alike ("<key>#<id>").
KEY_SEPARATORS = re.compile(r"[\s_.\-'#]+")
# Look-alikes that survive the skeleton and case folding. "rn"/"m" and "vv"/"w" are two
# letters, which UTS #39 (one character at a time) cannot see. "i" becomes "l" because
# the skeleton folds a capital "I" to "l" ("MapIe" is "maple") while case folding makes
# "I" an "i" ("QUIET" is "quiet"): one key can only keep both if i and l are one letter.
KEY_FOLDS = re.compile(r"rn|vv|i")
KEY_FOLD_TO = {"rn": "m", "vv": "w", "i": "l"}
# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt) outside the format
# characters (category Cf) and the variation selector ranges of is_invisible: combining
# grapheme joiner, Hangul fillers, Khmer inherent vowels, and the reserved U+2065 and
# U+FFF0..U+FFF8, which a conforming renderer shows as nothing; and the braille blank.
INVISIBLE_CHARACTERS = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u2065\u2800\u3164\uffa0"
    "\ufff0\ufff1\ufff2\ufff3\ufff4\ufff5\ufff6\ufff7\ufff8"
)
PASSWORDS_DIFFER = _l("The two passwords don't match. Please type them again.")
EMAIL_LIKE = re.compile(r"@|\b[\w-]+\.(com|org|net|edu|gov|io|me|co|info|us|uk)\b", re.I)
PSEUDONYM_ADJECTIVES = [
    "Quiet",
    "Bright",
    "Gentle",
    "Steady",
    "Brave",
    "Calm",
    "Kind",
    "Clear",
    "Warm",
    "Bold",
    "Patient",
    "Hopeful",
    "Golden",
    "Silver",
    "Morning",
    "Evening",
    "Spring",
    "Summer",
    "Autumn",
    "Winter",
    "Open",
    "Rising",
    "Deep",
    "Wide",
    "Swift",
]
PSEUDONYM_NOUNS = [
    "River",
    "Cedar",
    "Harbor",
    "Meadow",
    "Willow",
    "Sparrow",
    "Lantern",
    "Maple",
    "Heron",
    "Juniper",
    "Pebble",
    "Orchard",
    "Canyon",
    "Falcon",
    "Birch",
    "Comet",
    "Fern",
    "Aspen",
    "Lark",
    "Brook",
    "Ember",
    "Tide",
    "Summit",
    "Clover",
    "Wren",
]


def normalize_text(text: str) -> str:
    """Return NFKC-normalized text, so look-alike forms compare equal."""
    return unicodedata.normalize("NFKC", text)


def is_invisible(character: str) -> bool:
    """Return whether a character shows nothing: format (incl. bidi) and control characters
    other than white space, the braille blank, and every Default_Ignorable_Code_Point of
    Unicode (DerivedCoreProperties.txt), reserved ones included: INVISIBLE_CHARACTERS, the
    variation selectors U+180B..U+180F and U+FE00..U+FE0F, and all of U+E0000..U+E0FFF
    (tags, variation selectors 17 to 256 and the code points reserved beside them)."""
    code = ord(character)
    return (
        (unicodedata.category(character) in ("Cf", "Cc") and not character.isspace())
        or character in INVISIBLE_CHARACTERS
        or 0xFE00 <= code <= 0xFE0F
        or 0x180B <= code <= 0x180F
        or 0xE0000 <= code <= 0xE0FFF
    )


def fold_separators(text: str) -> str:
    """Fold runs of separators to one "-" and drop punctuation and symbols at either end."""
    folded = KEY_SEPARATORS.sub("-", text)
    start, end = 0, len(folded)
    while start < end and unicodedata.category(folded[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(folded[end - 1])[0] in "PS":
        end -= 1
    return folded[start:end]


def strip_marks(text: str) -> str:
    """Drop combining marks on Latin, Greek and Cyrillic letters and on ASCII characters.

    At pseudonym size "mèntor" reads as "mentor". Marks on other scripts' letters stay:
    there (Devanagari vowel signs, for instance) they make a different name.
    """
    kept: list[str] = []
    base_is_alphabetic = True
    for character in unicodedata.normalize("NFD", text):
        if unicodedata.combining(character) or unicodedata.category(character) == "Me":
            if not base_is_alphabetic:
                kept.append(character)
            continue
        script = unicodedata.name(character, "").split(" ", 1)[0]
        base_is_alphabetic = character.isascii() or script in ("LATIN", "GREEK", "CYRILLIC")
        kept.append(character)
    return unicodedata.normalize("NFC", "".join(kept))


def pseudonym_key(pseudonym: str) -> str:
    """Return the key under which a pseudonym is unique: equal keys look alike.

    NFKC, separators folded, then the UTS #39 confusable skeleton (with the TR39 digit
    classes 0/O and 1/l/I) from `disarm`, a maintained library whose skeleton is a fixed
    point, then case folded. Not `confusable_homoglyphs` (it detects but builds no
    skeleton) nor `confusables.normalize` (not a stable key: full-width "Ｄ" gives "ｄ").
    Combining marks on Latin, Greek and Cyrillic letters, rn/m, vv/w and i/l are folded
    as well (see KEY_FOLDS).
    """
    text = strip_marks(KEY_SEPARATORS.sub("-", normalize_text(pseudonym)))
    text = disarm.skeleton_key(text, digit_policy="tr39")
    # After the skeleton, which may turn a look-alike dash into "-" or "|" into "l",
    # and may add a mark.
    text = strip_marks(fold_separators(text)).casefold()
    return KEY_FOLDS.sub(lambda found: KEY_FOLD_TO[found.group()], text)


@cache
def reserved_keys(site_name: str) -> frozenset[str]:
    """Return the keys of the reserved names and of the site's own name."""
    return frozenset(pseudonym_key(name) for name in (*RESERVED_PSEUDONYMS, site_name))


def pseudonym_problems(raw: str, *, site_name: str) -> tuple[str, list[str]]:
    """Return the pseudonym as it will be shown and every rule it breaks (calm messages)."""
    pseudonym = " ".join(normalize_text(raw).split())
    # Rules below judge the visible name, so one invisible character gives one message.
    visible = "".join(ch for ch in pseudonym if not is_invisible(ch))
    key = pseudonym_key(visible)
    problems = []
    if visible != pseudonym:
        problems.append(
            _l(
                "Your pseudonym has invisible or text-direction characters in it. "
                "Please type it again using only letters, numbers and the separators below."
            )
        )
    # The key of a name that passes fits accounts.pseudonym_key (120 characters): the
    # skeleton makes at most 3 characters of one (tests/accounts/test_confusables.py).
    if not PSEUDONYM_MIN <= len(pseudonym) <= PSEUDONYM_MAX:
        problems.append(_l("Choose a pseudonym of 3 to 30 characters."))
    if visible and not PSEUDONYM_CHARACTERS.match(visible):
        problems.append(
            _l("Use letters, numbers, spaces, dots, dashes, apostrophes or underscores.")
        )
    elif visible and not key:
        problems.append(_l("Please include at least one letter or number."))
    if disarm.is_mixed_script(visible):
        problems.append(
            _l(
                "Please use letters from one alphabet only. Mixing alphabets can make a "
                "name look like someone else's."
            )
        )
    if EMAIL_LIKE.search(pseudonym):
        problems.append(
            _l("That looks like an email address. For your safety, choose a pseudonym instead.")
        )
    if sum(ch.isdigit() for ch in pseudonym) >= 7:
        problems.append(
            _l("That looks like a phone number. For your safety, choose a pseudonym instead.")
        )
    if key and key in reserved_keys(site_name):
        problems.append(_l("That name is reserved. Please choose another."))
    return pseudonym, problems


@cache
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords (lower case)."""
    lines = (DATA / "common_passwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@cache
def passphrase_words() -> tuple[str, ...]:
    """Return the word list for suggested passphrases."""
    lines = (DATA / "passphrase_words.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


def is_repetitive(text: str) -> bool:
    """Return whether text is one short unit repeated ('aaaa…', 'abcabc…')."""
    compact = text.replace(" ", "")
    return any(
        len(compact) % size == 0 and compact == compact[:size] * (len(compact) // size)
        for size in range(1, 5)
    )


def squeeze(text: str) -> str:
    """Drop spaces and name separators (_ . - ')."""
    return re.sub(r"[\s_.\-']+", "", text)


def strip_names(text: str, names: list[str]) -> str:
    """Remove every occurrence of the given names (case-insensitive) from text."""
    result = text
    for name in names:
        if len(name) >= 3:
            result = result.replace(name, "")
    return result


def validated_password(password: str, *, pseudonym: str, site_name: str) -> str:
    """Return the normalized password, or raise PasswordRefused with every calm reason."""
    password = normalize_text(password)
    problems = []
    if len(password) < PASSWORD_MIN:
        problems.append(_l("Use at least 15 characters. A few words in a row work well."))
    if len(password) > PASSWORD_MAX:
        raise PasswordRefused([_l("Use at most 128 characters.")])
    folded = password.casefold()
    core = folded.strip("0123456789!@#$%^&*()_-+=.,?~ ")
    # The name as typed, not its look-alike key: the key rewrites letters (m -> rn).
    # Separators are squeezed out of both, so "alice-river 2024" counts as built from
    # "alice_river".
    names = [squeeze(normalize_text(pseudonym).casefold()), squeeze(site_name.casefold())]
    leftover = strip_names(squeeze(folded), names).strip("0123456789!@#$%^&*()_-+=.,?~ ")
    # Too few different characters, or too little beside the names, says nothing new
    # about a password that is already too short.
    long_enough = len(password) >= PASSWORD_MIN
    if (
        folded in common_passwords()
        or core in common_passwords()
        or is_repetitive(folded)
        or (long_enough and (len(set(folded)) < 4 or len(leftover) < 6))
    ):
        problems.append(
            _l(
                "That password is too easy to guess (it is common, repetitive, or built "
                "from your pseudonym or the site's name). Try a few unrelated words."
            )
        )
    if problems:
        raise PasswordRefused(problems)
    return password


def suggest_pseudonym() -> str:
    """Return a random, friendly pseudonym such as 'QuietRiver42'."""
    return (
        secrets.choice(PSEUDONYM_ADJECTIVES)
        + secrets.choice(PSEUDONYM_NOUNS)
        + str(secrets.randbelow(90) + 10)
    )


def suggest_passphrase(words: int = 5) -> str:
    """Return a passphrase of `words` random common words, apart by single spaces: about 51
    bits for five (1,177 words: the EFF short list without those that could distress a
    survivor, data/passphrase_words.txt)."""
    return " ".join(secrets.choice(passphrase_words()) for _ in range(words))
