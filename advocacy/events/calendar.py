"""Calendar files (.ics) for one occurrence; neutral in discreet mode."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from advocacy.events.models import Event, Occurrence


def occurrence_ics(
    occurrence: Occurrence,
    event: Event,
    *,
    include_venue: bool,
    discreet: bool,
    now: datetime,
    site_name: str,
    secret_key: str,
) -> bytes:
    """Return an iCalendar file for the occurrence.

    The venue is included only when the caller may see it; in discreet mode the
    title says only "Appointment" and the description is empty.
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//{'Calendar' if discreet else site_name}//EN")
    calendar.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", uid(occurrence.id, secret_key))
    entry.add("dtstamp", now)
    entry.add("dtstart", occurrence.starts_at)
    entry.add("dtend", occurrence.ends_at)
    entry.add("summary", _("Appointment") if discreet else event.title)
    if not discreet:
        entry.add("description", event.description)
    if occurrence.is_cancelled:
        entry.add("status", "CANCELLED")
    if include_venue and event.venue:
        entry.add("location", event.venue)
    elif not discreet:
        entry.add("location", event.area)
    calendar.add_component(entry)
    return calendar.to_ical()


def uid(occurrence_id: int, secret_key: str) -> str:
    """Return the calendar entry's UID (RFC 5545 §3.8.4.7): stable per occurrence, so a
    calendar matches updates and cancellations, and naming no site: calendars synced to a
    shared or watched account keep UIDs in their data, so a host name would give the site
    away even in discreet mode. An HMAC under the secret key, on the reserved .invalid
    domain (RFC 2606 §2)."""
    digest = hmac.new(secret_key.encode(), b"calendar-uid:%d" % occurrence_id, hashlib.sha256)
    return f"{digest.hexdigest()[:32]}@calendar.invalid"
