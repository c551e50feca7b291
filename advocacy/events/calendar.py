"""Calendar files (.ics) for one occurrence; neutral in discreet mode."""

from __future__ import annotations

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
    host: str,
) -> bytes:
    """Return an iCalendar file for the occurrence.

    The venue is included only when the caller may see it; in discreet mode the
    title says only "Appointment" and the description is empty.
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//{'Calendar' if discreet else site_name}//EN")
    calendar.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"occurrence-{occurrence.id}@{host}")
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
