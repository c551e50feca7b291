"""A roster that informs a decision, in Chromium on a phone (390x844) with JavaScript off
(issue 13, point 2).

Staff create a program that started two days ago; two members take places. On the
roster, staff add yesterday's extra session and who came (a time in the future first:
refused calmly, with what they typed kept), and each member's line says how often they
came. Staff record one member's completion, confirming it on its own page; the member
reads the notice, follows it to their letter page and gets a letter. Staff undo the
completion the same day: the letter's code no longer verifies, and the notice is gone.

Every page on the way passes axe-core and fits the screen.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest

from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import flashes, follow, main_text, path_of, press, sign_in
from tests.programs.test_browser_journey import (
    CODE,
    create_program,
    open_notices,
    phone,
    site_today,
)
from tests.support.accounts import make_account
from tests.support.dates import english_date

pytestmark = pytest.mark.browser


def test_attendance_on_the_roster_completion_confirmed_the_notice_and_undo(app, new_page):
    staff = make_account(app, "maple-staff", role="staff")
    came, missed = make_account(app, "river-member"), make_account(app, "cedar-member")
    title = f"Leading with care {secrets.token_hex(2)}"
    check = NoScriptPageChecks(new_page)
    yesterday = (site_today() - timedelta(days=1)).isoformat()
    tomorrow = (site_today() + timedelta(days=1)).isoformat()

    # 1. Staff create a program that started two days ago; two members take places.
    page = phone(new_page)
    sign_in(page, staff, check)
    program_path = create_program(page, check, title, places=3, approval=False, starts_in=-2)
    roster_path = f"{program_path}/roster"
    member_pages = {}
    for member in (came, missed):
        mine = phone(new_page)
        sign_in(mine, member, check)
        mine.goto(program_path)
        press(mine, "Ask for a place")
        assert "You have a place. Welcome!" in flashes(mine)
        member_pages[member.pseudonym] = mine
    mine = member_pages[came.pseudonym]

    # 2. The roster: places, no attendance yet.
    page.goto(program_path)
    follow(page, "Roster, requests and attendance")
    assert path_of(page) == roster_path
    roster = main_text(page)
    assert f"{came.pseudonym} · has a place" in roster
    assert roster.count("No attendance recorded yet") == 2
    check(page)

    # 3. Yesterday's extra session, first typed with tomorrow's date: a calm refusal.
    follow(page, "Add a meeting that already happened")
    assert path_of(page) == f"{program_path}/meetings/past"
    check(page)
    page.get_by_label("Where it was (public area)", exact=True).fill("Queens")
    page.get_by_label("Date", exact=True).fill(tomorrow)
    page.get_by_label("Started", exact=True).fill("18:00")
    page.get_by_label("Ended", exact=True).fill("19:30")
    page.get_by_label(came.pseudonym, exact=True).check()
    press(page, "Add the meeting")
    assert "This is for a meeting that has already happened." in main_text(page)
    assert page.get_by_label("Where it was (public area)", exact=True).input_value() == "Queens"
    assert page.get_by_label(came.pseudonym, exact=True).is_checked()
    assert not page.get_by_label(missed.pseudonym, exact=True).is_checked()
    check(page)
    page.get_by_label("Date", exact=True).fill(yesterday)
    press(page, "Add the meeting")
    assert path_of(page) == roster_path
    assert "The meeting is added, with who came." in flashes(page)
    roster = main_text(page)
    assert "Came to 1 of 1 meeting" in roster
    assert "Came to 0 of 1 meeting" in roster
    assert "1 of 2 came" in roster
    check(page)

    # 4. Completion for the member who came, confirmed on its own page.
    follow(page, f"Record completion for {came.pseudonym}")
    assert f"Record that {came.pseudonym} completed “{title}”?" in main_text(page)
    check(page)
    press(page, "Yes, record completion")
    assert path_of(page) == roster_path
    assert "Completion is recorded, and the member has been told." in flashes(page)
    today = english_date(site_today())
    assert f"{came.pseudonym} · completed {today}" in main_text(page)
    check(page)

    # 5. The member reads the notice and follows it to their letter page.
    open_notices(mine, check)
    assert (
        f"You completed “{title}”. Well done! Your completion letter is ready whenever you "
        "want it." in main_text(mine)
    )
    press(mine, "See details")
    assert path_of(mine) == f"{program_path}/letter"
    assert f"You completed this program on {today}." in main_text(mine)
    check(mine)
    press(mine, "Get my completion letter")
    (code,) = CODE.findall(mine.locator("article.letter").inner_text())
    check(mine)

    # 6. Staff undo it the same day.
    page.goto(roster_path)
    follow(page, f"Undo completion for {came.pseudonym}…")
    assert "Any letter already issued for it will stop verifying" in main_text(page)
    check(page)
    press(page, "Yes, undo completion")
    assert path_of(page) == roster_path
    assert "Completion is undone. Any letter issued for it no longer verifies" in flashes(page)
    assert f"{came.pseudonym} · has a place" in main_text(page)
    assert page.get_by_role("link", name=f"Record completion for {came.pseudonym}").count() == 1
    check(page)

    # 7. The letter's code no longer verifies, and the notice is withdrawn.
    visitor = phone(new_page)
    visitor.goto("/programs/verify")
    visitor.get_by_label("Verification code", exact=True).fill(code)
    press(visitor, "Check")
    assert "We can't confirm that code." in visitor.get_by_role("status").inner_text()
    assert title not in main_text(visitor)
    check(visitor)
    mine.goto("/notices")
    assert "You completed" not in main_text(mine)
    assert re.search(r"Notices \(\d+ new\)", mine.locator("header").inner_text()) is None
    check(mine)

    assert set(check.checked) >= {
        roster_path,
        f"{program_path}/meetings/past",
        f"{roster_path.rsplit('/', 1)[0]}/letter",
        "/notices",
        "/programs/verify",
    }
