"""Event rules: scheduling with recurrence, RSVPs with a private waitlist, venue privacy.

Capacity lives in the database: an occurrence's row is locked for the length of
the transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT … FOR UPDATE) and
its `taken` counter only moves by a conditional UPDATE, so two requests can
never take the last place.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select, true, update

from advocacy.accounts.models import Account, Role
from advocacy.domain import DomainError
from advocacy.events.models import Event, EventHost, Occurrence, Recurrence, Rsvp, RsvpStatus
from advocacy.extensions import db
from advocacy.faults import fault_point
from advocacy.notices.services import notify
from advocacy.reports import counting

PAGE_SIZE = 20
MAX_OCCURRENCES = 104  # two years of a weekly group
EVENT_MANAGERS = frozenset({Role.STAFF, Role.ADMIN})

# Program meetings are seen by the program's members. The programs domain (which uses
# events, never the other way round) supplies the query: account id -> program ids.
_program_membership: Callable[[int], Select] | None = None


def register_program_membership(query: Callable[[int], Select]) -> None:
    """Let the programs domain say which programs an account belongs to."""
    global _program_membership  # set once at import, like the privacy registry
    _program_membership = query


def visible_programs(account_id: int) -> Select | None:
    """Return a query of the program ids whose meetings the account may see."""
    return _program_membership(account_id) if _program_membership else None


class EventError(DomainError):
    """A refused event action."""


class EventNotOpen(EventError):
    message = _l(
        "This meeting has already started, ended or been cancelled, so it can't take RSVPs."
    )


class AlreadyResponded(EventError):
    message = _l("You have already RSVP'd to this meeting.")


class NoRsvp(EventError):
    message = _l("You don't have an RSVP for this meeting.")


class ScheduleInvalid(EventError):
    """The times or recurrence given don't make a schedule."""


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


def is_manager(account: Account | None) -> bool:
    """Return whether the account schedules events (staff and admins)."""
    return bool(account and account.is_authenticated and account.role in EVENT_MANAGERS)


# Scheduling


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


def to_utc(day: date, wall_clock: time, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of a local wall-clock time (DST is the zone's business)."""
    return datetime.combine(day, wall_clock, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def occurrence_times(schedule: Schedule, timezone: str) -> list[tuple[datetime, datetime]]:
    """Return (start, end) in UTC for every meeting; the wall-clock time stays the same."""
    if schedule.ends <= schedule.starts:
        raise ScheduleInvalid(_l("The end time must be after the start time."))
    zone = ZoneInfo(timezone)
    return [
        (to_utc(day, schedule.starts, zone), to_utc(day, schedule.ends, zone))
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
    if times[0][0] <= now:
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
        Occurrence(starts_at=start, ends_at=end, capacity=schedule.capacity) for start, end in times
    ]
    db.session.add(event)
    db.session.flush()
    if program_id is None:
        db.session.add(EventHost(event_id=event.id, account_id=creator.id))
        db.session.flush()
    return event


# Finding


@dataclass(frozen=True)
class Filters:
    """What the events list is narrowed to."""

    this_week: bool = False
    mode: str = ""  # "", "online" or "in_person"
    language: str = ""


def meeting_visibility(viewer: Account):
    """Return the condition for events the viewer may see: open ones, and their programs'."""
    if is_manager(viewer):
        return true()
    programs = visible_programs(viewer.id)
    if programs is None:
        return Event.program_id.is_(None)
    return or_(Event.program_id.is_(None), Event.program_id.in_(programs))


def upcoming_page(
    now: datetime, filters: Filters, after: tuple[datetime, int] | None, viewer: Account
) -> list[tuple[Occurrence, Event]]:
    """Return one page of upcoming occurrences, soonest first (keyset on start, id)."""
    query = (
        select(Occurrence, Event)
        .join(Occurrence.event)
        .where(
            Occurrence.is_cancelled.is_(False),
            Occurrence.ends_at > now,
            meeting_visibility(viewer),
        )
        .order_by(Occurrence.starts_at, Occurrence.id)
        .limit(PAGE_SIZE + 1)
    )
    if filters.this_week:
        query = query.where(Occurrence.starts_at < now + timedelta(days=7))
    if filters.mode:
        query = query.where(Event.is_online.is_(filters.mode == "online"))
    if filters.language:
        query = query.where(Event.language == filters.language)
    if after is not None:
        start, occurrence_id = after
        query = query.where(
            or_(
                Occurrence.starts_at > start,
                and_(Occurrence.starts_at == start, Occurrence.id > occurrence_id),
            )
        )
    return [tuple(row) for row in db.session.execute(query)]


def statuses_for(account_id: int, occurrence_ids: list[int]) -> dict[int, str]:
    """Return the account's RSVP status for each of the given occurrences (one query)."""
    if not occurrence_ids:
        return {}
    rows = db.session.execute(
        select(Rsvp.occurrence_id, Rsvp.status).where(
            Rsvp.account_id == account_id, Rsvp.occurrence_id.in_(occurrence_ids)
        )
    )
    return dict(rows.all())


def get_occurrence(occurrence_id: int, viewer: Account) -> tuple[Occurrence, Event] | None:
    """Return an occurrence the viewer may see (program meetings: its members and staff)."""
    row = db.session.execute(
        select(Occurrence, Event)
        .join(Occurrence.event)
        .where(Occurrence.id == occurrence_id, meeting_visibility(viewer))
    ).first()
    return tuple(row) if row else None


def my_upcoming(
    account_id: int, now: datetime, limit: int = 3
) -> list[tuple[Occurrence, Event, str]]:
    """Return the account's next meetings with an RSVP (one query), soonest first."""
    rows = db.session.execute(
        select(Occurrence, Event, Rsvp.status)
        .join(Occurrence.event)
        .join(Rsvp)  # on rsvps.occurrence_id, their one foreign key
        .where(
            Rsvp.account_id == account_id,
            Occurrence.ends_at > now,
            Occurrence.is_cancelled.is_(False),
        )
        .order_by(Occurrence.starts_at, Occurrence.id)
        .limit(limit)
    )
    return [tuple(row) for row in rows]


def rsvp_of(account_id: int, occurrence_id: int) -> Rsvp | None:
    """Return the account's RSVP to the occurrence, if any."""
    return db.session.scalar(
        select(Rsvp).where(Rsvp.account_id == account_id, Rsvp.occurrence_id == occurrence_id)
    )


def waitlist_position(rsvp: Rsvp) -> int:
    """Return the RSVP's place in the queue (1 = next)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .where(
            Rsvp.occurrence_id == rsvp.occurrence_id,
            Rsvp.status == RsvpStatus.WAITLISTED,
            Rsvp.id <= rsvp.id,
        )
    )


def may_see_venue(viewer: Account, rsvp: Rsvp | None, event: Event) -> bool:
    """Venue details are for confirmed attendees and staff only, never the waitlist.

    For a program meeting, a confirmed place in the program stands in for an RSVP
    (get_occurrence has already checked that the viewer belongs to the program).
    """
    if is_manager(viewer) or event.program_id is not None:
        return True
    return rsvp is not None and rsvp.status == RsvpStatus.CONFIRMED


# RSVPs


def lock_occurrence(occurrence_id: int) -> Occurrence:
    """Load the occurrence and hold its row until the transaction ends."""
    occurrence = db.session.scalar(
        select(Occurrence)
        .where(Occurrence.id == occurrence_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if occurrence is None:
        raise EventNotOpen()
    return occurrence


def take_place(occurrence_id: int) -> bool:
    """Take one confirmed place if any is left; the check and the count are one UPDATE."""
    result = db.session.execute(
        update(Occurrence)
        .where(
            Occurrence.id == occurrence_id,
            or_(Occurrence.capacity.is_(None), Occurrence.taken < Occurrence.capacity),
        )
        .values(taken=Occurrence.taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_place(occurrence_id: int) -> None:
    """Give one confirmed place back."""
    db.session.execute(
        update(Occurrence)
        .where(Occurrence.id == occurrence_id, Occurrence.taken > 0)
        .values(taken=Occurrence.taken - 1)
        .execution_options(synchronize_session=False)
    )


def rsvp(account: Account, occurrence_id: int, *, now: datetime) -> Rsvp:
    """Reserve a place, or a place in the queue when the meeting is full."""
    occurrence = lock_occurrence(occurrence_id)
    if occurrence.event.program_id is not None:
        raise EventNotOpen(_l("This is a program meeting: your place in the program is your RSVP."))
    if occurrence.is_cancelled or occurrence.starts_at <= now:
        raise EventNotOpen()
    if rsvp_of(account.id, occurrence_id) is not None:
        raise AlreadyResponded()
    confirmed = take_place(occurrence_id)
    fault_point("rsvp.place_taken")
    booking = Rsvp(
        occurrence_id=occurrence_id,
        account_id=account.id,
        status=RsvpStatus.CONFIRMED if confirmed else RsvpStatus.WAITLISTED,
        created_at=now,
    )
    db.session.add(booking)
    db.session.flush()
    counting.count(counting.Measure.RSVP, program_id=None, now=now)
    return booking


def fill_free_places(occurrence: Occurrence, event: Event, *, now: datetime) -> list[Rsvp]:
    """Confirm the longest-waiting RSVPs while places are free, and tell each of them.

    The caller holds the occurrence's lock, so the queue read here cannot change under us.
    """
    queue = db.session.scalars(
        select(Rsvp)
        .where(Rsvp.occurrence_id == occurrence.id, Rsvp.status == RsvpStatus.WAITLISTED)
        .order_by(Rsvp.id)
    ).all()
    promoted = []
    for waiting in queue:
        if not take_place(occurrence.id):
            break
        waiting.status = RsvpStatus.CONFIRMED
        notify(
            waiting.account_id,
            "waitlist_promoted",
            now=now,
            link=f"/events/{occurrence.id}",
            title=event.title,
        )
        promoted.append(waiting)
    db.session.flush()
    return promoted


def cancel_rsvp(account: Account, occurrence_id: int, *, now: datetime) -> list[Rsvp]:
    """Cancel the account's RSVP; a freed place goes to the next in the queue at once."""
    lock_occurrence(occurrence_id)
    booking = rsvp_of(account.id, occurrence_id)
    if booking is None:
        raise NoRsvp()
    return remove_rsvp(booking, now=now)


def remove_rsvp(booking: Rsvp, *, now: datetime) -> list[Rsvp]:
    """Delete an RSVP (its occurrence already locked) and pass a freed place on."""
    occurrence = lock_occurrence(booking.occurrence_id)
    was_confirmed = booking.status == RsvpStatus.CONFIRMED
    db.session.delete(booking)
    db.session.flush()
    if not was_confirmed:
        return []
    release_place(occurrence.id)
    if occurrence.is_cancelled or occurrence.starts_at <= now:
        return []
    return fill_free_places(occurrence, occurrence.event, now=now)


# Changes by staff


def tell_everyone(occurrences: list[Occurrence], event: Event, kind: str, *, now: datetime) -> None:
    """Leave a notice for everyone with an RSVP (confirmed or waiting) to these meetings."""
    ids = [occurrence.id for occurrence in occurrences]
    if not ids:
        return
    rows = db.session.execute(
        select(Rsvp.account_id, Rsvp.occurrence_id, Occurrence.starts_at)
        .join(Occurrence)  # on rsvps.occurrence_id, their one foreign key
        .where(Rsvp.occurrence_id.in_(ids))
    )
    zone = ZoneInfo(event.timezone)
    for account_id, occurrence_id, starts_at in rows:
        notify(
            account_id,
            kind,
            now=now,
            link=f"/events/{occurrence_id}",
            title=event.title,
            when=starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        )


def future_occurrences(event: Event, now: datetime) -> list[Occurrence]:
    """Return the event's meetings that have not ended and are not cancelled."""
    return [o for o in event.occurrences if o.ends_at > now and not o.is_cancelled]


def update_event(event: Event, details: EventDetails, *, now: datetime) -> None:
    """Change the shared details; people with an RSVP are told if title or place changed."""
    matters = (details.title, details.venue, details.area, details.is_online) != (
        event.title,
        event.venue,
        event.area,
        event.is_online,
    )
    for name, value in details.__dict__.items():
        if name != "timezone":
            setattr(event, name, value)
    db.session.flush()
    if matters:
        tell_everyone(future_occurrences(event, now), event, "event_changed", now=now)


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
    new_start, new_end = to_utc(day, starts, zone), to_utc(day, ends, zone)
    if new_start <= now:
        raise ScheduleInvalid(_l("The meeting must be in the future."))
    moved = (new_start, new_end) != (occurrence.starts_at, occurrence.ends_at)
    occurrence.starts_at, occurrence.ends_at = new_start, new_end
    occurrence.capacity = capacity
    db.session.flush()
    fill_free_places(occurrence, event, now=now)
    if moved:
        tell_everyone([occurrence], event, "event_changed", now=now)
    return occurrence


def cancel_occurrence(occurrence_id: int, *, now: datetime) -> None:
    """Cancel one meeting and tell everyone with an RSVP."""
    occurrence = lock_occurrence(occurrence_id)
    if occurrence.is_cancelled:
        return
    occurrence.is_cancelled = True
    db.session.flush()
    tell_everyone([occurrence], occurrence.event, "event_cancelled", now=now)


def cancel_series(event: Event, *, now: datetime) -> int:
    """Cancel every future meeting of the event and tell everyone; return how many."""
    meetings = future_occurrences(event, now)
    for occurrence in meetings:
        occurrence.is_cancelled = True
    db.session.flush()
    tell_everyone(meetings, event, "event_cancelled", now=now)
    return len(meetings)


# Attendance


def attendees(occurrence_id: int) -> list[tuple[Rsvp, str]]:
    """Return the RSVPs of an occurrence with pseudonyms, confirmed first then the queue."""
    rows = db.session.execute(
        select(Rsvp, Account.pseudonym)
        .join(Account)  # on rsvps.account_id, their one foreign key
        .where(Rsvp.occurrence_id == occurrence_id)
        .order_by(Rsvp.status, Rsvp.id)
    )
    return [tuple(row) for row in rows]


def counts(occurrence_id: int) -> dict[str, int]:
    """Return how many are confirmed and waiting."""
    rows = db.session.execute(
        select(Rsvp.status, func.count())
        .where(Rsvp.occurrence_id == occurrence_id)
        .group_by(Rsvp.status)
    )
    found = dict(rows.all())
    return {status.value: found.get(status.value, 0) for status in RsvpStatus}


def record_attendance(occurrence_id: int, present_ids: set[int], *, now: datetime) -> None:
    """Mark which confirmed attendees came (everyone else confirmed: did not come)."""
    occurrence = lock_occurrence(occurrence_id)
    if occurrence.starts_at > now:
        raise EventError(_l("Attendance can be recorded once the meeting has started."))
    before = counting.attendance(occurrence_id)
    for booking in db.session.scalars(
        select(Rsvp).where(Rsvp.occurrence_id == occurrence_id, Rsvp.status == RsvpStatus.CONFIRMED)
    ):
        booking.attended = booking.id in present_ids
    db.session.flush()
    counting.attendance_recorded(occurrence, before)
