"""A program's schedule and sessions on a phone (390x844) in Chromium with JavaScript off
(issue 16).

A member reads a program's page before asking: when it meets (days and times, never the
venue), the places left, that no approval is needed and what completing it means. They
ask for a place, open the sessions, follow two of them (marking each done: "2 of 3
done"), and staff, who wrote one of the sessions through the form, see only how many
members marked each one done ("fewer than 5"). The member then withdraws, after the page
that says who gets the place; their marks go with the place. Every page passes axe-core
and fits the screen.

The clock stands at Friday 27 November 2026, 12:00 UTC; tests/support/programs.py puts
the first meeting on Sunday 29 November, 18:00 to 19:00 in New York (EST).
"""

from __future__ import annotations

import pytest

from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import flashes, follow, main_text, path_of, press, sign_in
from tests.support.accounts import Clock, make_account
from tests.support.browser import PHONE
from tests.support.programs import MEETING_VENUE, make_program, make_sessions

pytestmark = pytest.mark.browser

NNBSP = "\u202f"
FIRST_MEETING = f"Sunday, 29 November 2026, 6:00{NNBSP}PM–7:00{NNBSP}PM EST (America/New_York)"
TITLE = "Healing at your own pace"


def test_a_member_reads_the_schedule_asks_follows_two_sessions_and_withdraws(app, new_page):
    clock = Clock()
    app.config["CLOCK"] = clock
    staff = make_account(app, "maple-staff", role="staff")
    member = make_account(app, "river-member")
    made = make_program(app, staff.id, now=clock(), title=TITLE, meetings=3, capacity=4)
    make_sessions(app, made.id, 2, now=clock())
    program_path = f"/programs/{made.id}"
    sessions_path = f"{program_path}/sessions"
    check = NoScriptPageChecks(new_page)

    # 1. Staff add a third session through the form; the list shows what they may change.
    desk = new_page(javascript=False, viewport=PHONE)
    sign_in(desk, staff, check, clock)
    desk.goto(program_path)
    follow(desk, "Sessions (2)")
    assert path_of(desk) == sessions_path
    check(desk)
    follow(desk, "Add a session")
    check(desk)
    desk.get_by_label("Title", exact=True).fill("Asking for support")
    desk.get_by_label("The session", exact=True).fill("Nobody heals **alone**.")
    desk.get_by_label("Something to think about (optional)", exact=True).fill(
        "Who could you turn to this week?"
    )
    desk.get_by_label("About how many minutes it takes (optional)", exact=True).fill("20")
    press(desk, "Save")
    assert "The session is added." in flashes(desk)
    assert path_of(desk) == sessions_path
    assert main_text(desk).count("Marked done by: 0") == 3
    check(desk)

    # 2. The member reads the program before asking: when, places, approval, completing.
    page = new_page(javascript=False, viewport=PHONE)
    sign_in(page, member, check, clock)
    follow(page, "Programs")
    follow(page, TITLE)
    assert path_of(page) == program_path
    before = main_text(page)
    assert FIRST_MEETING in before
    assert "Where it meets is shared once you have a place." in before
    assert MEETING_VENUE not in page.content()
    assert "4 places left of 4." in before
    assert "No approval needed: if a place is free when you ask, it's yours." in before
    assert "It has 3 sessions to follow at your own pace once you have a place." in before
    check(page)

    # 3. They ask for a place, and open the sessions.
    press(page, "Ask for a place")
    assert "You have a place. Welcome!" in flashes(page)
    assert "0 of 3 done." in main_text(page)
    check(page)
    follow(page, "Open the sessions")
    assert path_of(page) == sessions_path
    assert "0 of 3 done." in main_text(page)
    check(page)

    # 4. They follow two sessions, marking each done.
    follow(page, "Session 1")
    assert "What stayed with you from session 1?" in main_text(page)
    check(page)
    press(page, "Mark as done")
    assert "Marked done. 1 of 3 done." in flashes(page)
    assert "You marked this session done." in main_text(page)
    check(page)
    follow(page, "Next: Session 2")
    press(page, "Mark as done")
    assert "Marked done. 2 of 3 done." in flashes(page)
    follow(page, "Next: Asking for support")
    assert "Nobody heals alone." in main_text(page)
    assert "about 20 minutes" in main_text(page)
    check(page)
    follow(page, "All sessions")
    assert "2 of 3 done." in main_text(page)
    check(page)

    # 5. Staff see how many marked each one done, never who.
    desk.goto(sessions_path)
    counts = main_text(desk)
    assert counts.count("Marked done by: fewer than 5") == 2
    assert counts.count("Marked done by: 0") == 1
    assert member.pseudonym not in counts

    # 6. The member withdraws, after the page that says what happens.
    page.goto(program_path)
    follow(page, "Withdraw")
    assert path_of(page) == f"{program_path}/withdraw"
    question = main_text(page)
    assert "You give up your place." in question
    assert "whoever has waited longest gets it at once" in question
    assert "the sessions you marked done" in question
    check(page)
    press(page, "Yes, withdraw")
    assert path_of(page) == program_path
    assert "You have withdrawn." in flashes(page)
    assert page.get_by_role("button", name="Ask for a place").count() == 1
    check(page)
    desk.goto(sessions_path)
    assert main_text(desk).count("Marked done by: 0") == 3  # the marks went with the place

    assert set(check.checked) >= {
        program_path,
        sessions_path,
        f"{sessions_path}/new",
        f"{program_path}/withdraw",
    }
