"""Series on a phone (390x844) in Chromium with JavaScript off (issue 14).

Staff schedule "the first Monday of the month" (4 meetings) and "every other Tuesday"
(until a date, one place each) through the form; the list shows each meeting under its
day. A member has a place at one Tuesday meeting that staff then cancel with a reason;
another member takes the one place of another. The member RSVPs to every meeting of the
Tuesday group from the full one's page and is told where they have a place and where
they wait; the group's calendar file carries the rule, the cancelled meeting as an
EXDATE and no venue (downloaded where they only wait). The cancelled meeting says only
that; the full one says they wait; the notice gives the reason. Every page passes
axe-core and fits the screen (and the meeting page a 320x640 one too).

The dates are worked out by hand from the rules and a printed calendar: 30 November
2026 is a Monday, 1 December 2026 a Tuesday, 1 January 2027 a Friday.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar
from playwright.sync_api import Page

from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import flashes, follow, main_text, path_of, press, sign_in
from tests.support.accounts import Clock, make_account
from tests.support.browser import PHONE, SMALL_PHONE
from tests.support.events import signed_in

pytestmark = pytest.mark.browser

NEW_YORK = ZoneInfo("America/New_York")  # the tests' DEFAULT_TIMEZONE, the form's default
# Monday 30 November 2026, noon in New York.
NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
MONDAYS = "Monthly circle"
TUESDAYS = "Fortnightly circle"
REASON = "The community room is closed for the holidays."
SERIES_LINK = "Add every meeting to my calendar (.ics file)"

# Every meeting under its day heading ("EEEE, d MMMM y"), in order: the first Mondays
# from 1 December 2026, 4 times, and every other Tuesday from 1 December to 26 January.
LISTED = [
    ("Tuesday, 1 December 2026", TUESDAYS),
    ("Monday, 7 December 2026", MONDAYS),
    ("Tuesday, 15 December 2026", TUESDAYS),
    ("Tuesday, 29 December 2026", TUESDAYS),
    ("Monday, 4 January 2027", MONDAYS),
    ("Tuesday, 12 January 2027", TUESDAYS),
    ("Tuesday, 26 January 2027", TUESDAYS),
    ("Monday, 1 February 2027", MONDAYS),
    ("Monday, 1 March 2027", MONDAYS),
]
CANCELLED_DAY = "Tuesday, 29 December 2026"
FULL_DAY = "Tuesday, 15 December 2026"
FIRST_DAY = "Tuesday, 1 December 2026"


def schedule(page: Page, title: str, venue: str, repeat: dict[str, str], places: str) -> None:
    """Fill in "Schedule an event" for a series from 1 December 2026, 18:00–19:30 in New
    York; `repeat` maps the repeat fields' labels to what is chosen or typed."""
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description (optional)", exact=True).fill("A calm hour to talk and listen.")
    page.get_by_role("radio", name="In person", exact=True).check()
    page.get_by_label("Public area", exact=True).fill("Brooklyn")
    page.get_by_label("Private venue details or meeting link (optional)", exact=True).fill(venue)
    assert page.get_by_label("Time zone", exact=True).input_value() == "America/New_York"
    page.get_by_label("Date", exact=True).fill("2026-12-01")
    page.get_by_label("Starts", exact=True).fill("18:00")
    page.get_by_label("Ends", exact=True).fill("19:30")
    page.get_by_label("Places", exact=True).fill(places)
    for label, value in repeat.items():
        field = page.get_by_label(label, exact=True)
        if label in {"Monday", "Tuesday"}:
            field.check()
        elif label in {"Repeats until", "Or: number of meetings"}:
            field.fill(value)
        else:
            field.select_option(label=value)


def listed(page: Page) -> list[tuple[str, str, str]]:
    """The list as read: (day heading, title, link) for each meeting, in page order."""
    rows = []
    for heading in page.locator("main h2.day").all():
        day = heading.inner_text()
        for link in heading.locator("xpath=following-sibling::ul[1]").locator("h3 a").all():
            rows.append((day, link.inner_text(), link.get_attribute("href")))
    return rows


def download_series(page: Page, tmp_path: Path) -> tuple[Calendar, str]:
    """Download the group's calendar file from a meeting's page; return it and its text
    (folded lines joined)."""
    with page.expect_download() as info:
        page.get_by_role("link", name=SERIES_LINK, exact=True).click()
    download = info.value
    assert download.suggested_filename == "meetings.ics"
    target = tmp_path / "meetings.ics"
    download.save_as(target)
    text = target.read_text()
    return Calendar.from_ical(text), text.replace("\r\n ", "")


def exdates(entry) -> list[datetime]:
    """Every EXDATE of a VEVENT, however many lines carry them."""
    found = entry.get("EXDATE", [])
    lines = found if isinstance(found, list) else [found]
    return [value.dt for line in lines for value in line.dts]


def test_staff_schedule_two_series_and_a_member_joins_a_whole_group(app, new_page, tmp_path):
    clock = Clock(NOW)
    app.config["CLOCK"] = clock
    staff = make_account(app, "maple-staff", role="staff")
    member = make_account(app, "river-member")
    other = make_account(app, "cedar-member")
    venue = f"VENUE-CANARY-{secrets.token_hex(6)}, 3rd floor, ring twice"
    check = NoScriptPageChecks(new_page)

    # 1. Staff schedule both series through the form; each says how many meetings.
    desk = new_page(javascript=False, viewport=PHONE)
    sign_in(desk, staff, check, clock)
    desk.goto("/events")
    follow(desk, "Schedule an event")
    assert path_of(desk) == "/events/new"
    check(desk)
    monthly = {
        "Repeats": "Every month on a weekday, like the first Friday",
        "Monday": "",
        "Which one in the month (monthly on a weekday)": "The first",
        "Or: number of meetings": "4",
    }
    schedule(desk, MONDAYS, f"Monday {venue}", monthly, places="")
    check(desk)
    press(desk, "Schedule")
    assert f"Scheduled “{MONDAYS}”: 4 meetings." in flashes(desk), main_text(desk)
    check(desk)
    desk.goto("/events/new")
    fortnightly = {
        "Repeats": "Every week, or every few weeks",
        "How often (weekly)": "Every 2 weeks",
        "Tuesday": "",
        "Repeats until": "2027-01-26",
    }
    schedule(desk, TUESDAYS, venue, fortnightly, places="1")
    press(desk, "Schedule")
    assert f"Scheduled “{TUESDAYS}”: 5 meetings." in flashes(desk), main_text(desk)
    check(desk)

    desk.goto("/events")
    rows = listed(desk)
    assert [(day, title) for day, title, _ in rows] == LISTED
    assert venue not in desk.content()
    check(desk)
    where = {(day, title): link for day, title, link in rows}
    cancelled = where[(CANCELLED_DAY, TUESDAYS)]
    full = where[(FULL_DAY, TUESDAYS)]
    first = where[(FIRST_DAY, TUESDAYS)]

    # 2. The member has a place at the 29 December meeting before it is cancelled.
    page = new_page(javascript=False, viewport=PHONE)
    sign_in(page, member, check, clock)
    page.goto(cancelled)
    press(page, "RSVP")
    assert "You're going." in main_text(page)

    # 3. Staff cancel that one meeting, with a reason.
    desk.goto(cancelled)
    follow(desk, "Cancel this meeting…")
    assert "1 person with an RSVP will be told." in main_text(desk)
    check(desk)
    desk.locator("#reason").fill(REASON)
    press(desk, "Yes, cancel this meeting")
    assert "The meeting is cancelled." in flashes(desk)
    assert "This meeting is cancelled." in main_text(desk)
    check(desk)

    # 4. Another member takes the one place of 15 December.
    assert signed_in(app, clock, other).post(f"{full}/rsvp").status_code == 303

    # 5. The member opens the full meeting: its button says what it does.
    page.goto(full)
    assert "Full: you can join the waiting list." in main_text(page)
    assert page.get_by_role("button", name="RSVP", exact=True).count() == 0
    assert page.get_by_role("button", name="Join the waiting list", exact=True).count() == 1
    assert "4 meetings still to come take RSVPs." in main_text(page)
    check(page)

    # 6. RSVP to every meeting: a place at three, the waiting list of the full one.
    press(page, "RSVP to every meeting")
    assert path_of(page) == full
    said = flashes(page)
    assert f"You have a place at each of 3 meetings of “{TUESDAYS}”." in said
    assert "1 meeting is full, so you're on its waiting list: 15 December 2026." in said
    assert "You're on the waiting list (number 1)." in main_text(page)
    assert "You have RSVPs to 4 of them." in main_text(page)
    assert page.get_by_role("button", name="RSVP to every meeting").count() == 0
    assert venue not in page.content()  # they only wait here
    check(page)
    page.set_viewport_size(SMALL_PHONE)
    check(page)
    page.set_viewport_size(PHONE)

    # 7. The group's calendar file, from the meeting they wait for: no venue.
    response = page.request.get(f"{full}/series.ics")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"] == 'attachment; filename="meetings.ics"'
    calendar, text = download_series(page, tmp_path)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == TUESDAYS
    assert str(entry["LOCATION"]) == "Brooklyn"  # the public area only
    assert "VENUE-CANARY" not in text
    rule = entry["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["INTERVAL"] == [2]
    assert [str(day) for day in rule["BYDAY"]] == ["TU"]
    assert rule["UNTIL"] == [datetime(2027, 1, 26, 23, 0, tzinfo=UTC)]  # 18:00 EST
    assert entry.decoded("DTSTART") == datetime(2026, 12, 1, 18, 0, tzinfo=NEW_YORK)
    assert exdates(entry) == [datetime(2026, 12, 29, 18, 0, tzinfo=NEW_YORK)]
    meetings = recurring_ical_events.of(calendar).between(date(2026, 11, 30), date(2027, 3, 1))
    starts = sorted(meeting.decoded("DTSTART").astimezone(NEW_YORK) for meeting in meetings)
    assert [start.replace(tzinfo=None) for start in starts] == [
        datetime(2026, 12, 1, 18, 0),
        datetime(2026, 12, 15, 18, 0),
        datetime(2027, 1, 12, 18, 0),
        datetime(2027, 1, 26, 18, 0),
    ]

    # 8. Where they have a place, they see where to go.
    page.goto(first)
    assert "You're going." in main_text(page)
    assert venue in page.get_by_role("region", name="Where to go").inner_text()
    check(page)

    # 9. The cancelled meeting says only that it is cancelled.
    page.goto(cancelled)
    text = main_text(page)
    assert "This meeting is cancelled." in text
    assert "You're going" not in text
    assert venue not in page.content()
    assert "VENUE-CANARY" not in page.content()
    assert page.get_by_role("heading", name="Where to go").count() == 0
    assert page.locator("main button").count() == 0
    assert page.get_by_role("link", name=SERIES_LINK).count() == 0
    assert page.get_by_role("link", name="Add to my calendar (.ics file)").count() == 0
    check(page)

    # 10. The list: the cancelled meeting is gone; theirs say where they stand.
    page.goto("/events")
    rows = listed(page)
    assert [(day, title) for day, title, _ in rows] == [
        row for row in LISTED if row[0] != CANCELLED_DAY
    ]
    cards = {
        link: card.inner_text()
        for card in page.locator(".event-list > li").all()
        for link in [card.locator("h3 a").get_attribute("href")]
    }
    assert "You're on the waiting list" in cards[full]
    assert "Full: waiting list open" in cards[full]
    assert "You're going" in cards[first]
    check(page)

    # 11. Their notice says the meeting is cancelled, and why.
    page.goto("/notices")
    assert (
        f"“{TUESDAYS}” on Tuesday 29 Dec 6:00\u202fPM (America/New_York) has been cancelled. "
        f"The reason given: {REASON}"
    ) in main_text(page)
    assert "VENUE-CANARY" not in page.content()
    check(page)

    assert set(check.checked) >= {"/login", "/login/code", "/", "/events", "/events/new",
                                  full, first, cancelled, "/notices"}  # fmt: skip
