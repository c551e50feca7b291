"""A series' calendar file (GET /events/<id>/series.ics), line by line (RFC 5545).

- VERSION:2.0 and a PRODID naming the site (§3.7.4, §3.7.3); each VEVENT has DTSTAMP, the
  moment the file was made, in UTC, and the event's title and description;
- the VTIMEZONE (§3.6.5) gives the event's zone from 1 January of the year before the first
  meeting to 1 January two years after the last, so it covers every meeting, the rule's
  instances and what the clocks do around them in any zone, and no more; its COMMENT says
  so, and read on its own (not from a zone database) it puts each meeting at its instant;
- RRULE's UNTIL is in UTC (§3.3.10, DTSTART naming a zone) whatever zone the server's
  clock is set to;
- EXDATE names the rule's instance in the event's zone (TZID), for a cancelled meeting and
  for one staff moved (RDATE then gives where it went);
- a one-off meeting's file is that meeting, marked STATUS:CANCELLED (§3.8.1.11) once it is.
"""

from __future__ import annotations

import os
import time as clock_time
from datetime import UTC, date, datetime, time

import pytest
from icalendar import Calendar

from advocacy.events.recurrence import Repeat
from tests.support.calendar_files import MOVED_TO_THE_20TH, schedule_series, signed_in_at, unfolded

NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)


@pytest.fixture
def app_overrides() -> dict:
    return {"SITE_NAME": "Harbour Peers"}


@pytest.fixture
def server_in_tokyo():
    """The server's own clock set to Tokyo (UTC+9) for the test, as TZ sets it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    clock_time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    clock_time.tzset()


def three_tuesdays(app, staff, repeat=None) -> list[int]:
    """Tuesdays 5, 12 and 19 January 2027, 18:00 to 19:00 in New York (EST, UTC-5)."""
    repeat = repeat or Repeat("weekly", count=3)
    return schedule_series(app, staff.id, date(2027, 1, 5), time(18), time(19), repeat, now=NOW)[1]


def event_lines(client, occurrence_id: int) -> list[str]:
    """The series file's lines from its first VEVENT on (after the VTIMEZONE)."""
    got = unfolded(client.get(f"/events/{occurrence_id}/series.ics").data)
    return got[got.index("BEGIN:VEVENT") :]


def test_a_series_file_names_the_site_the_moment_and_the_event(app, client, auth, staff, member):
    ids = three_tuesdays(app, staff)
    signed_in_at(app, auth, member, NOW)
    got = unfolded(client.get(f"/events/{ids[0]}/series.ics").data)
    assert got[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Harbour Peers//EN"]
    event = got[got.index("BEGIN:VEVENT") :]
    assert [line for line in event if not line.startswith("UID:")] == [
        "BEGIN:VEVENT",
        "SUMMARY:Sunday circle",
        "DTSTART;TZID=America/New_York:20270105T180000",
        "DURATION:PT1H",
        "DTSTAMP:20260201T120000Z",
        "RRULE:FREQ=WEEKLY;UNTIL=20270119T230000Z;BYDAY=TU",
        "DESCRIPTION:A calm space to talk.",
        "LOCATION:Brooklyn",
        "END:VEVENT",
        "END:VCALENDAR",
    ]


def test_the_time_zone_covers_the_series_and_its_margins(app, client, auth, staff, member):
    # First meeting 5 January 2027, last 19 January 2027: from 2026-01-01 to 2029-01-01.
    ids = three_tuesdays(app, staff)
    signed_in_at(app, auth, member, NOW)
    body = client.get(f"/events/{ids[0]}/series.ics").data
    got = unfolded(body)
    zone = got[got.index("BEGIN:VTIMEZONE") : got.index("END:VTIMEZONE") + 1]
    assert zone[1:3] == [
        "TZID:America/New_York",
        "COMMENT:This timezone only works from 2026-01-01 to 2029-01-01.",
    ]
    # The first observance starts where the window does; each clock change in it is there.
    assert zone[3:5] == ["BEGIN:STANDARD", "DTSTART:20260101T000000"]
    assert "RDATE:20270314T030000,20280312T030000" in zone  # EDT begins
    assert "RDATE:20271107T020000,20281105T020000" in zone  # EST begins
    (vtimezone,) = Calendar.from_ical(body).walk("VTIMEZONE")
    own = vtimezone.to_tz(lookup_tzid=False)
    for day in (5, 12, 19):  # 18:00 EST is 23:00 UTC
        local = datetime(2027, 1, day, 18, tzinfo=own)
        assert local.astimezone(UTC) == datetime(2027, 1, day, 23, tzinfo=UTC)


def test_until_is_in_utc_whatever_the_server_s_zone(
    app, client, auth, staff, member, server_in_tokyo
):
    # Ending on a date: the last meeting, 19 January 18:00 EST, is 23:00 UTC; in Tokyo's
    # time it would be 08:00 on the 20th.
    ids = three_tuesdays(app, staff, Repeat("weekly", until=date(2027, 1, 19)))
    signed_in_at(app, auth, member, NOW)
    got = unfolded(client.get(f"/events/{ids[0]}/series.ics").data)
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270119T230000Z;BYDAY=TU" in got
    assert not [line for line in got if "20270120T080000" in line]


def test_a_cancelled_meeting_is_excluded_in_the_event_s_zone(app, client, auth, staff):
    ids = three_tuesdays(app, staff)
    signed_in_at(app, auth, staff, NOW)
    assert client.post(f"/events/{ids[1]}/cancel").status_code == 303
    got = event_lines(client, ids[0])
    assert [line for line in got if line.startswith(("EXDATE", "RDATE"))] == [
        "EXDATE;TZID=America/New_York:20270112T180000"
    ]


def test_a_moved_meeting_is_excluded_in_the_event_s_zone_and_added(app, client, auth, staff):
    ids = three_tuesdays(app, staff)
    signed_in_at(app, auth, staff, NOW)
    assert client.post(f"/events/{ids[2]}/edit", data=MOVED_TO_THE_20TH).status_code == 303
    got = event_lines(client, ids[0])
    assert [line for line in got if line.startswith(("EXDATE", "RDATE"))] == [
        "RDATE;VALUE=PERIOD:20270120T220000Z/20270120T230000Z",
        "EXDATE;TZID=America/New_York:20270119T180000",
    ]


def test_a_one_off_meeting_s_file_says_once_it_is_cancelled(app, client, auth, staff, member):
    _event_id, (meeting,) = schedule_series(
        app, staff.id, date(2027, 1, 5), time(18), time(19), None, now=NOW
    )
    signed_in_at(app, auth, staff, NOW)
    before = unfolded(client.get(f"/events/{meeting}/series.ics").data)
    assert not [line for line in before if line.startswith("STATUS")]
    assert client.post(f"/events/{meeting}/cancel").status_code == 303
    got = unfolded(client.get(f"/events/{meeting}/series.ics").data)
    assert [line for line in got if line.startswith(("STATUS", "DTSTART", "RRULE"))] == [
        "DTSTART:20270105T230000Z",
        "STATUS:CANCELLED",
    ]
