"""Scheduling: an event and its meetings from a schedule, and the changes staff make
afterwards (details, one meeting's time and places, cancelling), told to everyone with an
RSVP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from advocacy import clock
from advocacy.accounts.models import Account
from advocacy.events import telling
from advocacy.events.errors import EventNotOpen, ScheduleInvalid
from advocacy.events.models import Event, EventHost, Occurrence
from advocacy.events.recurrence import Repeat, Series, plan
from advocacy.events.rsvps import fill_free_places, lock_occurrence
from advocacy.extensions import db


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
    """When the first meeting is (local wall-clock time) and how it repeats (None: once)."""

    first_day: date
    starts: time
    ends: time
    capacity: int | None
    repeat: Repeat | None = None


def planned(schedule: Schedule, timezone: str) -> tuple[Series, list[clock.Span]]:
    """Return the schedule's series (its rule text and local days, events/recurrence.py)
    and every meeting's start and end (UTC) at the same wall-clock time in `timezone`; a
    start the clocks skip that day moves forward, keeping its length (clock.meeting_span).

    ScheduleInvalid (with its field) for an end not after the start or a rule refused.
    """
    if schedule.ends <= schedule.starts:
        raise ScheduleInvalid(_l("The end time must be after the start time."))
    series = plan(schedule.first_day, schedule.starts, schedule.repeat)
    zone = ZoneInfo(timezone)
    spans = [clock.meeting_span(day, schedule.starts, schedule.ends, zone) for day in series.days]
    return series, spans


def occurrence_times(schedule: Schedule, timezone: str) -> list[clock.Span]:
    """Return every meeting's start and end (UTC), as `planned` does."""
    return planned(schedule, timezone)[1]


def schedule_event(
    creator: Account,
    details: EventDetails,
    schedule: Schedule,
    *,
    now: datetime,
    program_id: int | None = None,
) -> Event:
    """Create an event and its occurrences (a program's meetings when program_id is given),
    with the series' rule stored on the event (events/recurrence.py; None for one meeting).
    ScheduleInvalid (with its field) for a schedule refused or a first meeting not after
    `now`.

    The creator hosts an event of its own (events/hosts.py); a program's hosts run its meetings.
    """
    series, times = planned(schedule, details.timezone)
    if times[0].starts_at <= now:
        raise ScheduleInvalid(_l("The first meeting must be in the future."))
    event = Event(
        **details.__dict__,
        program_id=program_id,
        recurrence_rule=series.text,
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


def change_series(
    event: Event, *, starts: time, ends: time, capacity: int | None, now: datetime
) -> list[clock.Span]:
    """Give every meeting of the event still to come (not started, not cancelled) the same
    wall-clock hours on its own day and the same number of places (None: no limit); where
    places grew, the longest waiting get them and are told. Each person with an RSVP to any
    of them gets one notice when the hours changed. Return the new spans, soonest first.

    ScheduleInvalid when the end is not after the start or a meeting would start by `now`;
    EventNotOpen when no meeting is still to come. Rows are locked in id order.
    """
    if ends <= starts:
        raise ScheduleInvalid(_l("The end time must be after the start time."))
    meetings = [o for o in event.occurrences if o.starts_at > now and not o.is_cancelled]
    if not meetings:
        raise EventNotOpen(_l("No meeting of this event is still to come."))
    zone = ZoneInfo(event.timezone)
    soonest = min(meetings, key=lambda o: o.starts_at)
    before = (soonest.starts_at.astimezone(zone).time(), soonest.ends_at.astimezone(zone).time())
    spans = {}
    for occurrence in sorted(meetings, key=lambda o: o.id):
        lock_occurrence(occurrence.id)
        span = clock.meeting_span(occurrence.starts_at.astimezone(zone).date(), starts, ends, zone)
        if span.starts_at <= now:
            raise ScheduleInvalid(_l("The meeting must be in the future."))
        occurrence.starts_at, occurrence.ends_at = span.starts_at, span.ends_at
        occurrence.capacity = capacity
        spans[occurrence.id] = span
    db.session.flush()
    for occurrence in meetings:
        fill_free_places(occurrence, event, now=now)
    changes = telling.hours_changes(before, (starts, ends), event.timezone)
    telling.tell_changed(event, meetings, changes, now=now)
    return sorted(spans.values(), key=lambda span: span.starts_at)


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
