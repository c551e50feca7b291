"""Scheduling: an event and its meetings from a schedule, and the changes staff make
afterwards (details, one meeting's time and places, cancelling), told to everyone with an
RSVP."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from advocacy import clock
from advocacy.accounts.models import Account
from advocacy.events import telling
from advocacy.events.errors import EventNotOpen, ScheduleInvalid
from advocacy.events.models import Event, EventHost, Occurrence, Recurrence
from advocacy.events.rsvps import fill_free_places, lock_occurrence
from advocacy.extensions import db

MAX_OCCURRENCES = 104  # two years of a weekly group


@dataclass(frozen=True)
class EventDetails:
    """What staff type about an event (shared by all its occurrences)."""

    title: str
    description: str
    is_online: bool
    area: str
    venue: str
    timezone: str
    language: str
    accessibility: str


@dataclass(frozen=True)
class Schedule:
    """When the first meeting is (local wall-clock time) and how it repeats."""

    first_day: date
    starts: time
    ends: time
    capacity: int | None
    recurrence: str = Recurrence.NONE
    until: date | None = None


def add_months(day: date, months: int) -> date | None:
    """Return the same day `months` later, or None when that month is too short."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if day.day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day.day)


def meeting_days(schedule: Schedule) -> list[date]:
    """Return the local dates of every meeting in the schedule."""
    if schedule.recurrence == Recurrence.NONE:
        return [schedule.first_day]
    if schedule.until is None or schedule.until < schedule.first_day:
        raise ScheduleInvalid(_l("Choose when the repeating meetings end (after the first one)."))
    days, step = [], 0
    while len(days) < MAX_OCCURRENCES:
        if schedule.recurrence == Recurrence.WEEKLY:
            day = schedule.first_day + timedelta(weeks=step)
        else:
            day = add_months(schedule.first_day, step)
        step += 1
        if day is None:
            continue  # e.g. the 31st in a 30-day month: no meeting that month
        if day > schedule.until:
            break
        days.append(day)
    return days


def occurrence_times(schedule: Schedule, timezone: str) -> list[clock.Span]:
    """Return every meeting's start and end (UTC) at the same wall-clock time in `timezone`;
    a start the clocks skip that day moves forward, keeping its length (clock.meeting_span)."""
    if schedule.ends <= schedule.starts:
        raise ScheduleInvalid(_l("The end time must be after the start time."))
    zone = ZoneInfo(timezone)
    return [
        clock.meeting_span(day, schedule.starts, schedule.ends, zone)
        for day in meeting_days(schedule)
    ]


def schedule_event(
    creator: Account,
    details: EventDetails,
    schedule: Schedule,
    *,
    now: datetime,
    program_id: int | None = None,
) -> Event:
    """Create an event and its occurrences (a program's meetings when program_id is given).

    The creator hosts an event of its own (events/hosts.py); a program's hosts run its meetings.
    """
    times = occurrence_times(schedule, details.timezone)
    if times[0].starts_at <= now:
        raise ScheduleInvalid(_l("The first meeting must be in the future."))
    event = Event(
        **details.__dict__,
        program_id=program_id,
        recurrence=schedule.recurrence,
        recurrence_until=schedule.until if schedule.recurrence != Recurrence.NONE else None,
        created_by_id=creator.id,
        created_at=now,
    )
    event.occurrences = [
        Occurrence(starts_at=span.starts_at, ends_at=span.ends_at, capacity=schedule.capacity)
        for span in times
    ]
    db.session.add(event)
    db.session.flush()
    if program_id is None:
        db.session.add(EventHost(event_id=event.id, account_id=creator.id))
        db.session.flush()
    return event


# Changes by staff


def future_occurrences(event: Event, now: datetime) -> list[Occurrence]:
    """Return the event's meetings that have not ended and are not cancelled."""
    return [o for o in event.occurrences if o.ends_at > now and not o.is_cancelled]


def update_event(event: Event, details: EventDetails, *, now: datetime) -> None:
    """Change the shared details; people with an RSVP to a meeting still ahead get one
    notice saying what changed of the title and where (events/telling.py)."""
    before = telling.Looks.of(event)
    for name, value in details.__dict__.items():
        if name != "timezone":
            setattr(event, name, value)
    db.session.flush()
    changes = telling.detail_changes(before, telling.Looks.of(event))
    telling.tell_changed(event, future_occurrences(event, now), changes, now=now)


def change_occurrence(
    occurrence_id: int,
    *,
    day: date,
    starts: time,
    ends: time,
    capacity: int | None,
    now: datetime,
) -> Occurrence:
    """Move one meeting or change its capacity; people with an RSVP are told of a new time."""
    occurrence = lock_occurrence(occurrence_id)
    event = occurrence.event
    if occurrence.is_cancelled or occurrence.ends_at <= now:
        raise EventNotOpen(_l("This meeting has ended or been cancelled, so it can't change."))
    if ends <= starts:
        raise ScheduleInvalid(_l("The end time must be after the start time."))
    zone = ZoneInfo(event.timezone)
    span = clock.meeting_span(day, starts, ends, zone)
    new_start, new_end = span.starts_at, span.ends_at
    if new_start <= now:
        raise ScheduleInvalid(_l("The meeting must be in the future."))
    changes = telling.time_changes(
        (occurrence.starts_at, occurrence.ends_at), (new_start, new_end), event.timezone
    )
    occurrence.starts_at, occurrence.ends_at = new_start, new_end
    occurrence.capacity = capacity
    db.session.flush()
    fill_free_places(occurrence, event, now=now)
    telling.tell_changed(event, [occurrence], changes, now=now)
    return occurrence


def cancel_occurrence(occurrence_id: int, *, now: datetime, reason: str = "") -> None:
    """Cancel one meeting and tell everyone with an RSVP, with staff's reason if any (at
    most telling.REASON_MAX characters, checked by the form); once only."""
    occurrence = lock_occurrence(occurrence_id)
    if occurrence.is_cancelled:
        return
    occurrence.is_cancelled = True
    db.session.flush()
    telling.tell_cancelled(occurrence.event, [occurrence], now=now, reason=reason)


def cancel_series(event: Event, *, now: datetime, reason: str = "") -> int:
    """Cancel every future meeting of the event and tell each person with an RSVP to any of
    them once, with staff's reason if any; return how many meetings were cancelled."""
    meetings = future_occurrences(event, now)
    for occurrence in meetings:
        occurrence.is_cancelled = True
    db.session.flush()
    telling.tell_cancelled(event, meetings, now=now, reason=reason, series=True)
    return len(meetings)
