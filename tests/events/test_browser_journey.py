"""Events in Chromium on a phone (390x844) with JavaScript off.

Staff schedule a weekly group through the form; a member finds it in the next seven
days, RSVPs, sees where to go and downloads the calendar file; a second member is put on
the waiting list and sees no venue; the first cancels, and the second is promoted, told
in their notices, and now sees the venue. Every page on the way passes axe-core and fits
the screen.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pyotp
import pytest
from icalendar import Calendar
from playwright.sync_api import Page

from tests.events.browser_checks import NoScriptPageChecks
from tests.support.accounts import Clock, MadeAccount, make_account
from tests.support.browser import PHONE, open_menu_holding

pytestmark = pytest.mark.browser

ZONE = "America/New_York"  # the form's default time zone (Config.DEFAULT_TIMEZONE)


def press(page: Page, button: str) -> None:
    """Click a submit button and wait for the page it leads to."""
    open_menu_holding(page, "button", button)
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def follow(page: Page, link: str) -> None:
    open_menu_holding(page, "link", link)
    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def flashes(page: Page) -> str:
    return " ".join(page.locator(".flashes, .flash").all_inner_texts())


def main_text(page: Page) -> str:
    return page.locator("main").inner_text()


def sign_in(
    page: Page, account: MadeAccount, check: NoScriptPageChecks, clock: Clock | None = None
) -> None:
    """Sign in through the forms, with the authenticator code when the account has one
    (its code at the app's `clock` when the test controls it, else at the real time)."""
    page.goto("/login")
    check(page)
    page.get_by_label("Pseudonym").fill(account.pseudonym)
    page.get_by_label("Password", exact=True).fill(account.password)
    press(page, "Sign in")
    if account.totp_secret:
        assert path_of(page) == "/login/code"
        check(page)
        code = account.totp_code(clock()) if clock else pyotp.TOTP(account.totp_secret).now()
        page.get_by_label("6-digit code from your app").fill(code)
        press(page, "Continue")
    assert path_of(page) == "/", flashes(page)
    check(page)


def download_calendar(page: Page, tmp_path: Path, name: str):
    """Download the meeting's calendar file; return its event (and the file's text)."""
    with page.expect_download() as info:
        page.get_by_role("link", name="Add to my calendar (.ics file)").click()
    download = info.value
    assert download.suggested_filename == "meeting.ics"
    target = tmp_path / name
    download.save_as(target)
    text = target.read_text()
    (entry,) = Calendar.from_ical(text).walk("VEVENT")
    return entry, text


def test_schedule_find_rsvp_wait_cancel_and_promote(app, new_page, tmp_path):
    staff = make_account(app, "maple-staff", role="staff")
    first_member = make_account(app, "river-member")
    second_member = make_account(app, "cedar-member")
    title = f"Evening peer circle {secrets.token_hex(2)}"
    venue = f"VENUE-CANARY-{secrets.token_hex(6)}, 3rd floor, ring twice"
    tomorrow = (datetime.now(ZoneInfo(ZONE)) + timedelta(days=1)).date()
    until = tomorrow + timedelta(weeks=3)
    check = NoScriptPageChecks(new_page)

    # 1. Staff schedule a weekly group with one place, through the form.
    page = new_page(javascript=False, viewport=PHONE)
    sign_in(page, staff, check)
    page.goto("/events")
    check(page)
    follow(page, "Schedule an event")
    assert path_of(page) == "/events/new"
    check(page)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description (optional)", exact=True).fill("A calm hour to talk and listen.")
    page.get_by_role("radio", name="In person", exact=True).check()
    page.get_by_label("Public area", exact=True).fill("Brooklyn")
    page.get_by_label("Private venue details or meeting link (optional)", exact=True).fill(venue)
    assert page.get_by_label("Time zone", exact=True).input_value() == ZONE
    page.get_by_label("Accessibility notes (optional)", exact=True).fill("Step-free entrance.")
    page.get_by_label("Date", exact=True).fill(tomorrow.isoformat())
    page.get_by_label("Starts", exact=True).fill("18:00")
    page.get_by_label("Ends", exact=True).fill("19:30")
    page.get_by_label("Places", exact=True).fill("1")
    page.get_by_label("Repeats", exact=True).select_option("weekly")
    page.get_by_label("Repeats until", exact=True).fill(until.isoformat())
    check(page)
    press(page, "Schedule")
    assert f"Scheduled “{title}”: 4 meetings." in flashes(page), main_text(page)
    meeting_path = path_of(page)
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert venue in main_text(page)  # staff see where it is
    check(page)

    # 2. The first member finds it among the next seven days, RSVPs and sees the venue.
    first = new_page(javascript=False, viewport=PHONE)
    sign_in(first, first_member, check)
    follow(first, "Events")
    assert path_of(first) == "/events"
    check(first)
    assert not first.get_by_label("Only the next 7 days").is_visible()  # folded on a phone
    first.get_by_text("Showing: every upcoming event").click()  # a <details>: no script
    first.get_by_label("Only the next 7 days").check()
    press(first, "Show events")
    assert parse_qs(urlsplit(first.url).query).get("week") == ["1"]
    assert first.get_by_text("Showing: the next 7 days").is_visible()
    assert first.get_by_label("Only the next 7 days").is_checked()
    cards = first.locator(".event-list > li")
    assert cards.count() == 1, main_text(first)  # the later weekly meetings are further off
    assert title in cards.first.inner_text()
    assert "Brooklyn" in cards.first.inner_text()
    assert venue not in first.content()  # never in lists
    check(first)
    follow(first, title)
    assert path_of(first) == meeting_path
    assert first.get_by_role("heading", name="Where to go").count() == 0
    assert venue not in first.content()
    assert "1 place left" in main_text(first)
    check(first)

    press(first, "RSVP")
    assert "You have a place." in flashes(first)
    assert "You're going." in main_text(first)
    where = first.get_by_role("region", name="Where to go")
    assert venue in where.inner_text()
    check(first)
    entry, _ = download_calendar(first, tmp_path, "first.ics")
    assert str(entry["LOCATION"]) == venue
    assert str(entry["SUMMARY"]) == title

    # 3. The second member RSVPs, is put on the waiting list and sees no venue.
    second = new_page(javascript=False, viewport=PHONE)
    sign_in(second, second_member, check)
    second.goto(meeting_path)
    check(second)
    assert second.get_by_role("button", name="RSVP", exact=True).count() == 0  # it is full
    press(second, "Join the waiting list")
    assert "you're on the waiting list" in flashes(second)
    assert "You're on the waiting list (number 1)." in main_text(second)
    assert second.get_by_role("heading", name="Where to go").count() == 0
    assert venue not in second.content()
    check(second)
    entry, text = download_calendar(second, tmp_path, "second-waiting.ics")
    assert str(entry["LOCATION"]) == "Brooklyn"  # the public area only
    assert venue.split(",")[0] not in text
    second.goto("/notices")
    assert "Notices (1 new)" not in second.content()
    check(second)

    # 4. The first member cancels; the place goes to the second, who is told.
    first.goto(meeting_path)
    check(first)
    follow(first, "Cancel my RSVP…")
    # Asked first, on a page of its own, with who gets the place.
    assert "Your place will go to the person who has waited longest" in first.content()
    check(first)
    press(first, "Yes, cancel my RSVP")
    assert "Your RSVP is cancelled." in flashes(first)
    assert first.get_by_role("heading", name="Where to go").count() == 0
    assert venue not in first.content()
    check(first)

    second.goto("/")
    open_menu_holding(second, "link", "Notices (1 new)")
    notices_link = second.get_by_role("link", name="Notices (1 new)")
    assert notices_link.count() == 1
    check(second)
    with second.expect_navigation():
        notices_link.click()
    assert path_of(second) == "/notices"
    assert f"A place opened up: you're now confirmed for “{title}”." in main_text(second)
    check(second)
    press(second, "See details")
    assert path_of(second) == meeting_path
    assert "You're going." in main_text(second)
    assert venue in second.get_by_role("region", name="Where to go").inner_text()
    check(second)
    entry, _ = download_calendar(second, tmp_path, "second-confirmed.ics")
    assert str(entry["LOCATION"]) == venue

    assert set(check.checked) >= {
        "/login",
        "/login/code",
        "/",
        "/events",
        "/events/new",
        meeting_path,
        "/notices",
    }
