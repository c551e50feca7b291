"""Moderator care in Chromium on a 390x844 phone with JavaScript off (issue 15, points 2-3):
an author keeps a finding, the mentor finds the story closed, opens it, sees the finding
marked and that the author kept it, publishes it, adds a warning from a reader's report
(the reporter's notice names the story), and the queue suggests a break, once; zero
axe violations on each page (axe runs on a same-origin twin, as in the stories journey).
"""

from __future__ import annotations

import pytest

from tests.browser.test_accounts_journey import PageChecks, path_of, press
from tests.browser.test_stories_journey import report_and_add_a_warning, sign_in, story_id
from tests.support.accounts import make_account
from tests.support.browser import PHONE
from tests.support.stories import make_story

pytestmark = pytest.mark.browser

PHONE_NUMBER = "555-123-4567"


@pytest.fixture
def app_overrides() -> dict:
    return {"MODERATION_BREAK_AFTER": 3}


def test_a_kept_finding_reaches_the_mentor_marked_in_a_closed_story(app, new_page, clock):
    author = make_account(app, "river-member")
    mentor = make_account(app, "heron-mentor", role="mentor")
    earlier = make_story(app, author.id, state="pending", title="Earlier", body="Quiet words.")
    check = PageChecks(new_page, javascript=False)
    as_author = new_page(javascript=False, viewport=PHONE)
    as_mentor = new_page(javascript=False, viewport=PHONE)

    # The author is shown the phone number, ticks "safe to share" and sends it.
    sign_in(as_author, author, clock)
    as_author.goto("/stories/new")
    as_author.get_by_label("Title").fill("The long road")
    as_author.get_by_label("Your story").fill(f"They kept me in a house.\n\nCall {PHONE_NUMBER}.")
    press(as_author, "Check and ask for review")
    assert "looks like a phone number" in as_author.locator(".findings").inner_text()
    as_author.get_by_label("I have checked these").check()
    press(as_author, "Check and ask for review")
    assert path_of(as_author) == "/stories/mine"
    sid = story_id(app, "The long road")

    # The mentor: the story starts closed, with what was found and the author's choice.
    sign_in(as_mentor, mentor, clock)
    as_mentor.goto(f"/moderation/stories/{sid}")
    main = as_mentor.locator("main")
    assert "The author saw these and chose to keep them." in main.inner_text()
    assert "No warning given." in as_mentor.locator("main summary").inner_text()
    story = as_mentor.locator(".story-body")
    assert not story.is_visible()
    check(as_mentor)
    as_mentor.get_by_text("Open the story").click()
    assert story.is_visible()
    marked = story.locator("mark")
    assert marked.inner_text() == f"{PHONE_NUMBER} (a phone number)"
    check(as_mentor)  # open, with the finding marked
    as_mentor.get_by_label("Approve and publish").check()
    press(as_mentor, "Save decision")
    assert path_of(as_mentor) == "/moderation"
    assert "take a break" not in main.inner_text()

    # A reader reports it as needing a warning; the mentor adds one from the report, and
    # the reporter is told, the story named.
    reader = make_account(app, "cedar-member")
    as_reader = new_page(javascript=False, viewport=PHONE)
    sign_in(as_reader, reader, clock)
    as_reader.goto(f"/stories/{sid}")
    check(as_reader)
    report_and_add_a_warning(as_reader, as_mentor, reader, sid, check)

    # A third decision: the queue suggests a break, once.
    as_mentor.goto(f"/moderation/stories/{earlier}")
    as_mentor.get_by_label("Approve and publish").check()
    press(as_mentor, "Save decision")
    note = as_mentor.locator(".care-note")
    assert note.inner_text().startswith(
        "You've reviewed 3 stories today. It's okay to take a break."
    )
    check(as_mentor)
    as_mentor.goto("/moderation")
    assert as_mentor.locator(".care-note").count() == 0

    # The choice to have stories open at once, on the account page.
    as_mentor.goto("/account")
    as_mentor.get_by_label("Open stories at once on the review page").check()
    press(as_mentor, "Save")
    check(as_mentor)
    again = make_story(app, author.id, state="pending", title="Again", body="More words.")
    as_mentor.goto(f"/moderation/stories/{again}")
    assert as_mentor.locator(".story-body").is_visible()
    check(as_mentor)
