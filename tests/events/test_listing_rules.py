"""How one card of the events list reads (events/listing.py), called directly: no
database, no request.

Rules (issue 14, point 4): a card's hours are in the reader's zone and the reader's
language (the `locale` given, never the server's own), start and end alike, naming the
zone; a meeting whose event has another zone also says its weekday and hours there, in
the same language. Places left are said only for a meeting with a limit, outside
programs, that has not started: from its start instant on, nothing (0 when full).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from advocacy.events.listing import by_day, places_left
from advocacy.events.models import Event, Occurrence

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
NNBSP = "\u202f"  # CLDR puts a narrow no-break space before AM and PM
STARTS = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)  # Wednesday: 12:00 in New York, 18:00 in Madrid


def card(
    *, timezone: str = "Europe/Madrid", capacity: int | None = 3, taken: int = 1, program=None
):
    event = Event(title="Circle", timezone=timezone, program_id=program)
    occurrence = Occurrence(
        starts_at=STARTS, ends_at=STARTS + timedelta(minutes=90), capacity=capacity, taken=taken
    )
    return occurrence, event


@pytest.mark.parametrize(
    ("locale", "hours", "own_hours"),
    [
        ("es", "12:00–13:30 EST", "mié 18:00–19:30 CET"),
        ("en", f"12:00{NNBSP}PM–1:30{NNBSP}PM EST", f"Wed 6:00{NNBSP}PM–7:30{NNBSP}PM CET"),
    ],
)
def test_hours_are_in_the_reader_s_language_and_zone_and_the_event_s_own(locale, hours, own_hours):
    (day,) = by_day([card()], zone=NEW_YORK, now=NOW, locale=locale)
    (listed,) = day.meetings
    assert (listed.hours, listed.own_hours) == (hours, own_hours)
    (same_zone,) = by_day(
        [card(timezone="America/New_York")], zone=NEW_YORK, now=NOW, locale=locale
    )
    assert same_zone.meetings[0].own_hours is None


def test_places_left_until_the_start_instant_and_only_where_worth_saying():
    occurrence, event = card(capacity=3, taken=1)
    assert places_left(occurrence, event, STARTS - timedelta(seconds=1)) == 2
    assert places_left(occurrence, event, STARTS) is None  # started: it takes no RSVPs
    assert places_left(*card(capacity=3, taken=3), NOW) == 0
    assert places_left(*card(capacity=3, taken=4), NOW) == 0  # never below nothing
    assert places_left(*card(capacity=None), NOW) is None
    assert places_left(*card(program=7), NOW) is None
