"""The current time for views and hooks; tests set app.config["CLOCK"] to control it."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from advocacy.database import utcnow


def now() -> datetime:
    """Return the current UTC time (from the configured clock, if any)."""
    clock = current_app.config.get("CLOCK") or utcnow
    return clock()
