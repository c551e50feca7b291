"""The admins' accounts list: a pseudonym search and a role filter, a small page at a time.

The search compares look-alike keys (accounts/policy.py: pseudonym_key), the way
pseudonyms are kept unique, with the separators left out: case, width, spaces, dots,
dashes and look-alike letters do not matter ("quiet river" finds "QuietRiver42" and
"quiet_rlver"). Pages follow the account id (keyset), so one page is one query however
many accounts there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, func, or_, select

from advocacy.accounts.models import Account, Role
from advocacy.accounts.policy import PSEUDONYM_MAX, is_invisible, pseudonym_key
from advocacy.extensions import db

PAGE_SIZE = 25
KEY_SEPARATOR = "-"
ROLES = frozenset(role.value for role in Role)
TOO_LONG = _l("A pseudonym has at most 30 characters. Please type part of one.")
NO_LETTERS = _l("Please type some letters or numbers of the pseudonym.")
# The key folds "rn" to "m" and "vv" to "w" (policy.KEY_FOLDS): a search that starts or
# ends halfway through such a pair ("Fer" of "Fern", "nie" of "Arnie") looks for either.
PAIR_ENDS = {"r": "m", "v": "w"}
PAIR_STARTS = {"n": "m", "v": "w"}


@dataclass(frozen=True)
class Filters:
    """What the admin asked for: the search as typed, a role ("" for all), and why the
    search cannot be used (None when it can, or there is none)."""

    search: str = ""
    role: str = ""
    problem: str | None = None

    @property
    def keys(self) -> list[str]:
        """The look-alike keys a pseudonym's key must contain one of (none: no search)."""
        return [] if self.problem else search_keys(self.search)

    @property
    def active(self) -> bool:
        """Whether the list is narrowed at all."""
        return bool(self.role or self.keys)


def read_filters(search: str, role: str) -> Filters:
    """Read the query string's search and role: an unknown role means every role; a search
    too long or with nothing to compare keeps its text and says why it was not used."""
    text = " ".join("".join(ch for ch in search if not is_invisible(ch)).split())
    role = role if role in ROLES else ""
    if len(text) > PSEUDONYM_MAX:
        return Filters(text[: PSEUDONYM_MAX * 4], role, TOO_LONG)
    if text and not search_keys(text):
        return Filters(text, role, NO_LETTERS)
    return Filters(text, role)


def search_keys(text: str) -> list[str]:
    """Return the keys that a matching pseudonym's key, separators left out, contains (at
    least one of them)."""
    key = compact(pseudonym_key(text)) if text else ""
    if not key:
        return []
    keys = {key}
    if key[-1] in PAIR_ENDS:
        keys |= {found[:-1] + PAIR_ENDS[key[-1]] for found in keys}
    if key[0] in PAIR_STARTS:
        keys |= {PAIR_STARTS[key[0]] + found[1:] for found in keys}
    return sorted(keys)


def compact(key: str) -> str:
    """A pseudonym key without its separators (the key folds every run of them to one "-")."""
    return key.replace(KEY_SEPARATOR, "")


def accounts_page(after_id: int | None, filters: Filters) -> list[Account]:
    """Return one page of accounts, oldest first, after `after_id` (PAGE_SIZE + 1 rows:
    one more says there is another page)."""
    query = select(Account).order_by(Account.id).limit(PAGE_SIZE + 1)
    if filters.role:
        query = query.where(Account.role == filters.role)
    if keys := filters.keys:
        stored = func.replace(Account.pseudonym_key, KEY_SEPARATOR, "", type_=String)
        query = query.where(or_(*(stored.contains(key, autoescape=True) for key in keys)))
    if after_id is not None:
        query = query.where(Account.id > after_id)
    return list(db.session.scalars(query))
