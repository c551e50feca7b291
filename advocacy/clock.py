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


def local_date(moment: datetime, zone: str | None = None) -> date:
    """Return the calendar date a timezone-aware `moment` falls on in the site's time zone.

    `zone` is an IANA name ("America/New_York"); by default the site's, config
    DEFAULT_TIMEZONE (which needs an app context). 2026-12-01 03:00 UTC is 2026-11-30 in
    New York: "today", "this month" and report months follow the site, not UTC.
    """
    return moment.astimezone(ZoneInfo(zone or current_app.config["DEFAULT_TIMEZONE"])).date()
