"""Rules for pseudonyms and passwords, and friendly suggestions for both."""

from __future__ import annotations

import re
import secrets
import unicodedata
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

DATA = Path(__file__).parent / "data"
PSEUDONYM_MIN, PSEUDONYM_MAX = 3, 30
# NIST SP 800-63B rev 4: at least 15 for a single factor; an upper bound stops hashing abuse.
PASSWORD_MIN, PASSWORD_MAX = 15, 128
RESERVED_PSEUDONYMS = frozenset(
    {"admin", "administrator", "anonymous", "staff", "mentor", "moderator", "system", "support"}
)
PSEUDONYM_CHARACTERS = re.compile(r"^[\w .'-]+$")
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


class PolicyError(ValueError):
    """A pseudonym or password that the rules refuse; message is calm and user-facing."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


def normalize_text(text: str) -> str:
    """Return NFKC-normalized text, so look-alike forms compare equal."""
    return unicodedata.normalize("NFKC", text)


def pseudonym_key(pseudonym: str) -> str:
    """Return the case-insensitive key under which a pseudonym is unique."""
    return normalize_text(pseudonym).strip().casefold()


def clean_pseudonym(raw: str) -> str:
    """Return the pseudonym as it will be shown, or raise PolicyError."""
    pseudonym = " ".join(normalize_text(raw).split())
    if not PSEUDONYM_MIN <= len(pseudonym) <= PSEUDONYM_MAX:
        raise PolicyError(_l("Choose a pseudonym of 3 to 30 characters."))
    if not PSEUDONYM_CHARACTERS.match(pseudonym):
        raise PolicyError(
            _l("Use letters, numbers, spaces, dots, dashes, apostrophes or underscores.")
        )
    if EMAIL_LIKE.search(pseudonym):
        raise PolicyError(
            _l("That looks like an email address. For your safety, choose a pseudonym instead.")
        )
    if sum(ch.isdigit() for ch in pseudonym) >= 7:
        raise PolicyError(
            _l("That looks like a phone number. For your safety, choose a pseudonym instead.")
        )
    if pseudonym_key(pseudonym) in RESERVED_PSEUDONYMS:
        raise PolicyError(_l("That name is reserved. Please choose another."))
    return pseudonym


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


def strip_names(text: str, names: list[str]) -> str:
    """Remove every occurrence of the given names (case-insensitive) from text."""
    result = text
    for name in names:
        if len(name) >= 3:
            result = result.replace(name, "")
    return result


def check_password(password: str, *, pseudonym: str, site_name: str) -> str:
    """Return the normalized password, or raise PolicyError with a calm reason."""
    password = normalize_text(password)
    if len(password) < PASSWORD_MIN:
        raise PolicyError(_l("Use at least 15 characters. A few words in a row works well."))
    if len(password) > PASSWORD_MAX:
        raise PolicyError(_l("Use at most 128 characters."))
    folded = password.casefold()
    core = folded.strip("0123456789!@#$%^&*()_-+=.,?~ ")
    names = [pseudonym_key(pseudonym), site_name.casefold()]
    leftover = strip_names(folded, names).strip("0123456789!@#$%^&*()_-+=.,?~ ")
    if (
        folded in common_passwords()
        or core in common_passwords()
        or is_repetitive(folded)
        or len(set(folded)) < 4
        or len(leftover) < 6
    ):
        raise PolicyError(
            _l(
                "That password is too easy to guess (it is common, repetitive, or built "
                "from your pseudonym or the site's name). Try a few unrelated words."
            )
        )
    return password


def suggest_pseudonym() -> str:
    """Return a random, friendly pseudonym such as 'QuietRiver42'."""
    return (
        secrets.choice(PSEUDONYM_ADJECTIVES)
        + secrets.choice(PSEUDONYM_NOUNS)
        + str(secrets.randbelow(90) + 10)
    )


def suggest_passphrase(words: int = 5) -> str:
    """Return a passphrase of random common words (about 52 bits for five words)."""
    return " ".join(secrets.choice(passphrase_words()) for _ in range(words))
