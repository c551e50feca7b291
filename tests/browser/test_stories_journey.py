"""Stories in Chromium on a 390x844 phone: the whole review journey with JavaScript off,
and stored XSS payloads viewed by every kind of reader with JavaScript on (X2).

With JavaScript off axe runs on a same-origin twin of each page (see the accounts journey).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from advocacy.extensions import db
from advocacy.stories.models import Story
from tests.browser.test_accounts_journey import PageChecks, path_of, press
from tests.stories.xss_payloads import PAYLOADS
from tests.support.accounts import make_account
from tests.support.browser import PHONE, SMALL_PHONE

pytestmark = pytest.mark.browser


def sign_in(page: Page, account, clock) -> None:
    page.goto("/login")
    page.get_by_label("Pseudonym").fill(account.pseudonym)
    page.get_by_label("Password", exact=True).fill(account.password)
    press(page, "Sign in")
    if path_of(page) == "/login/code":
        clock.advance(seconds=30)
        page.get_by_label("6-digit code from your app").fill(account.totp_code(clock()))
        press(page, "Continue")
    assert path_of(page) == "/", page.url


def story_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Story.id).where(Story.title == title))


def report_and_add_a_warning(as_reader: Page, as_mentor: Page, reader, sid: int, check) -> None:
    """From the published story "The long road" open on the reader's page: they report it
    as needing a content warning; the mentor adds "Family" from the report (never seeing
    who reported it); the reporter's notice names the story."""
    with as_reader.expect_navigation():
        as_reader.get_by_role("link", name="Report this story to a mentor").click()
    check(as_reader)
    as_reader.get_by_label("It needs a content warning").check()
    press(as_reader, "Send report")
    assert path_of(as_reader) == "/stories"
    as_mentor.goto("/moderation")
    with as_mentor.expect_navigation():
        as_mentor.get_by_role("link", name="The long road").click()
    assert path_of(as_mentor) == f"/moderation/reports/{sid}"
    assert reader.pseudonym not in as_mentor.content()
    check(as_mentor)
    as_mentor.get_by_label("Add a content warning").check()
    as_mentor.get_by_label("Family", exact=True).check()
    as_mentor.get_by_label("Note to the author").fill("It tells of home.")
    press(as_mentor, "Save decision")
    assert path_of(as_mentor) == "/moderation"
    as_reader.goto("/notices")
    assert (
        "A mentor reviewed “The long road” and added a content warning to it."
        in as_reader.locator("main").inner_text()
    )
    check(as_reader)


def test_write_review_read_and_report_without_javascript(app, new_page, clock):
    author = make_account(app, "river-member")
    reader = make_account(app, "cedar-member")
    mentor = make_account(app, "heron-mentor", role="mentor")
    check = PageChecks(new_page, javascript=False)
    as_author = new_page(javascript=False, viewport=PHONE)
    as_mentor = new_page(javascript=False, viewport=PHONE)
    as_reader = new_page(javascript=False, viewport=PHONE)

    # The author writes a story with a warning and a phone number.
    sign_in(as_author, author, clock)
    as_author.goto("/stories/new")
    check(as_author)
    as_author.get_by_label("Title").fill("The long road")
    as_author.get_by_label("Your story").fill("They kept me in a house.")
    # Enter in the title (a phone keyboard's "Go") saves a draft: nothing unfinished
    # reaches the mentors.
    with as_author.expect_navigation():
        as_author.get_by_label("Title").press("Enter")
    with app.app_context():
        assert db.session.scalars(db.select(Story.status)).all() == ["draft"]
    as_author.get_by_label("Your story").fill("They kept me in a house.\n\nCall 555-123-4567.")
    as_author.get_by_label("Violence", exact=True).check()
    as_author.get_by_label("Everyone, including visitors").check()
    press(as_author, "Check and ask for review")
    findings = as_author.locator(".findings")
    assert "looks like a phone number" in findings.inner_text()
    assert as_author.locator("mark").inner_text() == "555-123-4567"
    check(as_author)
    # Fix it and submit.
    as_author.get_by_label("Your story").fill("They kept me in a house.\n\nI got out.")
    press(as_author, "Check and ask for review")
    assert path_of(as_author) == "/stories/mine"
    check(as_author)
    sid = story_id(app, "The long road")

    # The mentor asks for changes.
    sign_in(as_mentor, mentor, clock)
    as_mentor.goto("/moderation")
    check(as_mentor)
    with as_mentor.expect_navigation():
        as_mentor.get_by_role("link", name="The long road").click()
    assert path_of(as_mentor) == f"/moderation/stories/{sid}"
    assert not as_mentor.locator(".story-body").is_visible()  # warned text starts collapsed
    assert_label_beside_triangle(as_mentor)
    check(as_mentor)
    as_mentor.get_by_label("Ask the author for changes").check()
    as_mentor.get_by_label("Note to the author").fill("Could you say a little about after?")
    press(as_mentor, "Save decision")
    assert path_of(as_mentor) == "/moderation"

    # The author edits and resubmits.
    as_author.goto("/notices")
    check(as_author)
    with as_author.expect_navigation():  # opening the notice marks it read (a form)
        as_author.get_by_role("button", name="See details").first.click()
    assert path_of(as_author) == f"/stories/{sid}/edit"
    assert "Could you say a little about after?" in as_author.locator("main").inner_text()
    check(as_author)
    as_author.get_by_label("Your story").fill(
        "They kept me in a house.\n\nI got out, and now I help others get out."
    )
    press(as_author, "Check and ask for review")
    assert path_of(as_author) == "/stories/mine"

    # The mentor approves.
    as_mentor.goto(f"/moderation/stories/{sid}")
    as_mentor.get_by_label("Approve and publish").check()
    press(as_mentor, "Save decision")
    assert path_of(as_mentor) == "/moderation"

    # Another member opens the warned content, then reports it.
    sign_in(as_reader, reader, clock)
    as_reader.goto("/stories")
    check(as_reader)
    with as_reader.expect_navigation():
        as_reader.get_by_role("link", name="The long road").click()
    body = as_reader.locator(".story-body")
    assert not body.is_visible()
    assert_label_beside_triangle(as_reader)
    check(as_reader)
    as_reader.get_by_text("Open the story").click()
    assert body.is_visible()
    assert "now I help others" in body.inner_text()
    report_and_add_a_warning(as_reader, as_mentor, reader, sid, check)
    as_author.goto("/notices")
    assert (
        "A mentor added the content warning “Family” to your story “The long road” after it "
        "was reported." in as_author.locator("main").inner_text()
    )
    check(as_author)
    assert len(set(check.checked)) >= 8


def assert_label_beside_triangle(page) -> None:
    """The warning's words start on the summary's first line, beside the disclosure
    triangle: not under a line that holds the triangle alone."""
    below_first_line = page.locator("details.warned > summary").evaluate(
        """summary => {
            const label = summary.querySelector(".warned-label, .warned-none");
            const top = summary.getBoundingClientRect().top;
            const padding = parseFloat(getComputedStyle(summary).paddingTop);
            return label.getBoundingClientRect().top - top - padding;
        }"""
    )
    assert below_first_line < 8  # px; a line of its own would put the words ~24 px lower


SAMPLE = PAYLOADS[::4]


def test_stored_payloads_never_run_for_any_reader(app, new_page, clock):
    author = make_account(app, "river-member")
    reader = make_account(app, "cedar-member")
    mentor = make_account(app, "heron-mentor", role="mentor")
    dialogs: list[str] = []

    def watched(**kwargs) -> Page:
        page = new_page(javascript=True, viewport=PHONE, **kwargs)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        return page

    def assert_nothing_ran(page: Page) -> None:
        assert page.evaluate("typeof window.__xss") == "undefined", page.url
        assert dialogs == []

    writer = watched()
    sign_in(writer, author, clock)
    for number, payload in enumerate(SAMPLE):
        writer.goto("/stories/new")
        writer.get_by_label("Title").fill(f"Payload {number} {payload[:40]}")
        writer.get_by_label("Your story").fill(payload)
        writer.get_by_label("Violence", exact=True).check()
        writer.get_by_label("Everyone, including visitors").check()
        press(writer, "Check and ask for review")
        if writer.locator(".findings").count():
            writer.get_by_label("I have checked these").check()
            press(writer, "Check and ask for review")
        assert path_of(writer) == "/stories/mine", writer.url
        assert_nothing_ran(writer)

    moderator = watched()
    sign_in(moderator, mentor, clock)
    moderator.goto("/moderation")
    assert_nothing_ran(moderator)
    with app.app_context():
        ids = list(db.session.scalars(db.select(Story.id).order_by(Story.id)))
    assert len(ids) == len(SAMPLE)
    for sid in ids:
        moderator.goto(f"/moderation/stories/{sid}")
        moderator.locator("summary").first.click()
        assert_nothing_ran(moderator)
        moderator.get_by_label("Approve and publish").check()
        press(moderator, "Save decision")

    member_page = watched()
    sign_in(member_page, reader, clock)
    visitor = watched()
    for page in (visitor, member_page, moderator, writer):
        page.goto("/stories")
        assert_nothing_ran(page)
        for sid in ids:
            page.goto(f"/stories/{sid}")
            page.locator("summary").first.click()
            assert_nothing_ran(page)
    writer.goto("/stories/mine")
    assert_nothing_ran(writer)


def test_after_the_identity_check_a_language_change_and_a_second_ask_lose_nothing(
    app, new_page, clock
):
    # A newcomer's find, on a small phone without JavaScript: the check saved the new story
    # as a draft, but the language buttons went back to /stories/new (an empty form), and
    # asking again without the box came back with nothing said.
    author = make_account(app, "willow-member")
    page = new_page(javascript=False, viewport=SMALL_PHONE)
    sign_in(page, author, clock)
    page.goto("/stories/new")
    page.get_by_label("Title").fill("Leaving the farm")
    page.get_by_label("Your story").fill("Text me at 555-123-4567 if you need a ride.")
    press(page, "Check and ask for review")
    assert page.get_by_role("heading", level=1).inner_text() == "Write a story"
    press(page, "Español")
    sid = story_id(app, "Leaving the farm")
    assert path_of(page) == f"/stories/{sid}/edit"
    assert page.get_by_role("heading", level=1).inner_text() == "Escribir una historia"
    assert page.get_by_label("Tu historia").input_value() == (
        "Text me at 555-123-4567 if you need a ride."
    )
    press(page, "Comprobar y pedir revisión")  # the findings, news on this page
    said = "No se envió nada: la casilla debajo de la historia no estaba marcada."
    assert "555-123-4567" in page.locator(".findings").inner_text()
    assert said not in page.locator("main").inner_text()
    press(page, "Comprobar y pedir revisión")  # again, the box left empty
    assert said in page.locator("main").inner_text()
    page.get_by_role("link", name="Ir a la casilla").first.click()
    assert page.evaluate("location.hash") == "#confirm_findings"
    assert page.locator("#confirm_findings").is_visible()
    page.locator("#confirm_findings").check()
    press(page, "Comprobar y pedir revisión")
    assert path_of(page) == "/stories/mine"
    with app.app_context():
        assert db.session.get(Story, sid).status == "pending"
