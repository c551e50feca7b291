"""From a wall-clock time to an instant (issue 14, point 1): one function for every
meeting, with clock changes handled as RFC 5545 §3.3.5 says.

Expected values are worked out by hand from each zone's rules (tz database):
- New York (UTC-5, summer UTC-4): 8 March 2026 at 02:00 clocks go to 03:00; 1 November
  2026 at 02:00 back to 01:00.
- London (UTC+0, summer UTC+1): 29 March 2026 at 01:00 clocks go to 02:00.
- Lord Howe Island (UTC+10:30, summer UTC+11): 4 October 2026 at 02:00 to 02:30.
- Samoa skipped 30 December 2011 entirely: 29 December ended at UTC-10, 31 December
  began at UTC+14.
A time that does not exist is read with the offset from before the change (§3.3.5), so
the meeting moves forward and keeps its length; a time that happens twice is the first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from advocacy.clock import exists, instant, meeting_span


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "starts", "ends", "expected"),
    [
        # The case: 02:30 does not exist; 3:30 AM EDT to 4:00 AM EDT.
        (
            "America/New_York",
            date(2026, 3, 8),
            time(2, 30),
            time(3),
            (utc(2026, 3, 8, 7, 30), utc(2026, 3, 8, 8), True),
        ),
        # The end does not exist: read as EST (3:30 AM EDT); the start is untouched.
        (
            "America/New_York",
            date(2026, 3, 8),
            time(1, 30),
            time(2, 30),
            (utc(2026, 3, 8, 6, 30), utc(2026, 3, 8, 7, 30), False),
        ),
        # 01:30 happens twice: the first (EDT), to 2:00 AM EST.
        (
            "America/New_York",
            date(2026, 11, 1),
            time(1, 30),
            time(2),
            (utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 7), False),
        ),
        (
            "America/New_York",
            date(2026, 11, 1),
            time(1),
            time(1, 45),
            (utc(2026, 11, 1, 5), utc(2026, 11, 1, 5, 45), False),
        ),
        # An ordinary day either side.
        (
            "America/New_York",
            date(2026, 3, 7),
            time(2, 30),
            time(3),
            (utc(2026, 3, 7, 7, 30), utc(2026, 3, 7, 8), False),
        ),
        (
            "America/New_York",
            date(2026, 3, 9),
            time(2, 30),
            time(3),
            (utc(2026, 3, 9, 6, 30), utc(2026, 3, 9, 7), False),
        ),
        # London: 01:30 does not exist; kept length, or it would end as it starts (01:30Z).
        (
            "Europe/London",
            date(2026, 3, 29),
            time(1, 30),
            time(2, 30),
            (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2, 30), True),
        ),
        # Lord Howe moves by half an hour: 02:10 at UTC+10:30 is 15:40Z the day before.
        (
            "Australia/Lord_Howe",
            date(2026, 10, 4),
            time(2, 10),
            time(2, 40),
            (utc(2026, 10, 3, 15, 40), utc(2026, 10, 3, 16, 10), True),
        ),
        # A whole day that never happened in Samoa: read at UTC-10.
        (
            "Pacific/Apia",
            date(2011, 12, 30),
            time(10),
            time(11),
            (utc(2011, 12, 30, 20), utc(2011, 12, 30, 21), True),
        ),
    ],
)
def test_a_meeting_s_instants_follow_rfc_5545(zone, day, starts, ends, expected):
    span = meeting_span(day, starts, ends, ZoneInfo(zone))
    assert (span.starts_at, span.ends_at, span.moved) == expected


@pytest.mark.parametrize(
    ("zone", "day", "wall", "happens"),
    [
        ("America/New_York", date(2026, 3, 8), time(1, 59), True),
        ("America/New_York", date(2026, 3, 8), time(2), False),
        ("America/New_York", date(2026, 3, 8), time(2, 59), False),
        ("America/New_York", date(2026, 3, 8), time(3), True),
        ("America/New_York", date(2026, 11, 1), time(1, 30), True),  # twice, but it happens
        ("Pacific/Apia", date(2011, 12, 30), time(0), False),
        ("Pacific/Apia", date(2011, 12, 31), time(0), True),
    ],
)
def test_whether_a_wall_clock_time_happens(zone, day, wall, happens):
    assert exists(day, wall, ZoneInfo(zone)) is happens


def test_a_meeting_that_ends_before_it_starts_on_the_wall_clock_is_refused():
    with pytest.raises(ValueError, match="a meeting ends after it starts"):
        meeting_span(date(2026, 12, 1), time(10), time(10), ZoneInfo("UTC"))


ZONES = sorted(available_timezones())


@cache
def changes(zone_name: str, year: int) -> tuple[datetime, ...]:
    """The instants in `year` at which the zone's offset changes (found hour by hour)."""
    zone = ZoneInfo(zone_name)
    hour = timedelta(hours=1)
    at, found = utc(year, 1, 1), []
    while at.year == year:
        if (at + hour).astimezone(zone).utcoffset() != at.astimezone(zone).utcoffset():
            found.append(at + hour)
        at += hour
    return tuple(found)


@st.composite
def meetings(draw):
    """A zone, a day and wall-clock times, often right at one of the zone's clock changes."""
    zone = draw(st.sampled_from(ZONES))
    year = draw(st.integers(1971, 2037))
    near = changes(zone, year)
    if near and draw(st.booleans()):
        change = draw(st.sampled_from(near)).astimezone(ZoneInfo(zone))
        wall = change - timedelta(minutes=draw(st.integers(-90, 90)))
        day, starts = wall.date(), wall.time().replace(second=0, fold=0)
    else:
        day = draw(st.dates(date(year, 1, 1), date(year, 12, 31)))
        starts = time(*divmod(draw(st.integers(0, 24 * 60 - 2)), 60))
    minutes_left = 24 * 60 - 1 - (starts.hour * 60 + starts.minute)
    assume(minutes_left >= 1)  # a start at 23:59 (next to a change) leaves no end that day
    length = draw(st.integers(1, min(minutes_left, 600)))
    end_minute = starts.hour * 60 + starts.minute + length
    return zone, day, starts, time(*divmod(end_minute, 60))


@settings(max_examples=300, deadline=None)
@given(meetings())
def test_every_meeting_ends_after_it_starts_and_a_moved_one_keeps_its_length(meeting):
    zone_name, day, starts, ends = meeting
    zone = ZoneInfo(zone_name)
    span = meeting_span(day, starts, ends, zone)
    wall_length = datetime.combine(day, ends) - datetime.combine(day, starts)
    assert span.ends_at > span.starts_at
    assert span.starts_at.utcoffset() == timedelta(0)
    assert span.moved is not exists(day, starts, zone)
    if span.moved:
        assert span.ends_at - span.starts_at == wall_length
    else:
        local = span.starts_at.astimezone(zone)
        assert (local.date(), local.time()) == (day, starts)
        assert span.starts_at == instant(day, starts, zone)
