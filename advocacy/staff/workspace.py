"""The staff home (/staff): the work waiting in what a staff member runs (issue 13, point 1).

DESIGN §3, Staff tools. Everything is for the programs and events the viewer runs: the
rule of programs/hosts.py and events/hosts.py (`runs`), written here as SQL over their
host tables so that a page of any size costs the same: admins run everything; a staff
member runs an event that belongs to no program when listed in `event_hosts`, and a
program and all its meetings when listed in `program_hosts` (whoever scheduled them);
members and mentors run nothing. The moderation backlog is the whole site's (the queue
is not anyone's own).

"Today", "this week" and "within 14 days" are in the site's time zone (clock.local_date,
clock.local_span; America/New_York unless DEFAULT_TIMEZONE says otherwise):

- meetings today: not cancelled, starting from this local midnight to the next one;
- later this week: not cancelled, starting from the next local midnight to the end of
  Sunday (the ISO 8601 week, Monday to Sunday; so nothing on a Sunday);
- confirmed and waiting: for an event, its confirmed and waitlisted RSVPs; for a program
  meeting, its program's confirmed and waitlisted places (a place stands in for an
  RSVP); requests still waiting for a decision are neither;
- ended without attendance recorded: not cancelled; ended (its end at or before `now`);
  someone was expected (an event: a confirmed RSVP; a program meeting: a confirmed
  place in its program); nothing recorded (no RSVP marked as came or did not come, and
  no count kept); and attendance can still be recorded for it, which is as long as
  where it is kept lasts: for an event, its end at most RETENTION_RSVP_DAYS ago (30;
  then the purge takes its RSVPs); for a program meeting, however long ago, while the
  program's places are kept (programs/privacy.py: attendance is part of the place, kept
  until RETENTION_ENROLLMENT_DAYS, 365, after the program's last day in the site's
  calendar; programs/attendance.py records it for any meeting that has started);
- requests waiting: programs with requests (places pending a decision), with how many;
- ending soon: open or closed programs (not drafts, not cancelled or completed) whose
  last day is from today to 14 days from today, both included.

`staff_home` sends five statements whatever the number of programs, meetings, places
and RSVPs: one for each list (the week's meetings, attendance to record, requests,
programs ending) and one for the moderation backlog; counts are subqueries of a list's
statement, never a query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, exists, false, func, not_, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from advocacy import clock
from advocacy.accounts.models import Account, Role
from advocacy.events.hosts import EVENT_HOSTS
from advocacy.events.models import Event, Occurrence, Rsvp, RsvpStatus
from advocacy.extensions import db
from advocacy.moderation import services as moderation
from advocacy.privacy.rules import rule_for
from advocacy.programs.hosts import PROGRAM_HOSTS
from advocacy.programs.models import Enrollment, EnrollmentStatus, Program, ProgramStatus
from advocacy.programs.privacy import ended as places_ended

ENDING_WITHIN_DAYS = 14
# The programs still running: a draft has not begun, the others are over.
RUNNING = (ProgramStatus.OPEN, ProgramStatus.CLOSED)


@dataclass(frozen=True)
class Meeting:
    """One meeting the viewer runs, with how many are confirmed and waiting."""

    occurrence: Occurrence
    event: Event
    confirmed: int
    waiting: int


@dataclass(frozen=True)
class Requests:
    """A program with requests waiting for a decision (`waiting`: how many)."""

    program_id: int
    title: str
    waiting: int


@dataclass(frozen=True)
class Ending:
    """A program ending soon: its last day, places confirmed, completions recorded."""

    program_id: int
    title: str
    ends_on: date
    confirmed: int
    completed: int


@dataclass(frozen=True)
class Workspace:
    """What the staff home shows; `today` is the site's local date it was made for."""

    today: date
    meetings_today: list[Meeting]
    later_this_week: list[Meeting]
    unrecorded: list[Meeting]
    requests: list[Requests]
    ending: list[Ending]
    moderation: moderation.Backlog

    @property
    def nothing_waiting(self) -> bool:
        """Whether every list is empty (the moderation backlog aside)."""
        return not (
            self.meetings_today
            or self.later_this_week
            or self.unrecorded
            or self.requests
            or self.ending
        )


def staff_home(viewer: Account, *, now: datetime) -> Workspace:
    """Return the work waiting for the viewer at `now` (a timezone-aware UTC instant), in
    five statements. See the module docstring for what each list holds."""
    today = clock.local_date(now)
    monday = today - timedelta(days=today.weekday())
    start, tomorrow = clock.local_span(today, today)
    _week_start, week_end = clock.local_span(monday, monday + timedelta(days=6))
    week = meetings(viewer, start, week_end)
    return Workspace(
        today=today,
        meetings_today=[m for m in week if m.occurrence.starts_at < tomorrow],
        later_this_week=[m for m in week if m.occurrence.starts_at >= tomorrow],
        unrecorded=unrecorded(
            viewer,
            now=now,
            days=rule_for("rsvp").days,
            program_days=rule_for("enrollment").days,
        ),
        requests=requests(viewer),
        ending=ending(viewer, today),
        moderation=moderation.backlog(),
    )


# Who runs what, as SQL (the rule of events/hosts.py and programs/hosts.py: runs).


def events_run_by(viewer: Account) -> ColumnElement[bool]:
    """Return the condition on Event for the events the viewer runs (a program meeting by
    its program's hosts, never by host rows of its own)."""
    if viewer.role == Role.ADMIN:
        return true()
    if viewer.role != Role.STAFF:
        return false()
    return or_(
        and_(Event.program_id.is_(None), Event.id.in_(EVENT_HOSTS.hosted_by(viewer.id))),
        Event.program_id.in_(PROGRAM_HOSTS.hosted_by(viewer.id)),
    )


def programs_run_by(viewer: Account) -> ColumnElement[bool]:
    """Return the condition on Program for the programs the viewer runs."""
    if viewer.role == Role.ADMIN:
        return true()
    if viewer.role != Role.STAFF:
        return false()
    return Program.id.in_(PROGRAM_HOSTS.hosted_by(viewer.id))


# The lists: one statement each.


def people(status: str) -> ColumnElement[int]:
    """Return, for the meeting of the row (Occurrence joined to Event), how many have
    `status` ("confirmed" or "waitlisted"): RSVPs, or for a program meeting its places."""
    rsvps = (
        select(func.count())
        .select_from(Rsvp)
        .where(Rsvp.occurrence_id == Occurrence.id, Rsvp.status == status)
        .scalar_subquery()
    )
    places = (
        select(func.count())
        .select_from(Enrollment)
        .where(Enrollment.program_id == Event.program_id, Enrollment.status == status)
        .scalar_subquery()
    )
    return case((Event.program_id.is_(None), rsvps), else_=places)


def meeting_rows(viewer: Account, *conditions: ColumnElement[bool]):
    """Return the query of the viewer's meetings (not cancelled) meeting `conditions`."""
    return (
        select(
            Occurrence,
            Event,
            people(RsvpStatus.CONFIRMED).label("confirmed"),
            people(RsvpStatus.WAITLISTED).label("waiting"),
        )
        .join(Occurrence.event)
        .where(events_run_by(viewer), Occurrence.is_cancelled.is_(False), *conditions)
    )


def meetings(viewer: Account, start: datetime, end: datetime) -> list[Meeting]:
    """Return the viewer's meetings starting in [start, end), soonest first."""
    query = meeting_rows(viewer, Occurrence.starts_at >= start, Occurrence.starts_at < end)
    rows = db.session.execute(query.order_by(Occurrence.starts_at, Occurrence.id))
    return [Meeting(*row) for row in rows]


def unrecorded(viewer: Account, *, now: datetime, days: int, program_days: int) -> list[Meeting]:
    """Return the viewer's meetings that ended by `now` with someone expected and no
    attendance recorded, while it can still be recorded (an event's meeting: ended at most
    `days` days before `now`; a program's: its program ended at most `program_days` days
    before today, as programs/privacy.py keeps places), the longest waiting first."""
    recorded = or_(
        Occurrence.attended_count > 0,
        exists().where(Rsvp.occurrence_id == Occurrence.id, Rsvp.attended.is_not(None)),
    )
    places_kept = select(Program.id).where(not_(places_ended(now, program_days)))
    still_recordable = or_(
        and_(Event.program_id.is_(None), Occurrence.ends_at >= now - timedelta(days=days)),
        Event.program_id.in_(places_kept),
    )
    query = meeting_rows(
        viewer,
        Occurrence.ends_at <= now,
        still_recordable,
        people(RsvpStatus.CONFIRMED) > 0,
        not_(recorded),
    )
    rows = db.session.execute(query.order_by(Occurrence.ends_at, Occurrence.id))
    return [Meeting(*row) for row in rows]


def requests(viewer: Account) -> list[Requests]:
    """Return the viewer's programs with requests waiting, the oldest request first."""
    rows = db.session.execute(
        select(Program.id, Program.title, func.count(Enrollment.id))
        .join(Enrollment, Enrollment.program_id == Program.id)
        .where(programs_run_by(viewer), Enrollment.status == EnrollmentStatus.PENDING)
        .group_by(Program.id, Program.title)
        .order_by(func.min(Enrollment.created_at), Program.id)
    )
    return [Requests(*row) for row in rows]


def ending(viewer: Account, today: date) -> list[Ending]:
    """Return the viewer's running programs whose last day is from `today` to
    ENDING_WITHIN_DAYS days later, the soonest first."""
    confirmed = Enrollment.status == EnrollmentStatus.CONFIRMED
    rows = db.session.execute(
        select(
            Program.id,
            Program.title,
            Program.ends_on,
            func.count(Enrollment.id).filter(confirmed),
            func.count(Enrollment.id).filter(confirmed, Enrollment.completed_on.is_not(None)),
        )
        .outerjoin(Enrollment, Enrollment.program_id == Program.id)
        .where(
            programs_run_by(viewer),
            Program.status.in_(RUNNING),
            Program.ends_on >= today,
            Program.ends_on <= today + timedelta(days=ENDING_WITHIN_DAYS),
        )
        .group_by(Program.id, Program.title, Program.ends_on)
        .order_by(Program.ends_on, Program.id)
    )
    return [Ending(*row) for row in rows]
