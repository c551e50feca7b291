"""The current time for views and hooks; tests set app.config["CLOCK"] to control it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from advocacy.database import utcnow


def now() -> datetime:
    """Return the current UTC time (from the configured clock, if any)."""
    clock = current_app.config.get("CLOCK") or utcnow
    return clock()


def local_date(now: datetime) -> date:
    """Return the calendar date a timezone-aware instant falls on in the site's time zone.

    The zone is config DEFAULT_TIMEZONE (an IANA name; needs an app context). "Today" and
    "the same day" follow the site, not UTC: 2026-12-01 03:00 UTC is 2026-11-30 in
    America/New_York. Reads nothing else and changes nothing.
    """
    return now.astimezone(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])).date()
