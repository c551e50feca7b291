"""Programs in Chromium on a phone (390x844) with JavaScript off.

1. Staff create a program with one place through the form. A member asks for a place
   and has it; a second member asks, is put on the waiting list and sees their number;
   the first withdraws, and the second is promoted and told in their notices.
2. Staff create a program where they approve each request (it starts today). A member
   asks; staff approve on the roster with a note, which the member reads in their notices;
   staff record completion, confirming it on its own page; the member gets the completion
   letter (to print, and as plain text) with
   a verification code; someone who is not signed in checks the code and learns that it
   is genuine and for which program, but not who holds it.

Every page on the way passes axe-core and fits the screen (the events journey's checks).
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page

from advocacy.database import utcnow
from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import (
    ZONE,
    flashes,
    follow,
    main_text,
    path_of,
    press,
    sign_in,
)
from tests.support.accounts import make_account
from tests.support.browser import PHONE, open_menu_holding
from tests.support.dates import english_date

pytestmark = pytest.mark.browser

CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}\b")
PROGRAM_PATH = re.compile(r"/programs/(\d+)")


def phone(new_page) -> Page:
    return new_page(javascript=False, viewport=PHONE)


def site_today() -> date:
    """Today in the site's time zone (Config.DEFAULT_TIMEZONE), as the app counts days."""
    return utcnow().astimezone(ZoneInfo(ZONE)).date()


def create_program(
    page: Page, check, title: str, *, places: int, approval: bool, starts_in: int = 21
) -> str:
    """Staff create an open program through the form, taking requests from yesterday to
    20 days on, starting `starts_in` days from today; return its path."""
    today = site_today()
    page.goto("/programs")
    check(page)
    follow(page, "Create a program")
    assert path_of(page) == "/programs/new"
    check(page)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Kind", exact=True).select_option("healing")
    page.get_by_label("Summary", exact=True).fill("Eight gentle weeks of peer support.")
    page.get_by_label("Description (optional)", exact=True).fill("We meet weekly.\nBring a friend.")
    page.get_by_label("Places", exact=True).fill(str(places))
    page.get_by_label("Requests open on", exact=True).fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Requests close on", exact=True).fill(
        (today + timedelta(days=20)).isoformat()
    )
    page.get_by_label("Program starts on", exact=True).fill(
        (today + timedelta(days=starts_in)).isoformat()
    )
    page.get_by_label("Program ends on", exact=True).fill((today + timedelta(days=80)).isoformat())
    approve = page.get_by_label("Staff approve each request", exact=True)
    assert not approve.is_checked()
    if approval:
        approve.check()
    page.get_by_label("Status", exact=True).select_option("open")
    check(page)
    press(page, "Save")
    assert "The program is created." in flashes(page), main_text(page)
    assert PROGRAM_PATH.fullmatch(path_of(page)), page.url
    assert page.get_by_role("heading", level=1).inner_text() == title
    taken = "0 of 1 place taken." if places == 1 else f"0 of {places} places taken."
    assert taken in main_text(page)
    assert "Places taken" not in main_text(page)
    check(page)
    return path_of(page)


def your_place(page: Page) -> str:
    return page.get_by_role("region", name="Your place").inner_text()


def open_notices(page: Page, check, count: int = 1) -> None:
    """From the home page, follow the header's unread count to the notices."""
    page.goto("/")
    assert f"{count} new" in page.locator("details.menu > summary").inner_text()
    open_menu_holding(page, "link", f"Notices ({count} new)")
    link = page.get_by_role("link", name=f"Notices ({count} new)")
    assert link.count() == 1, page.locator("header").inner_text()
    check(page)
    with page.expect_navigation():
        link.click()
    assert path_of(page) == "/notices"
    check(page)


def test_ask_wait_and_be_promoted_when_someone_withdraws(app, new_page):
    staff = make_account(app, "maple-staff", role="staff")
    first_member = make_account(app, "river-member")
    second_member = make_account(app, "cedar-member")
    title = f"Healing circle {secrets.token_hex(2)}"
    check = NoScriptPageChecks(new_page)

    # 1. Staff create a program with one place and no approval.
    page = phone(new_page)
    sign_in(page, staff, check)
    program_path = create_program(page, check, title, places=1, approval=False)

    # 2. The first member finds it and asks for a place: confirmed.
    first = phone(new_page)
    sign_in(first, first_member, check)
    follow(first, "Programs")
    assert path_of(first) == "/programs"
    check(first)
    follow(first, title)
    assert path_of(first) == program_path
    assert "For staff" not in main_text(first)
    check(first)
    press(first, "Ask for a place")
    assert "You have a place. Welcome!" in flashes(first)
    assert "You have a place." in your_place(first)
    check(first)

    # 3. The second member asks: the program is full, so they wait, and see their number.
    second = phone(new_page)
    sign_in(second, second_member, check)
    second.goto(program_path)
    assert "Full: asking now puts you on the waiting list." in main_text(second)
    check(second)
    press(second, "Join the waiting list")
    assert "you're on the waiting list" in flashes(second)
    assert "You're on the waiting list (number 1)." in your_place(second)
    assert first_member.pseudonym not in second.content()  # who else takes part stays private
    check(second)
    second.goto("/programs")
    assert "On the waiting list" in main_text(second)
    assert second.get_by_role("link", name=re.compile(r"Notices \(\d+ new\)")).count() == 0
    check(second)

    # 4. The first member withdraws; the place goes to the second, who is told.
    first.goto(program_path)
    follow(first, "Withdraw")
    assert path_of(first) == f"{program_path}/withdraw"
    assert "whoever has waited longest gets it at once" in main_text(first)
    check(first)
    press(first, "Yes, withdraw")
    assert "You have withdrawn." in flashes(first)
    # The place went to the second member: asking again joins the waiting list.
    assert first.get_by_role("button", name="Join the waiting list").count() == 1
    check(first)

    open_notices(second, check)
    assert f"A place opened up: you're now confirmed for “{title}”." in main_text(second)
    press(second, "See details")
    assert path_of(second) == program_path
    assert "You have a place." in your_place(second)
    check(second)

    # 5. Staff see it too: one of one place taken, and only the second member on the roster.
    page.goto(program_path)
    assert "1 of 1 place taken." in main_text(page)
    follow(page, "Roster, requests and attendance")
    roster = main_text(page)
    assert f"{second_member.pseudonym} · has a place" in roster
    assert first_member.pseudonym not in roster
    check(page)

    assert set(check.checked) >= {
        "/login",
        "/login/code",
        "/",
        "/programs",
        "/programs/new",
        program_path,
        f"{program_path}/roster",
        f"{program_path}/withdraw",
        "/notices",
    }


def test_approval_completion_letter_and_verification(app, new_page, tmp_path: Path):
    staff = make_account(app, "maple-staff", role="staff")
    member = make_account(app, "willow-member")
    title = f"Leading with care {secrets.token_hex(2)}"
    note = "Welcome! We start with tea at six."
    check = NoScriptPageChecks(new_page)

    # 1. Staff create a program where they approve each request.
    page = phone(new_page)
    sign_in(page, staff, check)
    program_path = create_program(page, check, title, places=3, approval=True, starts_in=0)
    roster_path = f"{program_path}/roster"

    # 2. The member asks for a place: the request waits for staff.
    mine = phone(new_page)
    sign_in(mine, member, check)
    mine.goto("/programs")
    check(mine)
    follow(mine, title)
    assert "Staff look at each request before confirming it." in main_text(mine)
    check(mine)
    press(mine, "Ask for a place")
    assert "Your request is in. Staff will let you know soon." in flashes(mine)
    assert "Your request is with staff." in your_place(mine)
    check(mine)

    # 3. Staff approve it on the roster, with a note.
    page.goto(program_path)
    # A request holds its place, said apart from the places taken.
    assert (
        "0 of 3 places taken. 1 more is held for a request waiting for your answer."
        in main_text(page)
    )
    follow(page, "Roster, requests and attendance")
    assert path_of(page) == roster_path
    assert f"{member.pseudonym} · asking for a place" in main_text(page)
    check(page)
    page.get_by_label(f"Note to {member.pseudonym} (optional)", exact=True).fill(note)
    press(page, "Approve")
    assert path_of(page) == roster_path
    assert f"Saved. {member.pseudonym} has been told their place is confirmed." in flashes(page)
    assert f"{member.pseudonym} · has a place" in main_text(page)
    check(page)

    # 4. The member is told, with the note.
    open_notices(mine, check)
    notices = main_text(mine)
    assert f"You have a place in “{title}”." in notices
    assert f"Note: {note}" in notices
    press(mine, "See details")
    assert path_of(mine) == program_path
    assert "You have a place." in your_place(mine)
    check(mine)

    # 5. Staff record completion, confirming it on its own page.
    page.goto(roster_path)
    follow(page, f"Record completion for {member.pseudonym}")
    check(page)
    press(page, "Yes, record completion")
    assert path_of(page) == roster_path
    today = english_date(site_today())
    assert f"{member.pseudonym} · completed {today}" in main_text(page)
    assert page.get_by_role("link", name=re.compile("Record completion")).count() == 0
    check(page)

    # 6. The member gets the letter, ready to print, with a verification code...
    mine.goto(program_path)
    assert f"You completed this program on {today}." in your_place(mine)
    assert mine.get_by_role("link", name="Withdraw").count() == 0
    check(mine)
    press(mine, "Get my completion letter")
    assert path_of(mine) == f"{program_path}/letter/latest"
    letter = mine.locator("article.letter").inner_text()
    assert mine.get_by_role("heading", level=1).inner_text() == "Certificate of completion"
    assert f"“{title}”" in letter
    assert today in letter
    assert member.pseudonym not in letter  # the holder of the letter, not a name
    (code,) = CODE.findall(letter)
    check(mine)
    mine.reload()  # the same letter, not a new code
    assert CODE.findall(mine.locator("article.letter").inner_text()) == [code]

    # ...and as plain text, with a code of its own.
    mine.goto(program_path)
    with mine.expect_download() as info:
        mine.get_by_role("button", name="As plain text").click()
    assert info.value.suggested_filename == "completion-letter.txt"
    info.value.save_as(tmp_path / "letter.txt")
    text = (tmp_path / "letter.txt").read_text()
    assert f"“{title}”" in text
    (text_code,) = CODE.findall(text)
    assert text_code != code

    # 7. Someone who is not signed in checks the codes: genuine, for this program, no name.
    visitor = phone(new_page)
    for typed in (code, text_code.lower().replace("-", " ")):
        visitor.goto("/programs/verify")
        check(visitor)
        visitor.get_by_label("Verification code", exact=True).fill(typed)
        press(visitor, "Check")
        result = visitor.get_by_role("status").inner_text()
        assert "This code is genuine" in result, main_text(visitor)
        assert f"“{title}”" in result
        assert today in result
        assert member.pseudonym not in visitor.content()
        assert staff.pseudonym not in visitor.content()
        assert 'action="/logout"' not in visitor.content()  # really not signed in
        check(visitor)

    # A code that was never issued is not confirmed.
    visitor.get_by_label("Verification code", exact=True).fill(
        code[:-1] + ("A" if code[-1] != "A" else "B")
    )
    press(visitor, "Check")
    assert "We can't confirm that code." in visitor.get_by_role("status").inner_text()
    assert title not in main_text(visitor)
    check(visitor)

    assert set(check.checked) >= {
        "/",
        "/programs",
        "/programs/new",
        program_path,
        roster_path,
        "/notices",
        f"{program_path}/letter/latest",
        "/programs/verify",
    }
