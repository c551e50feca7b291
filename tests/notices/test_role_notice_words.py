"""The words of a role change's notice, from the role stored in its params: the role is a
lower-case word inside the sentence, in the reader's language when read. A notice
outlives code: one stored with a role the site no longer has still reads, with the role
as it was stored (never "None", never a server error)."""

from __future__ import annotations

import pytest

from advocacy.notices.models import Notice
from advocacy.notices.services import message_for


@pytest.mark.parametrize(
    ("language", "role", "words"),
    [
        ("en", "mentor", "An admin changed your role to mentor."),
        ("en", "staff", "An admin changed your role to staff."),
        ("es", "member", "Una persona administradora cambió tu rol a “integrante”."),
        # A role no longer known: said as it was stored, in either language.
        ("en", "moderator", "An admin changed your role to moderator."),
        ("es", "moderator", "Una persona administradora cambió tu rol a “moderator”."),
    ],
)
def test_a_role_change_names_the_role_in_the_reader_s_language(app, language, role, words):
    with app.test_request_context(headers={"Accept-Language": language}):
        assert message_for(Notice(kind="role_changed", params={"role": role})) == words
