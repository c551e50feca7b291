"""The review page shows what the identity check finds (issue 15, point 2).

Rules: the mentor's page runs the identity check on the text under review (with the
author's pseudonym) and marks each finding in the text with its label, escaped like every
other piece of the author's text; it says plainly whether the author saw these and chose to
keep them, or that nothing was found. What is stored is a count on the story row, set when
the author sends it; no identifying text is copied anywhere else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.moderation import care
from advocacy.stories import services as stories
from advocacy.stories.models import Story
from advocacy.stories.services import StoryInput
from tests.moderation.reading import main_of
from tests.support.stories import WHEN, load_story, make_story

KEPT = "The author saw these and chose to keep them."
NONE_FOUND = "The identity check found nothing that could identify someone."
NOT_SHOWN = "The author was not shown these: the check found nothing when the story was sent."
UNKNOWN = "The story was sent before the site kept whether its author saw these."
PHONE, EMAIL = "555-123-4567", "lily@example.org"
BODY = f"They took my papers.\n\nCall {PHONE} or write to {EMAIL} if you need me."
FORM = {"title": "Walking out", "audience": "members", "byline": "pseudonym"}


def review_page(client, story_id: int) -> str:
    response = client.get(f"/moderation/stories/{story_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def send_keeping_findings(client, body: str) -> int:
    """Send a story as the signed-in author, confirming the findings they are shown."""
    data = {**FORM, "body": body, "action": "submit"}
    shown = client.post("/stories/new", data=data)
    assert shown.status_code == 200  # the findings, shown to the author
    page = shown.get_data(as_text=True)
    seen = page.split('name="findings_seen" type="hidden" value="')[1].split('"')[0]
    story_id = int(page.split('action="/stories/')[1].split("/edit")[0])
    kept = {**data, "findings_seen": seen, "confirm_findings": "y"}
    assert client.post(f"/stories/{story_id}/edit", data=kept).status_code == 303
    return story_id


def written_text(page: str):
    """The story as the mentor reads it: the element holding the author's text."""
    (body,) = main_of(page).with_class("div", "story-body")
    return body


def test_the_mentor_sees_each_kept_finding_marked_and_that_the_author_kept_them(
    app, client, auth, member, mentor
):
    auth.login(member)
    story_id = send_keeping_findings(client, BODY)
    auth.logout()
    auth.login(mentor)
    page = review_page(client, story_id)
    marks = [mark.text() for mark in written_text(page).find_all("mark")]
    assert marks == [f"{PHONE} (a phone number)", f"{EMAIL} (an email address)"]
    assert "They took my papers." in written_text(page).text()
    main = main_of(page).text()
    assert KEPT in main
    assert "What the identity check found" in main
    assert NONE_FOUND not in main


def test_a_story_without_findings_says_nothing_was_found(app, client, auth, member, mentor):
    story_id = make_story(app, member.id, state="pending", body="I learned to *speak* again.")
    auth.login(mentor)
    page = review_page(client, story_id)
    main = main_of(page)
    assert NONE_FOUND in main.text()
    assert KEPT not in main.text()
    assert main.find_all("mark") == []
    # Without findings the story reads as readers will see it (rendered, sanitized).
    assert [e.text() for e in written_text(page).find_all("em")] == ["speak"]


def test_the_author_s_own_pseudonym_is_marked_as_a_name_without_saying_whose(
    app, client, auth, member, mentor
):
    # Marked, so the mentor can protect an anonymous author; but called only "a name":
    # "the author's own pseudonym" would tell the mentor who wrote an anonymous story.
    body = f"People here know me as {member.pseudonym}."
    story_id = make_story(app, member.id, state="pending", body=body, anonymous=True)
    auth.login(mentor)
    page = review_page(client, story_id)
    marks = [mark.text() for mark in written_text(page).find_all("mark")]
    assert marks == [f"{member.pseudonym} (a name)"]
    assert "pseudonym" not in main_of(page).text().replace(member.pseudonym, "")


@pytest.mark.parametrize(
    ("title", "note", "where"),
    [
        (f"Call {PHONE}", "", "in the title"),
        ("Walking out", f"call {PHONE}", "in the content warning note"),
    ],
)
def test_findings_outside_the_text_are_listed_with_where_they_are(
    app, client, auth, member, mentor, title, note, where
):
    with app.app_context():
        author = db.session.get(Account, member.id)
        data = StoryInput(title=title, body="Nothing else here.", warning_note=note)
        first = stories.submit(author, data, now=WHEN)
        stories.submit(author, data, now=WHEN, story=first.story, confirmed=first.fingerprint)
        db.session.commit()
        story_id = first.story.id
    auth.login(mentor)
    page = review_page(client, story_id)
    (listed,) = main_of(page).with_class("ol", "finding-list")
    (item,) = listed.find_all("li")
    assert item.text() == f"a phone number, {where}: “{note[:5] or title[:5]}{PHONE}”"
    assert [m.text() for m in item.find_all("mark")] == [PHONE]
    assert KEPT in main_of(page).text()
    # Nothing in the text itself: it reads as readers will see it, with no mark.
    assert written_text(page).find_all("mark") == []


def test_each_finding_in_the_list_leads_to_its_mark_in_the_text(app, client, auth, member, mentor):
    story_id = make_story(app, member.id, state="pending", body=BODY)
    auth.login(mentor)
    page = review_page(client, story_id)
    (listed,) = main_of(page).with_class("ol", "finding-list")
    links = [a.attrs["href"] for a in listed.find_all("a")]
    assert links == ["#finding-1", "#finding-2"]
    assert [m.attrs.get("id") for m in written_text(page).find_all("mark")] == [
        "finding-1",
        "finding-2",
    ]
    first, second = listed.find_all("li")
    assert first.text() == (
        f"a phone number, in the story: “They took my papers. Call {PHONE} or write to "
        f"{EMAIL} if you…” See it in the story"
    )
    assert second.text().startswith(f"an email address, in the story: “…papers. Call {PHONE}")


def test_a_story_whose_author_is_gone_is_still_checked(app, client, auth, member, mentor):
    story_id = make_story(app, member.id, state="pending", body=f"I was {member.pseudonym}. {BODY}")
    with app.app_context():
        db.session.get(Story, story_id).author_id = None
        db.session.commit()
    auth.login(mentor)
    page = review_page(client, story_id)
    marks = [mark.text() for mark in written_text(page).find_all("mark")]
    # No pseudonym to look for any more; the rest is found as before.
    assert marks == [f"{PHONE} (a phone number)", f"{EMAIL} (an email address)"]


@pytest.mark.parametrize(
    ("payload", "escaped"),
    [
        ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror="),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("</mark><b>bold</b>", "&lt;/mark&gt;&lt;b&gt;bold&lt;/b&gt;"),
    ],
)
def test_marked_text_is_escaped(app, client, auth, member, mentor, payload, escaped):
    story_id = make_story(app, member.id, state="pending", body=f"{payload} Call {PHONE}.")
    auth.login(mentor)
    page = review_page(client, story_id)
    assert escaped in page
    assert payload not in page
    body = written_text(page)
    assert payload in body.text()  # shown, as text
    assert [tag for tag in ("img", "script", "b") if body.find_all(tag)] == []


@dataclass(frozen=True)
class StandIn:
    """A finding as the identity check's public API describes one."""

    kind: str
    start: int
    end: int
    text: str
    label: str = "a stand-in"


def test_whatever_the_check_finds_is_escaped_where_it_is_marked(
    app, client, auth, member, mentor, monkeypatch
):
    hostile = '<img src=x onerror="alert(1)">&amp;'
    body = f"Before {hostile} after."

    def finds_the_markup(text, *, pseudonym=None):
        start = text.find(hostile)
        return [StandIn("phone", start, start + len(hostile), hostile)] if start >= 0 else []

    monkeypatch.setattr(care, "find_identifiers", finds_the_markup)
    story_id = make_story(app, member.id, state="pending", body=body)
    auth.login(mentor)
    page = review_page(client, story_id)
    assert hostile not in page
    assert page.count("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&amp;amp;") == 2  # list, text
    main = main_of(page)
    assert main.find_all("img") == []
    assert [m.text() for m in written_text(page).find_all("mark")] == [f"{hostile} (a stand-in)"]


def test_the_statement_is_honest_when_the_author_was_not_shown_the_findings(
    app, client, auth, member, mentor
):
    story_id = make_story(app, member.id, state="pending", body=BODY)
    auth.login(mentor)
    for kept, said in ((0, NOT_SHOWN), (None, UNKNOWN)):
        with app.app_context():
            db.session.get(Story, story_id).findings_kept = kept
            db.session.commit()
        main = main_of(review_page(client, story_id)).text()
        assert said in main
        assert KEPT not in main


def test_only_a_count_is_stored_and_no_identifying_text_is_copied(app, client, auth, member):
    auth.login(member)
    story_id = send_keeping_findings(client, BODY)
    assert load_story(app, story_id).findings_kept == 2
    quiet = make_story(app, member.id, state="pending", title="Quiet", body="Nothing here.")
    assert load_story(app, quiet).findings_kept == 0
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name == "stories":
                continue
            rows = json.dumps([list(r) for r in db.session.execute(select(table))], default=str)
            assert PHONE not in rows, table.name
            assert EMAIL not in rows, table.name


def test_resending_after_removing_the_findings_stores_none_kept(app, client, auth, member):
    auth.login(member)
    story_id = send_keeping_findings(client, BODY)
    data = {**FORM, "body": "They took my papers.", "action": "submit"}
    assert client.post(f"/stories/{story_id}/edit", data=data).status_code == 303
    story = load_story(app, story_id)
    assert (story.status, story.findings_kept) == ("pending", 0)


def test_an_excerpt_is_cut_at_whole_words_on_one_line():
    text = (
        "We lived above the bakery for years.\nCall 555-123-4567 any evening after the late "
        "shift ends, or on Sundays."
    )
    start = text.index(PHONE)
    finding = StandIn("phone", start, start + len(PHONE), PHONE)
    assert care.excerpt(text, finding) == (
        "…lived above the bakery for years. Call ",  # "We" left out whole, not cut
        " any evening after the late shift ends,…",
    )
    short = "Call 555-123-4567."
    assert care.excerpt(short, StandIn("phone", 5, 17, PHONE)) == ("Call ", ".")


def test_an_excerpt_is_cut_only_where_the_text_goes_on():
    # 41 characters before the finding: the first one is left out ("…"), then the space.
    text = (
        "a cdefghij klmnopqrst uvwxyz abcdefg hij "
        + PHONE
        + "\nkl mnopqrstu vwxyzabcd efghijklm nopqrs"
    )
    start = text.index(PHONE)
    assert start == 41
    before, after = care.excerpt(text, StandIn("phone", start, start + len(PHONE), PHONE))
    assert before == "…cdefghij klmnopqrst uvwxyz abcdefg hij "
    # Exactly 40 characters after it: the text ends there, so nothing is cut.
    assert len(text) - (start + len(PHONE)) == 40
    assert after == " kl mnopqrstu vwxyzabcd efghijklm nopqrs"
