"""A role named inside a sentence: a lower-case word, as the rest of the UI writes it
("Change the role of river to member?", "An admin changed your role to mentor.").

Labels standing alone (a list's column, a select's option, "Role: Member.") are
accounts/forms.py ROLE_LABELS. Keys are Role values; the words are lazy strings,
translated when read (context "role", apart from the same words elsewhere).
"""

from __future__ import annotations

from flask_babel import lazy_pgettext

from advocacy.accounts.models import Role

ROLE_WORDS = {
    Role.MEMBER: lazy_pgettext("role", "member"),
    Role.MENTOR: lazy_pgettext("role", "mentor"),
    Role.STAFF: lazy_pgettext("role", "staff"),
    Role.ADMIN: lazy_pgettext("role", "admin"),
}


def role_word(role: str) -> str:
    """The word for `role` (a Role value) in the reader's language; an unknown value (none
    is stored, but a notice's params outlive code) is given back as it is."""
    word = ROLE_WORDS.get(role)
    return str(word) if word is not None else role
