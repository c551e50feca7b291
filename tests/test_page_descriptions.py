"""Public pages describe themselves to search engines and link previews (issue 18):
one `<meta name="description">` each, in our words, never a member's."""

from __future__ import annotations

import re

import pytest

from tests.support.accounts import make_account
from tests.support.stories import make_story

PUBLIC = [
    "/",
    "/safety",
    "/privacy",
    "/login",
    "/join",
    "/recover",
    "/help",
    "/help/grounding",
    "/stories",
    "/programs/verify",
]
# Search engines show about the first 155 to 160 characters of a description.
LONGEST = 160
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def descriptions(page: str) -> list[str]:
    return DESCRIPTION.findall(page)


def test_every_public_page_has_one_description_of_its_own(client):
    seen = {}
    for path in PUBLIC:
        response = client.get(path)
        assert response.status_code == 200, path
        found = descriptions(response.get_data(as_text=True))
        assert len(found) == 1, (path, found)
        (text,) = found
        assert 20 <= len(text) <= LONGEST, (path, text)
        assert text not in seen, f"{path} says what {seen.get(text)} says"
        seen[text] = path
    # In the head, before the page's own text.
    page = client.get("/").get_data(as_text=True)
    assert page.index('<meta name="description"') < page.index("</head>")


def test_a_visitor_asking_for_events_is_shown_the_sign_in_page_described(client):
    response = client.get("/events", follow_redirects=True)
    assert descriptions(response.get_data(as_text=True)) == [
        "Sign in with your pseudonym and password."
    ]


def test_the_stories_list_describes_itself_not_its_stories(app, client):
    author = make_account(app, "willow-author")
    make_story(app, author.id, title="Zinnia morning", body="Orchard lanterns at dusk.")
    page = client.get("/stories").get_data(as_text=True)
    assert "Zinnia morning" in page  # the visitor sees the story …
    (text,) = descriptions(page)
    for member_words in ("Zinnia", "Orchard", "willow"):
        assert member_words not in text  # … but the description is ours


@pytest.mark.parametrize("path", ["/", "/privacy"])
def test_discreet_mode_leaves_the_description_out(app, client, auth, path):
    member = make_account(app, "hazel-discreet")
    auth.login(member)
    client.post("/account/preferences", data={"locale": "", "timezone": "", "is_discreet": "y"})
    page = client.get(path).get_data(as_text=True)
    assert "<title>Notes</title>" in page  # discreet mode is on: the neutral title
    assert descriptions(page) == []


def test_discreet_mode_names_the_tab_in_the_readers_language(app, client, auth):
    member = make_account(app, "hazel-discreta")
    auth.login(member)
    client.post("/account/preferences", data={"locale": "es", "timezone": "", "is_discreet": "y"})
    page = client.get("/").get_data(as_text=True)
    assert "<title>Notas</title>" in page
    assert "Notes" not in page
