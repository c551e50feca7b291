"""Issue 13 from start to end, in Chromium on a phone (390x844) with JavaScript off.

The app's clock stands at Friday 27 November 2026, 07:00 in New York. A leadership
program, "Leading with care", began on 7 November and ends on Monday 30 November; five
members have a place, two past meetings had attendance taken (all five came to the first,
cedar-member missed the second), and the four members other than Quiet Heron already
completed it today.

1. The staff member who runs it signs in (with the second factor), sees on the staff home
   that it ends in 3 days, and opens its roster: Quiet Heron came to 2 of 2 meetings.
2. Staff record Quiet Heron's completion (confirming it on its own page), undo it, and
   record it again.
3. Staff open the report for November and download its CSV: 5 requests, 5 places, 5
   completions (4 before, then +1 -1 +1), 9 attendances (5 + 4), 2 meetings shown as
   "fewer than 5".
4. Quiet Heron signs in, reads the completion notice, follows it to their letter page and
   says on their account page that they are interested in mentoring.
5. An admin (second factor) finds them under "Eligible to mentor" and makes them a mentor
   with one button.
6. The new mentor signs in: first a second factor, then the short moderation guide.

Every page on the way passes axe-core with zero violations and fits the screen.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from playwright.sync_api import Page

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import attendance, completion, services
from tests.browser.test_accounts_journey import turn_on_second_factor
from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import flashes, follow, main_text, path_of, press, sign_in
from tests.programs.test_browser_journey import phone
from tests.support.accounts import MadeAccount, make_account
from tests.support.programs import make_program

pytestmark = pytest.mark.browser

# Friday 27 November 2026, 07:00 in New York.
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
TITLE = "Leading with care"
# The CSV's columns this test reads (advocacy/reports/export.py header()).
ROW = "Row (a month, or the total of the months shown)"
SCOPE = "Program, or the whole site"
PERIOD_STARTS = "Period starts (ISO 8601 date)"


def cell(row: dict[str, str], measure: str) -> str:
    """The row's count of a measure: its column's header is "<measure> (count)" (what
    "fewer than 5" and "not shown" mean is said once, in the last column's header)."""
    return row[f"{measure} (count)"]


def run_program_so_far(
    app, staff: MadeAccount, members: list[MadeAccount], now: datetime
) -> tuple[int, int]:
    """The program as the staff member finds it (see the module's docstring): its id and
    the id of `members[0]`'s place.

    Made through the services at the app's clock, so the report's counts are kept as
    they would be: `members[0]` is Quiet Heron, `members[1]` missed the second meeting.
    """
    program_id = make_program(
        app,
        staff.id,
        now=now,
        title=TITLE,
        kind="leadership",
        capacity=8,
        meetings=0,
        starts_in=-20,
        ends_in=3,
    ).id
    with app.app_context():
        enrollments = [
            services.enroll(db.session.get(Account, m.id), program_id, now=now) for m in members
        ]
        everyone = {m.id for m in members}
        for day, present in ((18, everyone), (25, everyone - {members[1].id})):
            meeting = attendance.PastMeeting(
                title=TITLE,
                area="Queens",
                timezone="America/New_York",
                day=date(2026, 11, day),
                starts=time(18),
                ends=time(19, 30),
            )
            creator = db.session.get(Account, staff.id)
            attendance.add_past_meeting(creator, program_id, meeting, present, now=now)
        for enrollment in enrollments[1:]:
            completion.complete(program_id, enrollment.id, now=now)
        db.session.commit()
        return program_id, enrollments[0].id


def card(page: Page, pseudonym: str) -> str:
    """The text of one member's card on the roster."""
    return page.locator("li.card", has_text=pseudonym).inner_text()


def eligible_to_mentor(page: Page) -> str:
    """The text of the admin page's "Eligible to mentor" list."""
    return page.locator("section", has=page.locator("#h-eligible")).inner_text()


def test_from_roster_to_report_to_a_new_mentor(app, new_page, clock, tmp_path: Path):
    clock.current = NOW
    staff = make_account(app, "maple-staff", role="staff")
    admin = make_account(app, "wren-admin", role="admin")
    heron = make_account(app, "Quiet Heron")
    others = [make_account(app, name) for name in ("cedar-member", "river-member", "fern-member")]
    others.append(make_account(app, "moss-member"))
    program_id, place_id = run_program_so_far(app, staff, [heron, *others], clock())
    roster_path = f"/programs/{program_id}/roster"
    completion_path = f"{roster_path}/{place_id}/completion"
    letter_path = f"/programs/{program_id}/letter"
    check = NoScriptPageChecks(new_page)

    # 1. The staff home says the program ends in 3 days and leads to its roster.
    page = phone(new_page)
    sign_in(page, staff, check, clock)
    follow(page, "Staff")
    assert path_of(page) == "/staff"
    assert "Today is Friday, 27 November 2026." in main_text(page)
    ending = page.get_by_role("region", name="Programs ending within 14 days")
    assert "Ends in 3 days" in ending.inner_text()
    assert "5 with a place, 4 completed" in ending.inner_text()
    check(page)
    with page.expect_navigation():
        ending.get_by_role("link", name=TITLE, exact=True).click()
    assert path_of(page) == roster_path
    assert "Quiet Heron · has a place" in card(page, "Quiet Heron")
    assert "Came to 2 of 2 meetings" in card(page, "Quiet Heron")
    assert "Came to 1 of 2 meetings" in card(page, "cedar-member")
    assert "cedar-member · completed 27 November 2026" in card(page, "cedar-member")
    meetings = main_text(page)
    assert "5 of 5 came" in meetings
    assert "4 of 5 came" in meetings
    check(page)

    # 2. Completion, confirmed on its own page; undone; recorded again.
    for attempt in ("first", "again"):
        follow(page, "Record completion for Quiet Heron")
        assert path_of(page) == completion_path
        assert f"Record that Quiet Heron completed “{TITLE}”?" in main_text(page)
        assert "makes them eligible to become a mentor" in main_text(page)
        check(page)
        press(page, "Yes, record completion")
        assert path_of(page) == roster_path
        assert "Completion is recorded, and the member has been told." in flashes(page)
        assert "Quiet Heron · completed 27 November 2026" in card(page, "Quiet Heron")
        check(page)
        if attempt == "first":
            follow(page, "Undo completion for Quiet Heron…")
            assert path_of(page) == completion_path
            check(page)
            press(page, "Yes, undo completion")
            assert path_of(page) == roster_path
            assert "Completion is undone." in flashes(page)
            assert "Quiet Heron · has a place" in card(page, "Quiet Heron")
            check(page)

    # 3. The report for November, and its CSV.
    page.goto("/staff/reports")
    check(page)
    page.get_by_label("From (month)", exact=True).fill("2026-11")
    page.get_by_label("To (month, included)", exact=True).fill("2026-11")
    press(page, "Show the report")
    assert path_of(page) == "/staff/reports"
    check(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as CSV (for a spreadsheet)").click()
    assert info.value.suggested_filename == "report-2026-11-to-2026-11.csv"
    info.value.save_as(tmp_path / "report.csv")
    with (tmp_path / "report.csv").open(newline="", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    assert [(r[ROW], r[SCOPE], r[PERIOD_STARTS]) for r in rows] == [
        ("month", TITLE, "2026-11-01"),
        ("total", TITLE, "2026-11-01"),
    ]
    for row in rows:
        assert cell(row, "Requests for a place") == "5"
        assert cell(row, "Places given") == "5"
        assert cell(row, "Completions") == "5"
        assert cell(row, "Attendances") == "9"
    assert cell(rows[0], "Meetings held") == "fewer than 5"

    # 4. Quiet Heron reads the notice, follows it to the letter, and is interested.
    mine = phone(new_page)
    sign_in(mine, heron, check)
    assert f"{TITLE} (you completed it)" in main_text(mine)
    follow(mine, "Notices (2 new)")
    assert path_of(mine) == "/notices"
    notice = mine.locator("li.card", has_text=f"You completed “{TITLE}”.")
    assert "Your completion letter is ready whenever you want it." in notice.inner_text()
    assert "you may become a peer mentor" in main_text(mine)
    check(mine)
    with mine.expect_navigation():
        notice.get_by_role("button", name="See details").click()
    assert path_of(mine) == letter_path
    assert "You completed this program on 27 November 2026." in main_text(mine)
    check(mine)
    follow(mine, "Account")
    assert mine.get_by_role("heading", name="Becoming a peer mentor").is_visible()
    check(mine)
    press(mine, "I'm interested")
    assert "Admins can now see that you are interested" in flashes(mine)
    check(mine)

    # 5. An admin makes them a mentor with one button.
    admin_page = phone(new_page)
    sign_in(admin_page, admin, check, clock)
    follow(admin_page, "Admin")
    eligible = eligible_to_mentor(admin_page)
    assert "Quiet Heron: interested" in eligible
    assert "cedar-member: hasn't answered yet" in eligible
    check(admin_page)
    follow(admin_page, "Make mentor Quiet Heron")  # asked first, on a page of its own
    assert admin_page.get_by_role("heading", level=1).inner_text() == "Make Quiet Heron a mentor?"
    assert "how moderation works here" in main_text(admin_page)
    check(admin_page)
    press(admin_page, "Yes, make them a mentor")
    assert path_of(admin_page) == "/admin"
    assert "Quiet Heron is now a mentor." in flashes(admin_page)
    eligible = eligible_to_mentor(admin_page)
    assert "Quiet Heron" not in eligible
    assert "cedar-member: hasn't answered yet" in eligible
    check(admin_page)

    # 6. The new mentor: signed out everywhere; a second factor first, then the guide.
    mine.goto("/account")
    assert path_of(mine) == "/login"
    check(mine)
    mine.get_by_label("Pseudonym").fill(heron.pseudonym)
    mine.get_by_label("Password", exact=True).fill(heron.password)
    press(mine, "Sign in")
    assert path_of(mine) == "/account/two-factor"
    check(mine)
    turn_on_second_factor(mine, at=clock())
    assert path_of(mine) == "/moderation/guide"
    assert mine.get_by_role("heading", level=1).inner_text() == "How moderation works here"
    check(mine)

    assert set(check.checked) == {
        "/login",
        "/login/code",
        "/",
        "/staff",
        roster_path,
        completion_path,
        "/staff/reports",
        "/notices",
        letter_path,
        "/account",
        "/admin",
        f"/admin/accounts/{heron.id}/mentor",
        "/account/two-factor",
        "/moderation/guide",
    }
