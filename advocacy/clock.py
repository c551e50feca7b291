"""The current time for views and hooks; tests set app.config["CLOCK"] to control it.

Also the site's calendar: which local date an instant falls on, and the UTC instants a
run of local days spans, in the site's time zone (config DEFAULT_TIMEZONE, an IANA name,
"America/New_York" by default). "Today", "this week" and "within 14 days" follow the
site, not UTC: 2026-11-27 03:00 UTC is still 26 November in New York.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from advocacy.database import utcnow


def now() -> datetime:
    """Return the current UTC time (from the configured clock, if any)."""
    clock = current_app.config.get("CLOCK") or utcnow
    return clock()


def site_zone() -> ZoneInfo:
    """Return the site's time zone (config DEFAULT_TIMEZONE; needs an app context)."""
    return ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])


def local_date(now: datetime) -> date:
    """Return the calendar date the timezone-aware instant `now` falls on in the site's
    time zone (config DEFAULT_TIMEZONE). Reads no clock: the caller passes the instant."""
    return now.astimezone(site_zone()).date()


def local_span(first: date, last: date) -> tuple[datetime, datetime]:
    """Return the UTC instants bounding the local days `first` to `last` (both included) in
    the site's time zone, as a half-open range [start, end): start is when `first` begins
    there, end when the day after `last` begins.

    Daylight saving is followed, so a day is 23, 24 or 25 hours long (zoneinfo). Where
    midnight does not exist (a change at 00:00, as in Havana), the day begins at the change;
    where it happens twice, at the first one. A week is Monday to Sunday (ISO 8601):
    `local_span(monday, monday + timedelta(days=6))`.
    """
    zone = site_zone()

    def begins(day: date) -> datetime:
        # fold=0: in a gap, the offset before the change (so the instant of the change);
        # in an overlap, the first midnight.
        return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)

    return begins(first), begins(last + timedelta(days=1))
