"""The story body's hint says, without JavaScript, how many characters the server was
sent: none on a new form, what came back after a refused submit; in the page's language.
It sits in its own `.written` part, which the live counter (static/js/counter.js) hides
and says itself (tests/browser/test_counter_language.py)."""

from __future__ import annotations

import pytest

FORM = {"title": "", "audience": "members", "byline": "pseudonym", "action": "submit"}
WRITTEN = '<span class="written">{}</span>'


@pytest.mark.parametrize(
    ("language", "limit", "none", "sent"),
    [
        ("en", "Up to 20,000 characters.", "You have written 0 characters.",
         "You have written 12,345 characters."),
        ("es", "Hasta 20.000 caracteres.", "Llevas 0 caracteres.", "Llevas 12.345 caracteres."),
    ],
)  # fmt: skip
def test_the_hint_counts_what_the_server_was_sent(
    client, auth, member, language, limit, none, sent
):
    auth.login(member)
    headers = {"Accept-Language": language}
    empty = client.get("/stories/new", headers=headers).get_data(as_text=True)
    assert limit in empty
    assert WRITTEN.format(none) in empty
    refused = client.post("/stories/new", data={**FORM, "body": "a" * 12_345}, headers=headers)
    assert refused.status_code == 400  # no title: the form comes back with the body
    page = refused.get_data(as_text=True)
    assert WRITTEN.format(sent) in page
    assert WRITTEN.format(none) not in page
