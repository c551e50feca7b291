"""Honest meeting states on a phone (390x844) in Chromium with JavaScript off.

A member has a place at a meeting that staff then cancel: its page says only that it is
cancelled (no venue, no RSVP control, no calendar link), its calendar file is marked
cancelled without the venue, and the staff still see who had a place. The events list
groups meetings under their day in the site's time zone (New York) with places left or
"Full"; a full meeting's button says "Join the waiting list". Every page passes axe-core
and fits the screen.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from advocacy.database import utcnow
from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import flashes, follow, main_text, path_of, press, sign_in
from tests.support.accounts import Clock, make_account
from tests.support.browser import PHONE
from tests.support.events import make_event, signed_in

pytestmark = pytest.mark.browser

SITE_ZONE = ZoneInfo("America/New_York")  # the tests' DEFAULT_TIMEZONE


def heading_of(day) -> str:
    """A day as the list heads it, written out here: "Tuesday, 1 December 2026"."""
    return f"{day:%A}, {day.day} {day:%B} {day.year}"


def test_cancelled_and_full_meetings_say_so_on_a_phone(app, new_page):
    now = utcnow()
    staff = make_account(app, "maple-staff", role="staff")
    member = make_account(app, "river-member")
    other = make_account(app, "cedar-member")
    canary = f"VENUE-CANARY-{secrets.token_hex(6)}"
    # Tomorrow and the day after in New York, at midday, so the site's day is the event's.
    tomorrow = (datetime.now(SITE_ZONE) + timedelta(days=1)).date()
    noon = {"starts": time(12, 0), "ends": time(13, 0)}
    cancelled = make_event(app, staff.id, now=now, in_days=1, title="Cancelled circle",
                           venue=canary, capacity=5, **noon)  # fmt: skip
    full = make_event(app, staff.id, now=now, in_days=1, title="Full circle", capacity=1,
                      starts=time(14, 0), ends=time(15, 0))  # fmt: skip
    make_event(app, staff.id, now=now, in_days=2, title="Open circle", capacity=3, **noon)
    assert signed_in(app, Clock(now), other).post(f"/events/{full.first}/rsvp").status_code == 303
    check = NoScriptPageChecks(new_page)

    # 1. The member takes a place and sees where to go.
    page = new_page(javascript=False, viewport=PHONE)
    sign_in(page, member, check)
    page.goto(f"/events/{cancelled.first}")
    press(page, "RSVP")
    assert "You're going." in main_text(page)
    assert canary in main_text(page)

    # 2. Staff cancel it, and still see who had a place.
    desk = new_page(javascript=False, viewport=PHONE)
    sign_in(desk, staff, check)
    desk.goto(f"/events/{cancelled.first}")
    follow(desk, "Cancel this meeting…")
    press(desk, "Yes, cancel this meeting")
    assert "The meeting is cancelled." in flashes(desk)
    assert "This meeting is cancelled." in main_text(desk)
    assert "Confirmed: 1 · Waiting: 0" in main_text(desk)
    assert canary not in desk.content()
    check(desk)
    follow(desk, "Attendees and attendance")
    assert member.pseudonym in main_text(desk)
    check(desk)

    # 3. The member's page of it says only that it is cancelled.
    page.goto(f"/events/{cancelled.first}")
    text = main_text(page)
    assert "Cancelled circle" in text
    assert "This meeting is cancelled." in text
    assert "You're going" not in text
    assert canary not in page.content()
    assert page.get_by_role("heading", name="Where to go").count() == 0
    assert page.locator("main button").count() == 0
    assert page.get_by_role("link", name="Add to my calendar (.ics file)").count() == 0
    check(page)
    response = page.request.get(f"/events/{cancelled.first}.ics")
    assert response.status == 200
    (entry,) = Calendar.from_ical(response.body()).walk("VEVENT")
    assert str(entry["STATUS"]) == "CANCELLED"
    assert canary not in response.text().replace("\r\n ", "")

    # 4. The list: a heading per day, places left or "Full"; the cancelled one is gone.
    page.goto("/events")
    headings = page.locator("main h2.day").all_inner_texts()
    assert headings == [heading_of(tomorrow), heading_of(tomorrow + timedelta(days=1))]
    cards = page.locator(".event-list > li")
    assert cards.count() == 2
    texts = {card.locator("h3").inner_text(): card.inner_text() for card in cards.all()}
    assert set(texts) == {"Full circle", "Open circle"}
    assert "Full" in texts["Full circle"]
    assert "3 places left" in texts["Open circle"]
    check(page)

    # 5. The full meeting's button says what it does.
    follow(page, "Full circle")
    assert page.get_by_role("button", name="RSVP", exact=True).count() == 0
    check(page)
    press(page, "Join the waiting list")
    assert "You're on the waiting list (number 1)." in main_text(page)
    assert path_of(page) == f"/events/{full.first}"
    check(page)
