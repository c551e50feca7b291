"""The site's local date of an instant (advocacy/clock.py local_date).

"Today" follows the site's time zone (config DEFAULT_TIMEZONE, America/New_York in the
tests): UTC-5 in winter, UTC-4 in summer, so local midnight is 05:00 or 04:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from advocacy.clock import local_date


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (datetime(2026, 12, 1, 4, 59, 59, tzinfo=UTC), date(2026, 11, 30)),
        (datetime(2026, 12, 1, 5, 0, tzinfo=UTC), date(2026, 12, 1)),
        (datetime(2026, 7, 1, 3, 59, 59, tzinfo=UTC), date(2026, 6, 30)),
        (datetime(2026, 7, 1, 4, 0, tzinfo=UTC), date(2026, 7, 1)),
        # The same instant written with another offset is the same local date.
        (datetime(2026, 12, 1, 13, 59, tzinfo=timezone(timedelta(hours=9))), date(2026, 11, 30)),
    ],
)
def test_the_local_date_is_the_site_s_not_utc_s(app, instant, day):
    with app.app_context():
        assert local_date(instant) == day


def test_the_local_date_follows_the_configured_zone(app):
    app.config["DEFAULT_TIMEZONE"] = "Pacific/Kiritimati"  # UTC+14
    with app.app_context():
        assert local_date(datetime(2026, 11, 30, 10, 0, tzinfo=UTC)) == date(2026, 12, 1)
