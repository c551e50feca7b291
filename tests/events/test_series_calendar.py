"""One .ics per series (GET /events/<id>/series.ics): the RFC 5545 rule with DTSTART in the
event's zone and UNTIL in UTC (§3.3.10), RDATE for a meeting whose start the clocks
skipped (which §3.3.10 drops and we keep, moved forward) or that staff moved, EXDATE for
cancelled and moved meetings; the venue only for those who may see it; neutral in discreet
mode, with a UID naming no site or host."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import recurring_ical_events
from icalendar import Calendar

from advocacy.events import scheduling
from advocacy.events.models import Event
from advocacy.events.recurrence import Repeat
from advocacy.extensions import db
from tests.support.calendar_files import (
    MOVED_TO_THE_20TH,
    make_discreet,
    schedule_series,
    signed_in_at,
    unfolded,
)
from tests.support.events import VENUE, make_event

NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)


def starts_found(body: bytes) -> set[datetime]:
    found = recurring_ical_events.of(Calendar.from_ical(body)).between(
        date(2026, 1, 1), date(2028, 1, 1)
    )
    return {entry.decoded("dtstart").astimezone(UTC) for entry in found}


def test_a_skipped_start_is_kept_as_an_rdate_and_the_count_becomes_until(
    app, client, auth, staff, member
):
    # Sundays at 02:30 in New York from 1 March 2026; 8 March's 02:30 never happens, so
    # that meeting is at 3:30 AM EDT, 07:30Z (RFC 5545 §3.3.5).
    _event_id, ids = schedule_series(
        app, staff.id, date(2026, 3, 1), time(2, 30), time(3), Repeat("weekly", count=3), now=NOW
    )
    signed_in_at(app, auth, member, NOW)
    response = client.get(f"/events/{ids[0]}/series.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'attachment; filename="meetings.ics"'
    got = unfolded(response.data)
    assert "DTSTART;TZID=America/New_York:20260301T023000" in got
    assert "DURATION:PT30M" in got
    # The last meeting, 15 March 02:30 EDT, in UTC: no COUNT left to disagree on.
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260315T063000Z;BYDAY=SU" in got
    # A PERIOD (RFC 5545 §3.8.5.2): the meeting keeps its own 30 minutes.
    assert "RDATE;VALUE=PERIOD:20260308T073000Z/20260308T080000Z" in got
    assert not [line for line in got if line.startswith("EXDATE")]
    assert "BEGIN:VTIMEZONE" in got
    assert starts_found(response.data) == {
        datetime(2026, 3, 1, 7, 30, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
        datetime(2026, 3, 15, 6, 30, tzinfo=UTC),
    }


def test_cancelled_meetings_are_excluded_and_moved_ones_added(app, client, auth, staff):
    _event_id, ids = schedule_series(
        app, staff.id, date(2027, 1, 5), time(18), time(19), Repeat("weekly", count=4), now=NOW
    )
    signed_in_at(app, auth, staff, NOW)
    client.post(f"/events/{ids[1]}/cancel")
    assert client.post(f"/events/{ids[2]}/edit", data=MOVED_TO_THE_20TH).status_code == 303
    body = client.get(f"/events/{ids[0]}/series.ics").data
    got = unfolded(body)
    assert (
        "EXDATE;TZID=America/New_York:20270112T180000,20270119T180000" in got
    )  # cancelled, and where the moved one was
    assert "RDATE;VALUE=PERIOD:20270120T220000Z/20270120T230000Z" in got
    assert starts_found(body) == {
        datetime(2027, 1, 5, 23, tzinfo=UTC),
        datetime(2027, 1, 20, 22, tzinfo=UTC),
        datetime(2027, 1, 26, 23, tzinfo=UTC),
    }
    assert f"LOCATION:{VENUE}" in body.decode().replace("\r\n ", "").replace("\\,", ",")


def test_the_venue_is_only_for_those_who_may_see_it(app, client, auth, staff, member):
    made = make_event(app, staff.id, now=NOW, recurrence="weekly", weeks=2)
    signed_in_at(app, auth, member, NOW)
    body = client.get(f"/events/{made.first}/series.ics").get_data(as_text=True)
    assert "Room 4B" not in body
    assert "LOCATION:Brooklyn" in body
    assert "SUMMARY:Tuesday peer circle" in body


def test_the_venue_needs_a_place_at_every_meeting_in_the_file(
    app, client, auth, staff, member, other_member
):
    # Three meetings with one place each; someone else holds the second one's place.
    made = make_event(app, staff.id, now=NOW, recurrence="weekly", weeks=2, capacity=1)
    signed_in_at(app, auth, member, NOW)
    other = app.test_client()
    auth.login(other_member, client=other)
    assert other.post(f"/events/{made.occurrence_ids[1]}/rsvp").status_code == 303
    client.post(f"/events/{made.first}/rsvp-series")  # a place at 1 and 3, waiting for 2
    for occurrence_id in made.occurrence_ids:  # wherever it is downloaded from
        body = client.get(f"/events/{occurrence_id}/series.ics").get_data(as_text=True)
        assert "Room 4B" not in body
    # With a place at every meeting (the one waiting gets the freed place), it is there.
    assert other.post(f"/events/{made.occurrence_ids[1]}/rsvp/cancel").status_code == 303
    body = client.get(f"/events/{made.first}/series.ics").get_data(as_text=True)
    assert "Room 4B" in body.replace("\r\n ", "")


def test_discreet_mode_is_neutral_and_the_uid_names_no_site(app, client, auth, staff, member):
    made = make_event(app, staff.id, now=NOW, recurrence="weekly", weeks=2)
    make_discreet(app, member)
    signed_in_at(app, auth, member, NOW)
    body = client.get(f"/events/{made.first}/series.ics").get_data(as_text=True)
    (entry,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Appointment"
    assert "DESCRIPTION" not in entry
    assert "LOCATION" not in entry
    assert "PRODID:-//Calendar//EN" in body
    assert str(entry["UID"]).endswith("@calendar.invalid")
    site = app.config["SITE_NAME"]
    for word in (site, "localhost", "peer circle", "Brooklyn", "Tuesday"):
        assert word.lower() not in body.lower()
    single = client.get(f"/events/{made.first}.ics").get_data(as_text=True)
    (one,) = Calendar.from_ical(single).walk("VEVENT")
    assert str(one["UID"]) != str(entry["UID"])


def test_a_single_meeting_s_file_is_that_meeting(app, client, auth, staff, member):
    made = make_event(app, staff.id, now=NOW)
    signed_in_at(app, auth, member, NOW)
    body = client.get(f"/events/{made.first}/series.ics").data
    (entry,) = Calendar.from_ical(body).walk("VEVENT")
    assert "RRULE" not in entry
    assert starts_found(body) == {datetime(2026, 2, 3, 23, tzinfo=UTC)}  # 18:00 EST


def test_nobody_gets_the_venue_once_every_meeting_is_cancelled(app, client, auth, staff):
    made = make_event(app, staff.id, now=NOW, recurrence="weekly", weeks=1)
    signed_in_at(app, auth, staff, NOW)
    assert "Room 4B" in client.get(f"/events/{made.first}/series.ics").get_data(as_text=True)
    client.post(f"/events/{made.first}/cancel-series", data={"confirm": "yes"})
    body = client.get(f"/events/{made.first}/series.ics").get_data(as_text=True)
    assert "Room 4B" not in body


def test_a_meeting_whose_end_moved_gets_its_own_entry(app, client, auth, staff):
    _event_id, ids = schedule_series(
        app, staff.id, date(2027, 1, 5), time(18), time(19), Repeat("weekly", count=3), now=NOW
    )
    signed_in_at(app, auth, staff, NOW)
    longer = {
        "part": "meeting",
        "meeting-day": "2027-01-12",
        "meeting-starts": "18:00",
        "meeting-ends": "20:30",
        "meeting-capacity": "4",
    }
    assert client.post(f"/events/{ids[1]}/edit", data=longer).status_code == 303
    body = client.get(f"/events/{ids[0]}/series.ics").data
    got = unfolded(body)
    # RFC 5545 §3.8.4.4: the rule's 12 January instance, overridden with its own end.
    assert "RECURRENCE-ID;TZID=America/New_York:20270112T180000" in got
    assert "DTEND:20270113T013000Z" in got
    assert not [line for line in got if line.startswith(("EXDATE", "RDATE;VALUE=PERIOD"))]
    found = recurring_ical_events.of(Calendar.from_ical(body)).between(
        date(2027, 1, 1), date(2028, 1, 1)
    )
    assert sorted(
        (entry.decoded("dtstart").astimezone(UTC), entry.decoded("dtend").astimezone(UTC))
        for entry in found
    ) == [
        (datetime(2027, 1, 5, 23, tzinfo=UTC), datetime(2027, 1, 6, 0, tzinfo=UTC)),
        (datetime(2027, 1, 12, 23, tzinfo=UTC), datetime(2027, 1, 13, 1, 30, tzinfo=UTC)),
        (datetime(2027, 1, 19, 23, tzinfo=UTC), datetime(2027, 1, 20, 0, tzinfo=UTC)),
    ]


def test_new_hours_for_the_rest_of_a_series_reach_its_calendar(app, client, auth, staff):
    _event_id, ids = schedule_series(
        app, staff.id, date(2027, 1, 5), time(18), time(19), Repeat("weekly", count=3), now=NOW
    )
    with app.app_context():
        event = db.session.get(Event, _event_id)
        later = datetime(2027, 1, 7, tzinfo=UTC)
        scheduling.change_series(event, starts=time(18), ends=time(19, 45), capacity=4, now=later)
        db.session.commit()
    signed_in_at(app, auth, staff, NOW)
    body = client.get(f"/events/{ids[0]}/series.ics").data
    found = recurring_ical_events.of(Calendar.from_ical(body)).between(
        date(2027, 1, 1), date(2028, 1, 1)
    )
    assert sorted(entry.decoded("dtend").astimezone(UTC) for entry in found) == [
        datetime(2027, 1, 6, 0, tzinfo=UTC),
        datetime(2027, 1, 13, 0, 45, tzinfo=UTC),
        datetime(2027, 1, 20, 0, 45, tzinfo=UTC),
    ]
