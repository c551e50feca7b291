"""A series stored before rules (migration 0017) in its calendar file: the meetings stored
are exactly the meetings the file gives, though its rule may make more.

Before rules a series stopped at 104 meetings whatever its end date, and 0017 wrote that
end date as the rule's UNTIL without touching the meetings, so such a rule makes more
meetings than were stored. The file's UNTIL is then the rule's instance that the last
meeting pairs with (meetings pair with the rule's instances in the order they were made),
so no meeting that was never stored appears. A series whose first meeting staff had moved
to a later weekday got a rule on that weekday, which can make fewer meetings than were
stored: each meeting past the rule's last instance is then added as it is (an RDATE
PERIOD), unless it is cancelled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from advocacy.events.recurrence import Repeat
from tests.support.calendar_files import (
    change_meeting,
    schedule_series,
    signed_in_at,
    store_rule,
    unfolded,
)

NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)


def starts_found(body: bytes, before: date) -> list[datetime]:
    """The meetings' starts an expander that is not ours finds in the file, in UTC."""
    found = recurring_ical_events.of(Calendar.from_ical(body)).between(date(2027, 1, 1), before)
    return sorted(entry.decoded("dtstart").astimezone(UTC) for entry in found)


def test_a_series_cut_at_104_meetings_gives_those_and_no_more(app, client, auth, staff, member):
    # 104 Tuesdays at 18:00 in New York from 5 January 2027, the last on 26 December 2028;
    # the end date kept from before rules, 31 December 2029, would make 156.
    event_id, ids = schedule_series(
        app, staff.id, date(2027, 1, 5), time(18), time(19), Repeat("weekly", count=104), now=NOW
    )
    assert len(ids) == 104
    store_rule(app, event_id, "DTSTART:20270105T180000\nRRULE:FREQ=WEEKLY;UNTIL=20291231T235959")
    signed_in_at(app, auth, member, NOW)
    response = client.get(f"/events/{ids[0]}/series.ics")
    assert response.status_code == 200
    got = unfolded(response.data)
    # The 104th meeting, 26 December 2028 at 18:00 EST, in UTC.
    assert "RRULE:FREQ=WEEKLY;UNTIL=20281226T230000Z" in got
    tuesdays = [date(2027, 1, 5) + timedelta(weeks=week) for week in range(104)]
    new_york = ZoneInfo("America/New_York")
    assert starts_found(response.data, date(2031, 1, 1)) == [
        datetime.combine(day, time(18), new_york).astimezone(UTC) for day in tuesdays
    ]


def test_meetings_past_a_rule_that_makes_fewer_are_added(app, client, auth, staff):
    # Tuesdays 5, 12 and 19 January 2027 at 18:00 in New York (23:00 UTC), the first moved
    # to Wednesday 6 January; 0017 read the rule from that first meeting: Wednesdays until
    # the 19th, so 6 and 13 January only.
    event_id, ids = schedule_series(
        app, staff.id, date(2027, 1, 5), time(18), time(19), Repeat("weekly", count=3), now=NOW
    )
    signed_in_at(app, auth, staff, NOW)
    assert change_meeting(client, ids[0], "2027-01-06", "18:00", "19:00").status_code == 303
    store_rule(app, event_id, "DTSTART:20270106T180000\nRRULE:FREQ=WEEKLY;UNTIL=20270119T235959")
    response = client.get(f"/events/{ids[0]}/series.ics")
    assert response.status_code == 200
    got = unfolded(response.data)
    event = got[got.index("BEGIN:VEVENT") :]
    assert [line for line in event if line.startswith(("RRULE", "RDATE", "EXDATE"))] == [
        "RRULE:FREQ=WEEKLY;UNTIL=20270113T230000Z",
        # The second meeting where it is (the rule has it on the 13th), then the third.
        "RDATE;VALUE=PERIOD:20270112T230000Z/20270113T000000Z,20270119T230000Z/20270120T000000Z",
        "EXDATE;TZID=America/New_York:20270113T180000",
    ]
    assert starts_found(response.data, date(2028, 1, 1)) == [
        datetime(2027, 1, 6, 23, tzinfo=UTC),
        datetime(2027, 1, 12, 23, tzinfo=UTC),
        datetime(2027, 1, 19, 23, tzinfo=UTC),
    ]
    # Once the third is cancelled it is left out.
    assert client.post(f"/events/{ids[2]}/cancel").status_code == 303
    body = client.get(f"/events/{ids[0]}/series.ics").data
    assert starts_found(body, date(2028, 1, 1)) == [
        datetime(2027, 1, 6, 23, tzinfo=UTC),
        datetime(2027, 1, 12, 23, tzinfo=UTC),
    ]
