"""Properties of series over many time zones, rules and days, clock changes included.

For every series scheduled and stored: each meeting ends after it starts and keeps the
length staff chose (unless the clocks change during it, when its end is read as its own
wall-clock time), and the meetings stored are exactly those an expander that is not ours
(recurring-ical-events) finds in the series' .ics. That expander keeps a rule instance
whose start the clocks skip, at the instant RFC 5545 §3.3.5 gives it, where §3.3.10 drops
it; the .ics adds it back as an RDATE for the readers that drop it, so for those days
recurring-ical-events lists the same instant twice. It also reads the length of a meeting
whose start the clocks skip on the wall clock (so it can end before it starts), where
§3.3.6 makes DURATION exact. So: it lists exactly the stored starts, each with the stored
end, and the only starts it lists twice or with another end are those the clocks skip.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from advocacy.events import scheduling
from advocacy.events.recurrence import Repeat
from advocacy.events.series_calendar import series_ics
from advocacy.extensions import db
from tests.support.event_rules import details, person
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)

NOW = datetime(2025, 6, 1, tzinfo=UTC)
# Zones with the clock changes that catch code out: an hour each way (New York, London,
# Santiago in the south), half an hour (Lord Howe), at midnight (Havana), a negative
# "summer" time (Dublin), changes around Ramadan (Casablanca), none (Kolkata, UTC), and
# offsets off the hour (Kathmandu, Chatham, St John's).
ZONES = [
    "America/New_York",
    "Europe/London",
    "America/Santiago",
    "Australia/Lord_Howe",
    "America/Havana",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Asia/Kolkata",
    "UTC",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
    "Asia/Gaza",
    "Europe/Paris",
]
names = itertools.count()


@st.composite
def repeats(draw) -> Repeat:
    kind = draw(st.sampled_from(["weekly", "monthly_date", "monthly_weekday"]))
    return Repeat(
        kind,
        interval=draw(st.integers(1, 4)),
        weekdays=tuple(draw(st.sets(st.integers(0, 6), max_size=3))),
        ordinal=draw(st.sampled_from([1, 2, 3, 4, -1])),
        count=draw(st.integers(1, 12)),
    )


def wall_clock(at: datetime, zone: ZoneInfo) -> datetime:
    return at.astimezone(zone).replace(tzinfo=None)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    zone_name=st.sampled_from(ZONES),
    first_day=st.dates(date(2026, 1, 1), date(2029, 12, 31)),
    start_minutes=st.integers(0, 22 * 60 - 1),
    length=st.integers(15, 120),
    repeat=repeats(),
)
# Weekly at 02:30 in New York from 1 March 2026: 8 March's 02:30 never happens.
@example("America/New_York", date(2026, 3, 1), 150, 30, Repeat("weekly", count=3))
# Lord Howe's clocks go forward half an hour at 02:00 on 4 October 2026.
@example("Australia/Lord_Howe", date(2026, 9, 27), 135, 60, Repeat("weekly", count=2))
# New York's clocks go back at 02:00 on 1 November 2026, during the second meeting: it ends
# at its own wall-clock 02:30 (EST), 2 h 30 min after its 01:00 (EDT) start.
@example("America/New_York", date(2026, 10, 25), 60, 90, Repeat("weekly", count=3))
# The first meeting itself in the gap (DTSTART not on the wall clock).
@example("Europe/London", date(2026, 3, 29), 90, 45, Repeat("monthly_weekday", ordinal=-1, count=3))
def test_stored_meetings_keep_their_length_and_match_an_independent_expander(
    session, zone_name, first_day, start_minutes, length, repeat
):
    zone = ZoneInfo(zone_name)
    starts = time(start_minutes // 60, start_minutes % 60)
    ends = (datetime.combine(first_day, starts) + timedelta(minutes=length)).time()
    staff = person(f"staff-{next(names)}", "staff")
    event = scheduling.schedule_event(
        staff,
        details(timezone=zone_name),
        scheduling.Schedule(
            first_day=first_day, starts=starts, ends=ends, capacity=None, repeat=repeat
        ),
        now=NOW,
    )
    db.session.flush()
    stored = sorted(event.occurrences, key=lambda occurrence: occurrence.starts_at)
    assert 1 <= len(stored) <= repeat.count
    for meeting in stored:
        assert meeting.ends_at > meeting.starts_at
        begins, finishes = wall_clock(meeting.starts_at, zone), wall_clock(meeting.ends_at, zone)
        same_offset = (
            meeting.starts_at.astimezone(zone).utcoffset()
            == meeting.ends_at.astimezone(zone).utcoffset()
        )
        if same_offset:
            assert meeting.ends_at - meeting.starts_at == timedelta(minutes=length)
        else:  # a clock change during it: the end is its own wall-clock time
            assert finishes.time() == ends or meeting.ends_at - meeting.starts_at == timedelta(
                minutes=length
            )
        assert begins.date() >= first_day

    body = series_ics(
        event, include_venue=False, discreet=False, now=NOW, site_name="Test", secret_key="k"
    )
    found = recurring_ical_events.of(Calendar.from_ical(body)).between(
        date(2025, 1, 1), date(2033, 1, 1)
    )
    spans = {
        (entry.decoded("dtstart").astimezone(UTC), entry.decoded("dtend").astimezone(UTC))
        for entry in found
    }
    ours = {(meeting.starts_at, meeting.ends_at) for meeting in stored}
    theirs = [entry.decoded("dtstart").astimezone(UTC) for entry in found]
    assert set(theirs) == {start for start, _end in ours}
    skipped = {
        meeting.starts_at
        for meeting in stored
        if wall_clock(meeting.starts_at, zone).time() != starts
    }
    assert {start for start, _end in ours ^ spans} <= skipped
    assert {start for start in theirs if theirs.count(start) > 1} <= skipped
