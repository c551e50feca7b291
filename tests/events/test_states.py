"""Honest meeting states (issue 14, point 4).

Rules: a cancelled meeting's page says only that it is cancelled (its title, the time it
was, "This meeting is cancelled."): no RSVP or cancel-RSVP control, no "You're going", no
venue for anyone (a confirmed attendee, a program member, staff), no "Add to my calendar".
Its calendar file still downloads, marked STATUS:CANCELLED (RFC 5545 §3.8.1.11), with no
LOCATION holding the venue. The staff who run it still see who had a place. A full
meeting's button says "Join the waiting list", never "RSVP"; one with places says "RSVP".
Counts of meetings are plural-aware: "1 meeting cancelled", never "1 meetings".
"""

from __future__ import annotations

import html
import re

import pytest
from icalendar import Calendar
from sqlalchemy import update

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.support.events import VENUE, make_event, signed_in
from tests.support.programs import MEETING_VENUE, make_program

# make_event's default meeting, seen from the tests' clock (2026-11-27 12:00 UTC): two days
# on, 18:00-19:30 in New York (EST). Babel puts a narrow no-break space before "PM".
MEETING_DAY = "Sunday, 29 November 2026"
MEETING_HOURS = "6:00\u202fPM–7:30\u202fPM"
BUTTON = re.compile(r"<button[^>]*>([^<]*)</button>")


def page_of(client, occurrence_id: int) -> str:
    response = client.get(f"/events/{occurrence_id}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def main_of(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def buttons(page: str) -> list[str]:
    return [label.strip() for label in BUTTON.findall(main_of(page))]


def calendar_entry(client, occurrence_id: int):
    response = client.get(f"/events/{occurrence_id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    (entry,) = Calendar.from_ical(response.data).walk("VEVENT")
    return entry, response.data.replace(b"\r\n ", b"").decode()


@pytest.fixture
def cancelled(app, clock, staff, member, other_member):
    """A meeting with one place, taken by `member`, `other_member` waiting; then cancelled."""
    event = make_event(app, staff.id, now=clock(), capacity=1)
    signed_in(app, clock, member).post(f"/events/{event.first}/rsvp")
    signed_in(app, clock, other_member).post(f"/events/{event.first}/rsvp")
    staff_client = signed_in(app, clock, staff)
    response = staff_client.post(f"/events/{event.first}/cancel")
    assert response.status_code == 303
    return event.first


def assert_only_cancelled(page: str, venue: str) -> None:
    main = main_of(page)
    assert "Tuesday peer circle" in main
    assert MEETING_DAY in main
    assert MEETING_HOURS in main
    assert "This meeting is cancelled." in main
    for absent in (
        venue,
        "Where to go",
        "You're going",
        "waiting list (number",
        "Add to my calendar",
        "/rsvp",
        "Cancel my RSVP",
        "Join the waiting list",
        "place left",
        "places left",
        "A calm space to talk.",  # the description: nothing but that it is cancelled
    ):
        assert absent not in main, absent


# Who had a place, who was waiting, who never asked.
@pytest.mark.parametrize("who", ["member", "other_member", "mentor"])
def test_a_cancelled_meeting_says_only_that_it_is_cancelled(app, clock, cancelled, who, request):
    client = signed_in(app, clock, request.getfixturevalue(who))
    page = page_of(client, cancelled)
    assert_only_cancelled(page, VENUE)
    assert buttons(page) == []  # nothing to press: no RSVP, no cancelling one


def test_a_cancelled_calendar_file_is_marked_cancelled_without_the_venue(
    app, clock, cancelled, member
):
    client = signed_in(app, clock, member)  # had a confirmed place
    entry, text = calendar_entry(client, cancelled)
    assert str(entry["STATUS"]) == "CANCELLED"
    assert str(entry["SUMMARY"]) == "Tuesday peer circle"
    assert str(entry["LOCATION"]) == "Brooklyn"  # the public area, never the venue
    assert VENUE not in text
    assert "Room 4B" not in text


def test_staff_see_who_had_a_place_but_no_venue_or_rsvp(
    app, clock, cancelled, staff, member, other_member
):
    client = signed_in(app, clock, staff)
    page = page_of(client, cancelled)
    assert_only_cancelled(page, VENUE)
    assert "Confirmed: 1 · Waiting: 1" in page
    assert "Cancel this meeting" not in page
    entry, text = calendar_entry(client, cancelled)
    assert str(entry["STATUS"]) == "CANCELLED"
    assert VENUE not in text
    people = html.unescape(client.get(f"/events/{cancelled}/attendees").get_data(as_text=True))
    assert member.pseudonym in people
    assert other_member.pseudonym in people


def test_a_cancelled_program_meeting_hides_its_venue_from_members(app, clock, staff, member):
    program = make_program(app, staff.id, now=clock(), title="Program")
    meeting = program.meeting_ids[0]
    client = signed_in(app, clock, member)
    client.post(f"/programs/{program.id}/enroll")
    assert MEETING_VENUE in page_of(client, meeting)  # a member sees it while it is on
    assert signed_in(app, clock, staff).post(f"/events/{meeting}/cancel").status_code == 303
    page = page_of(client, meeting)
    assert "This meeting is cancelled." in page
    assert MEETING_VENUE not in page
    assert "Add to my calendar" not in page
    entry, text = calendar_entry(client, meeting)
    assert str(entry["STATUS"]) == "CANCELLED"
    assert MEETING_VENUE not in text


def test_a_cancelled_meeting_in_discreet_mode_names_no_place(app, clock, cancelled, member):
    with app.app_context():
        db.session.execute(update(Account).where(Account.id == member.id).values(is_discreet=True))
        db.session.commit()
    entry, text = calendar_entry(signed_in(app, clock, member), cancelled)
    assert str(entry["STATUS"]) == "CANCELLED"
    assert "LOCATION" not in entry
    assert VENUE not in text
    assert "Brooklyn" not in text


# A full meeting, and one with places


def test_a_full_meetings_button_says_join_the_waiting_list(app, clock, staff, member, other_member):
    event = make_event(app, staff.id, now=clock(), capacity=1)
    signed_in(app, clock, member).post(f"/events/{event.first}/rsvp")
    client = signed_in(app, clock, other_member)
    page = page_of(client, event.first)
    assert "Join the waiting list" in buttons(page)
    assert "RSVP" not in buttons(page)
    assert "Full" in main_of(page)
    assert "0 places left" not in page
    response = client.post(f"/events/{event.first}/rsvp")
    assert response.status_code == 303
    assert "You're on the waiting list (number 1)" in page_of(client, event.first)


def test_the_member_who_took_the_last_place_reads_full_not_zero_left(app, clock, staff, member):
    event = make_event(app, staff.id, now=clock(), capacity=1)
    client = signed_in(app, clock, member)
    assert client.post(f"/events/{event.first}/rsvp").status_code == 303
    page = page_of(client, event.first)
    assert "0 places left" not in page
    assert "Full." in main_of(page)
    assert "Full: you can join the waiting list." not in page  # they have their place


@pytest.mark.parametrize(("capacity", "said"), [(2, "2 places left"), (None, None)])
def test_a_meeting_with_places_says_rsvp(app, clock, staff, member, capacity, said):
    event = make_event(app, staff.id, now=clock(), capacity=capacity)
    page = page_of(signed_in(app, clock, member), event.first)
    assert "RSVP" in buttons(page)
    assert "Join the waiting list" not in page
    assert "Full" not in main_of(page)
    if said:
        assert said in page
    else:
        assert "left" not in main_of(page)


# Counts of meetings


@pytest.mark.parametrize(
    ("weeks", "said"),
    [
        (0, "1 meeting cancelled. Everyone with an RSVP has been told."),
        (2, "3 meetings cancelled. Everyone with an RSVP has been told."),
    ],
)
def test_cancelling_a_series_counts_its_meetings_in_good_english(app, clock, staff, weeks, said):
    event = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=weeks)
    client = signed_in(app, clock, staff)
    response = client.post(
        f"/events/{event.first}/cancel-series", data={"confirm": "yes"}, follow_redirects=True
    )
    body = html.unescape(response.get_data(as_text=True))
    assert said in body
    assert "1 meetings" not in body
