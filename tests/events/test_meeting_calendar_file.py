"""One meeting's calendar file (GET /events/<id>.ics), line by line (RFC 5545).

- VERSION:2.0 and a PRODID naming the site (§3.7.4, §3.7.3); in discreet mode the PRODID
  names only "Calendar", the title says only "Appointment", with no description and no place;
- DTSTAMP is the moment the file was made, DTSTART and DTEND the meeting's instants, all in
  UTC (§3.3.5 form 2, §3.8.7.2);
- the title, the description and the public area, or the venue for those who may see it;
- a UID per meeting (§3.8.4.7): the same on every download, so a calendar matches later
  updates, and naming no site: 32 hex digits of an HMAC under the site's secret key, on
  the reserved calendar.invalid domain. A series' file (events/series_calendar.py) has a
  UID made the same way from another message, so it never shares one with a meeting.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from advocacy.events.calendar import uid
from advocacy.events.series_calendar import series_uid
from tests.support.calendar_files import make_discreet, signed_in_at, unfolded
from tests.support.events import make_event

NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)
UID_LINE = re.compile(r"UID:[0-9a-f]{32}@calendar\.invalid")


@pytest.fixture
def app_overrides() -> dict:
    return {"SITE_NAME": "Harbour Peers"}


def split_uid(got: list[str]) -> tuple[str, list[str]]:
    """The file's one UID line, and its other lines."""
    (uid_line,) = [line for line in got if line.startswith("UID")]
    assert UID_LINE.fullmatch(uid_line), uid_line
    return uid_line, [line for line in got if line != uid_line]


def test_a_meeting_s_file_says_exactly_when_and_what_it_is(app, client, auth, staff, member):
    # Tuesday 3 February 2026, 18:00 to 19:30 in New York (EST, UTC-5).
    made = make_event(app, staff.id, now=NOW, recurrence="weekly", weeks=1)
    signed_in_at(app, auth, member, NOW)
    response = client.get(f"/events/{made.first}.ics")
    assert response.status_code == 200
    uid_line, rest = split_uid(unfolded(response.data))
    assert rest == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Harbour Peers//EN",
        "BEGIN:VEVENT",
        "SUMMARY:Tuesday peer circle",
        "DTSTART:20260203T230000Z",
        "DTEND:20260204T003000Z",
        "DTSTAMP:20260201T120000Z",
        "DESCRIPTION:A calm space to talk.",
        "LOCATION:Brooklyn",  # no place, so the public area only
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    # The same UID on the next download; the next week's meeting has its own.
    again = split_uid(unfolded(client.get(f"/events/{made.first}.ics").data))[0]
    assert again == uid_line
    second = split_uid(unfolded(client.get(f"/events/{made.occurrence_ids[1]}.ics").data))
    assert second[0] != uid_line
    assert "DTSTART:20260210T230000Z" in second[1]


def test_a_discreet_file_names_neither_the_site_nor_the_meeting(app, client, auth, staff, member):
    made = make_event(app, staff.id, now=NOW)
    make_discreet(app, member)
    signed_in_at(app, auth, member, NOW)
    _uid_line, rest = split_uid(unfolded(client.get(f"/events/{made.first}.ics").data))
    assert rest == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Calendar//EN",
        "BEGIN:VEVENT",
        "SUMMARY:Appointment",
        "DTSTART:20260203T230000Z",
        "DTEND:20260204T003000Z",
        "DTSTAMP:20260201T120000Z",
        "END:VEVENT",
        "END:VCALENDAR",
    ]


def test_uids_stay_what_earlier_files_said():
    # A calendar that imported a file keeps its UIDs: a later release must give the same
    # ones, or updates and cancellations become new entries beside the old. These are the
    # UIDs for meetings and series 7 and 8 under this key (HMAC-SHA256 of
    # "calendar-uid:<id>" or "calendar-series-uid:<id>", its first 32 hex digits).
    key = "harbour-peers-secret-key-0123456789abcdef"
    assert uid(7, key) == "a2df48d5e8af850d99bcee18a4506ce2@calendar.invalid"
    assert uid(8, key) == "d540648da5b2adc28b3ba292d14b8eae@calendar.invalid"
    assert series_uid(7, key) == "f79f3abed4ca93e3798ab2f9738cf0e9@calendar.invalid"
    assert series_uid(8, key) == "1e16649bf6aa43377d65849ecc36f2a5@calendar.invalid"
    # Another site's key gives other UIDs, so two sites' files never share one.
    assert uid(7, key + "!") != uid(7, key)
    assert series_uid(7, key + "!") != series_uid(7, key)
