"""One calendar file (.ics) for a whole series: its RFC 5545 rule, and the meetings that
differ from it; neutral in discreet mode, as events/calendar.py is for one meeting.

The VEVENT holds (RFC 5545 §3.8.5):

- DTSTART;TZID: the rule's first start in the event's zone (even one the clocks skip:
  §3.3.5 reads it as we do, moved forward), DURATION: the first meeting's length, so no
  meeting can end before it starts;
- RRULE: the stored rule, its end as UNTIL in UTC as §3.3.10 asks when DTSTART names a
  zone; a COUNT becomes the UNTIL of the rule's last meeting, so a reader that drops a
  meeting whose start the clocks skip (below) cannot add another at the end;
- RDATE as PERIODs (UTC start/end, §3.8.5.2), so each keeps its own length, for each
  later meeting whose start the clocks skipped: §3.3.10 drops such an instance from the
  rule, and we keep it, moved forward (clock.meeting_span); and for a meeting staff moved,
  with EXDATE for where the rule had it;
- EXDATE for each cancelled meeting.

A meeting that starts where the rule has it but lasts longer or shorter (staff changed its
end, or the series' hours) gets its own VEVENT with the same UID and a RECURRENCE-ID
(§3.8.4.4) naming the rule's instance, since an EXDATE would also remove an RDATE at the
same instant.

Meetings pair with the rule's instances in the order they were made (occurrence ids).
A series stored before rules (migration 0017) may have a rule that makes more instances
than it has meetings (the old code stopped at 104 whatever the end date): UNTIL is then the
instance the last meeting pairs with, so no meeting that was never stored appears. Or
fewer (its first meeting moved to a later weekday, which the rule then follows): each
meeting past the rule's last instance, unless cancelled, is an RDATE.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Calendar, vRecur
from icalendar import Event as CalendarEvent

from advocacy import clock
from advocacy.events.models import Event, Occurrence
from advocacy.events.recurrence import STAMP, starts_of


def split_rule(text: str) -> tuple[datetime, vRecur]:
    """Return a stored rule text's DTSTART (naive, local) and RRULE (as icalendar reads it)."""
    lines = dict(line.split(":", 1) for line in text.splitlines())
    return datetime.strptime(lines["DTSTART"], STAMP), vRecur.from_ical(lines["RRULE"])


def series_ics(
    event: Event,
    *,
    include_venue: bool,
    discreet: bool,
    now: datetime,
    site_name: str,
    secret_key: str,
) -> bytes:
    """Return an iCalendar file for the event's whole series (module docstring); an event
    of one meeting gives that meeting, marked cancelled if it is. The venue only when the
    caller may see it; in discreet mode the title says only "Appointment", with no
    description and no place."""
    meetings = sorted(event.occurrences, key=lambda occurrence: occurrence.id)
    uid = series_uid(event.id, secret_key)

    def entry_for() -> CalendarEvent:
        entry = CalendarEvent()
        entry.add("uid", uid)
        entry.add("dtstamp", now)
        entry.add("summary", _("Appointment") if discreet else event.title)
        if not discreet:
            entry.add("description", event.description)
            entry.add("location", event.venue if include_venue and event.venue else event.area)
        return entry

    main = entry_for()
    main.add("duration", meetings[0].ends_at - meetings[0].starts_at)
    overrides = []
    if event.recurrence_rule:
        for instance, meeting in add_rule(main, event, meetings):
            override = entry_for()
            override.add("recurrence-id", instance)
            override.add("dtstart", meeting.starts_at)
            override.add("dtend", meeting.ends_at)
            overrides.append(override)
    else:
        main.add("dtstart", meetings[0].starts_at)
        if meetings[0].is_cancelled:
            main.add("status", "CANCELLED")
    calendar = Calendar()
    calendar.add("prodid", f"-//{'Calendar' if discreet else site_name}//EN")
    calendar.add("version", "2.0")
    for entry in [main, *overrides]:
        calendar.add_component(entry)
    first, last = (min(m.starts_at for m in meetings), max(m.starts_at for m in meetings))
    calendar.add_missing_timezones(date(first.year - 1, 1, 1), date(last.year + 2, 1, 1))
    return calendar.to_ical()


def add_rule(
    entry: CalendarEvent, event: Event, meetings: list[Occurrence]
) -> list[tuple[datetime, Occurrence]]:
    """Add DTSTART, RRULE, RDATE and EXDATE for the event's rule and its meetings (in the
    order they were made), as the module docstring says; return the meetings that need
    an overriding VEVENT, each with its rule instance (local, in the event's zone)."""
    zone = ZoneInfo(event.timezone)
    first_start, rule = split_rule(event.recurrence_rule)
    rule_starts = starts_of(event.recurrence_rule)[: len(meetings)]
    rule.pop("COUNT", None)
    rule["UNTIL"] = [rule_starts[-1].replace(tzinfo=zone).astimezone(UTC)]
    entry.add("dtstart", first_start.replace(tzinfo=zone))
    entry.add("rrule", rule)
    length = meetings[0].ends_at - meetings[0].starts_at
    added, excluded, overridden = [], [], []
    for index, (local, meeting) in enumerate(zip(rule_starts, meetings, strict=False)):
        where_rule_has_it = clock.instant(local.date(), local.time(), zone)
        if meeting.is_cancelled:
            excluded.append(local.replace(tzinfo=zone))
        elif meeting.starts_at != where_rule_has_it:
            excluded.append(local.replace(tzinfo=zone))
            added.append((meeting.starts_at, meeting.ends_at))
        elif index and not clock.exists(local.date(), local.time(), zone):
            added.append((meeting.starts_at, meeting.ends_at))
        elif meeting.ends_at - meeting.starts_at != length:
            overridden.append((local.replace(tzinfo=zone), meeting))
    for meeting in meetings[len(rule_starts) :]:
        if not meeting.is_cancelled:
            added.append((meeting.starts_at, meeting.ends_at))
    if added:
        entry.add("rdate", added, parameters={"VALUE": "PERIOD"})
    if excluded:
        entry.add("exdate", excluded)
    return overridden


def series_uid(event_id: int, secret_key: str) -> str:
    """Return the series' UID (RFC 5545 §3.8.4.7): stable per event and naming no site or
    host, as calendar.uid is for one meeting; another HMAC message, so a series never
    shares a UID with one of its meetings."""
    digest = hmac.new(secret_key.encode(), b"calendar-series-uid:%d" % event_id, hashlib.sha256)
    return f"{digest.hexdigest()[:32]}@calendar.invalid"
