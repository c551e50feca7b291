"""The site's calendar (issue 13, point 1): the local date of an instant and the UTC
instants a run of local days spans, in config DEFAULT_TIMEZONE (America/New_York unless
set). Expected values are worked out by hand from the zone's rules (tz database): New
York is UTC-5 in winter and UTC-4 in summer; in 2026 summer time begins on Sunday 8
March at 02:00 (clocks go to 03:00) and ends on Sunday 1 November at 02:00 (back to
01:00). Havana changes at midnight: 8 March 2026 begins at 01:00 (UTC-4).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from advocacy.clock import local_date, local_span

SECOND = timedelta(seconds=1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Winter (UTC-5): the local day turns at 05:00 UTC.
        (utc(2026, 11, 27, 4, 59, 59), date(2026, 11, 26)),
        (utc(2026, 11, 27, 5, 0, 0), date(2026, 11, 27)),
        # Summer (UTC-4): at 04:00 UTC.
        (utc(2026, 7, 1, 3, 59, 59), date(2026, 6, 30)),
        (utc(2026, 7, 1, 4, 0, 0), date(2026, 7, 1)),
        # The day summer time begins: midnight was still winter time.
        (utc(2026, 3, 8, 4, 59, 59), date(2026, 3, 7)),
        (utc(2026, 3, 8, 5, 0, 0), date(2026, 3, 8)),
        # The next midnight is summer time already.
        (utc(2026, 3, 9, 3, 59, 59), date(2026, 3, 8)),
        (utc(2026, 3, 9, 4, 0, 0), date(2026, 3, 9)),
        # The day summer time ends: midnight was summer time, the next one winter time.
        (utc(2026, 11, 1, 3, 59, 59), date(2026, 10, 31)),
        (utc(2026, 11, 1, 4, 0, 0), date(2026, 11, 1)),
        (utc(2026, 11, 2, 4, 59, 59), date(2026, 11, 1)),
        (utc(2026, 11, 2, 5, 0, 0), date(2026, 11, 2)),
    ],
)
def test_local_date_turns_at_new_york_midnight(app, instant, expected):
    with app.app_context():
        assert local_date(instant) == expected


def test_local_date_reads_the_setting_not_a_fixed_zone(app):
    app.config["DEFAULT_TIMEZONE"] = "Asia/Tokyo"  # UTC+9, no summer time
    with app.app_context():
        assert local_date(utc(2026, 11, 27, 14, 59, 59)) == date(2026, 11, 27)
        assert local_date(utc(2026, 11, 27, 15, 0, 0)) == date(2026, 11, 28)


@pytest.mark.parametrize(
    ("first", "last", "start", "end", "hours"),
    [
        # An ordinary winter day: 24 hours from 05:00 UTC.
        (date(2026, 11, 27), date(2026, 11, 27), utc(2026, 11, 27, 5), utc(2026, 11, 28, 5), 24),
        # Summer time begins: a 23-hour day.
        (date(2026, 3, 8), date(2026, 3, 8), utc(2026, 3, 8, 5), utc(2026, 3, 9, 4), 23),
        # Summer time ends: a 25-hour day.
        (date(2026, 11, 1), date(2026, 11, 1), utc(2026, 11, 1, 4), utc(2026, 11, 2, 5), 25),
        # The ISO week (Monday 2 to Sunday 8 March) that holds the change: 7 x 24 - 1 hours.
        (date(2026, 3, 2), date(2026, 3, 8), utc(2026, 3, 2, 5), utc(2026, 3, 9, 4), 167),
        # The ISO week (Monday 26 October to Sunday 1 November) that ends on the change.
        (date(2026, 10, 26), date(2026, 11, 1), utc(2026, 10, 26, 4), utc(2026, 11, 2, 5), 169),
    ],
)
def test_local_span_is_from_local_midnight_to_local_midnight(app, first, last, start, end, hours):
    with app.app_context():
        assert local_span(first, last) == (start, end)
        assert (end - start) == timedelta(hours=hours)
        # Each bound is where the local date changes: the last second before it is the
        # day before.
        assert local_date(start) == first
        assert local_date(start - SECOND) == first - timedelta(days=1)
        assert local_date(end - SECOND) == last
        assert local_date(end) == last + timedelta(days=1)
        assert start.utcoffset() == timedelta(0)
        assert end.utcoffset() == timedelta(0)


def test_a_day_whose_midnight_does_not_exist_begins_at_the_change(app):
    # Havana moves from 00:00 straight to 01:00 on 8 March 2026 (UTC-5 to UTC-4): the day
    # begins at 05:00 UTC, the instant of the change, not an hour early or late.
    app.config["DEFAULT_TIMEZONE"] = "America/Havana"
    with app.app_context():
        start, end = local_span(date(2026, 3, 8), date(2026, 3, 8))
        assert start == utc(2026, 3, 8, 5)
        assert end == utc(2026, 3, 9, 4)
        assert local_date(start - SECOND) == date(2026, 3, 7)
        assert local_date(start) == date(2026, 3, 8)
