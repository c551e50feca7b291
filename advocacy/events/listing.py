"""How the events list reads: meetings grouped under their local day, each with its hours
and the places it has left (issue 14, point 4: honest states).

The day is the one the meeting starts on in the reader's zone (the view passes the site's,
config DEFAULT_TIMEZONE), so a list that mixes zones still reads in time order; a meeting
whose event zone differs from the reader's also gives its hours in its own zone, naming it.
Pure formatting of rows already loaded: no query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from itertools import groupby
from zoneinfo import ZoneInfo

from advocacy.events.models import Event, Occurrence
from advocacy.i18n import format_day, format_hour, say_day


@dataclass(frozen=True)
class Listed:
    """One card of the list.

    `hours`: "6:00 PM–7:30 PM EST", in the reader's zone. `own_hours`: the same in the
    event's zone with its weekday ("Wed 2:00 AM–3:00 AM GMT"), None when the zones are
    the same. `places_left`: places still free (0: full, the waiting list is open); None
    when there is no limit, the meeting has started, or it is a program's meeting (the
    program's place is the place).
    """

    occurrence: Occurrence
    event: Event
    hours: str
    own_hours: str | None
    places_left: int | None


@dataclass(frozen=True)
class Day:
    """A heading of the list ("Tuesday, 1 December 2026") and its meetings in time order."""

    heading: str
    meetings: list[Listed]


def by_day(
    rows: list[tuple[Occurrence, Event]], *, zone: ZoneInfo, now: datetime, locale: str
) -> list[Day]:
    """Group rows sorted by start (as `finding.upcoming_page` returns them) under the local
    day each starts on in `zone`, the reader's (`clock.zone_of`: their own choice, else the
    site's). `now` (UTC) decides which have started; `locale` is a Babel locale name ("en").
    A day cut by a page boundary gets its heading on both pages, since each page is grouped
    on its own."""

    def listed(occurrence: Occurrence, event: Event) -> Listed:
        own = ZoneInfo(event.timezone)
        return Listed(
            occurrence,
            event,
            hours=hours(occurrence, zone, locale),
            own_hours=None
            if own.key == zone.key
            else (
                format_day(occurrence.starts_at.astimezone(own), "EEE", locale)
                + " "
                + hours(occurrence, own, locale)
            ),
            places_left=places_left(occurrence, event, now),
        )

    def local_day(row: tuple[Occurrence, Event]) -> date:
        return row[0].starts_at.astimezone(zone).date()

    return [
        Day(
            say_day(day, "weekday and date", locale),
            [listed(occurrence, event) for occurrence, event in rows_of_day],
        )
        for day, rows_of_day in groupby(rows, key=local_day)
    ]


def hours(occurrence: Occurrence, zone: tzinfo, locale: str) -> str:
    """Return "6:00 PM–7:30 PM EST": start and end on the wall clock of `zone`, and the
    zone's abbreviation at the start."""
    start, end = occurrence.starts_at.astimezone(zone), occurrence.ends_at.astimezone(zone)
    return (
        f"{format_hour(start.time(), 'short', locale)}–"
        f"{format_hour(end.time(), 'short', locale)} {start.tzname()}"
    )


def places_left(occurrence: Occurrence, event: Event, now: datetime) -> int | None:
    """Return how many places are still free (0 when full), or None when that is not worth
    saying: no limit, a program's meeting, or one that has started (it takes no RSVPs)."""
    if occurrence.capacity is None or event.program_id is not None or occurrence.starts_at <= now:
        return None
    return max(occurrence.capacity - occurrence.taken, 0)
