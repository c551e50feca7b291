"""The current time for views and hooks; tests set app.config["CLOCK"] to control it.

Also the site's calendar: which local date an instant falls on, and the UTC instants a
run of local days spans, in the site's time zone (config DEFAULT_TIMEZONE, an IANA name,
"America/New_York" by default). "Today", "this week" and "within 14 days" follow the
site, not UTC: 2026-11-27 03:00 UTC is still 26 November in New York.

And the one way a wall-clock time becomes an instant (`instant`, `meeting_span`), with
the clock changes of daylight saving handled as RFC 5545 §3.3.5 says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app

from advocacy.database import utcnow


def now() -> datetime:
    """Return the current UTC time (from the configured clock, if any)."""
    clock = current_app.config.get("CLOCK") or utcnow
    return clock()


def site_zone() -> ZoneInfo:
    """Return the site's time zone (config DEFAULT_TIMEZONE; needs an app context)."""
    return ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])


def zone_of(account: object) -> ZoneInfo:
    """Return the time zone a viewer sees days in: the account's own choice (its `timezone`,
    an IANA name), else the site's."""
    chosen = getattr(account, "timezone", None)
    try:
        return ZoneInfo(chosen) if chosen else site_zone()
    except ZoneInfoNotFoundError:  # a zone a later tz database no longer has
        return site_zone()


def local_date(now: datetime, zone: ZoneInfo | None = None) -> date:
    """Return the calendar date the timezone-aware instant `now` falls on in `zone` (by
    default the site's time zone, config DEFAULT_TIMEZONE). Reads no clock: the caller
    passes the instant."""
    return now.astimezone(zone or site_zone()).date()


def local_span(first: date, last: date, zone: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    """Return the UTC instants bounding the local days `first` to `last` (both included) in
    `zone` (by default the site's time zone), as a half-open range [start, end): start is
    when `first` begins there, end when the day after `last` begins.

    Daylight saving is followed, so a day is 23, 24 or 25 hours long (zoneinfo). Where
    midnight does not exist (a change at 00:00, as in Havana), the day begins at the change;
    where it happens twice, at the first one. A week is Monday to Sunday (ISO 8601):
    `local_span(monday, monday + timedelta(days=6))`.
    """
    zone = zone or site_zone()

    def begins(day: date) -> datetime:
        # fold=0: in a gap, the offset before the change (so the instant of the change);
        # in an overlap, the first midnight.
        return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)

    return begins(first), begins(last + timedelta(days=1))


def instant(day: date, wall_clock: time, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of a local wall-clock time in `zone`.

    RFC 5545 §3.3.5: a time that does not exist (skipped as clocks go forward) is read
    with the UTC offset from before the change, so it lands as far past the change as it
    was past the old hour: 02:30 on 8 March 2026 in New York is 07:30Z, 3:30 AM EDT. A time
    that happens twice (clocks go back) is its first occurrence (fold=0, PEP 495).
    """
    return datetime.combine(day, wall_clock, tzinfo=zone).astimezone(UTC)


def exists(day: date, wall_clock: time, zone: ZoneInfo) -> bool:
    """Return whether the wall-clock time happens on that day in `zone` (not skipped by a
    clock change): it reads the same after a round trip through UTC."""
    back = instant(day, wall_clock, zone).astimezone(zone)
    return (back.date(), back.time()) == (day, wall_clock)


@dataclass(frozen=True)
class Span:
    """A meeting's start and end (UTC instants); `moved` when its start did not exist on
    that day and was moved forward (`instant`)."""

    starts_at: datetime
    ends_at: datetime
    moved: bool


# A meeting ends on the day it starts (meeting_span), so it lasts less than a day plus the
# largest clock change within one (under 2 hours in every zone): lists bound their index
# range by it (events/finding.py). tests/events/test_list_plans.py checks every zone.
LONGEST_MEETING = timedelta(hours=26)


def meeting_span(day: date, starts: time, ends: time, zone: ZoneInfo) -> Span:
    """Return the instants of a meeting from `starts` to `ends` (wall clock, ends > starts,
    else ValueError) on `day` in `zone`.

    A start in a clock change's gap moves forward (`instant`) and the meeting keeps its
    length on the wall clock: 02:30–03:00 in New York on 8 March 2026 is 07:30Z–08:00Z, never
    an end before its start. Otherwise each end is read as its own wall-clock time.
    """
    if ends <= starts:
        raise ValueError("a meeting ends after it starts")
    start = instant(day, starts, zone)
    if not exists(day, starts, zone):
        length = datetime.combine(day, ends) - datetime.combine(day, starts)
        return Span(start, start + length, moved=True)
    return Span(start, instant(day, ends, zone), moved=False)
