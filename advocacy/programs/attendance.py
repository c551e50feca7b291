"""Attendance at a program's meetings: recording it, adding a meeting that already
happened (an extra session) with its attendance, and the counts the roster shows
(attendance, and places taken and held: Places).

Attendance lives in the events domain's RSVPs (`Rsvp.attended`: True came, False did
not, None not recorded). It is recorded once a meeting has started, for every member
with a confirmed place at that moment (record_attendance). It is part of the place, not
an RSVP to an event: kept until the places go (365 days after the program ends), gone
with a withdrawal or the account (programs/privacy.py).

"Came to N of M meetings" (roster_lines), for one member of one program:

- M counts the program's meetings, not cancelled, at which this member's attendance was
  recorded (their RSVP's `attended` is True or False). So a meeting that has not started,
  one at which nobody took attendance, a cancelled one, and one from before the member
  had a place do not count against them;
- N counts those of the M at which they were recorded as present.

Both come from one aggregated query, however many members and meetings there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from advocacy.accounts.models import Account
from advocacy.events import errors, scheduling
from advocacy.events.models import Event, Occurrence, Rsvp, RsvpStatus
from advocacy.extensions import db
from advocacy.i18n import say_date
from advocacy.programs.models import Enrollment, EnrollmentStatus, Program
from advocacy.programs.services import (
    ROSTER_ORDER,
    ProgramError,
    has_ended,
    lock_program,
    roster,
)
from advocacy.reports import counting


@dataclass(frozen=True)
class RosterLine:
    """One enrollment on the roster: the member came to `came` of `recorded` meetings."""

    enrollment: Enrollment
    pseudonym: str
    came: int
    recorded: int


@dataclass(frozen=True)
class MeetingLine:
    """One meeting of the program: attendance recorded for `recorded` members whose rows
    are kept, and `came` came in all: those of them recorded as present and the `kept`
    who came whose rows went with their place (Occurrence.attended_count: removed from
    their account, or purged). Recorded once either count is there."""

    occurrence: Occurrence
    event: Event
    came: int
    recorded: int
    kept: int


@dataclass(frozen=True)
class PastMeeting:
    """A meeting that already happened, as staff type it (local wall-clock times)."""

    title: str
    area: str
    timezone: str  # IANA name
    day: date
    starts: time
    ends: time


class PastMeetingRefused(ProgramError):
    """An extra session that cannot be added; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def tallies():
    """Recorded attendance per (occurrence, account) row, as two counts: recorded, came."""
    return (
        func.count(Rsvp.id).label("recorded"),
        func.count(case((Rsvp.attended.is_(True), 1))).label("came"),
    )


def roster_lines(program_id: int) -> list[RosterLine]:
    """Return the roster (requests, then places, then the queue; each oldest first) with
    each member's attendance counts, by the rule of this module's docstring (one query)."""
    per_member = (
        select(Rsvp.account_id.label("account_id"), *tallies())
        .join(Occurrence, Rsvp.occurrence_id == Occurrence.id)
        .join(Event, Occurrence.event_id == Event.id)
        .where(
            Event.program_id == program_id,
            Occurrence.is_cancelled.is_(False),
            Rsvp.attended.is_not(None),
        )
        .group_by(Rsvp.account_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Enrollment,
            Account.pseudonym,
            func.coalesce(per_member.c.came, 0),
            func.coalesce(per_member.c.recorded, 0),
        )
        .join(Account, Enrollment.account_id == Account.id)
        .outerjoin(per_member, per_member.c.account_id == Enrollment.account_id)
        .where(Enrollment.program_id == program_id)
        .order_by(Enrollment.id)
    )
    lines = [RosterLine(*row) for row in rows]
    return sorted(lines, key=lambda line: ROSTER_ORDER.index(line.enrollment.status))


def meeting_lines(program_id: int) -> list[MeetingLine]:
    """Return the program's meetings, soonest first, each with how many members had
    attendance recorded and how many came, the kept count included (one query)."""
    per_meeting = (
        select(Rsvp.occurrence_id.label("occurrence_id"), *tallies())
        .where(Rsvp.attended.is_not(None))
        .group_by(Rsvp.occurrence_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Occurrence,
            Event,
            func.coalesce(per_meeting.c.came, 0) + Occurrence.attended_count,
            func.coalesce(per_meeting.c.recorded, 0),
            Occurrence.attended_count,
        )
        .join(Event, Occurrence.event_id == Event.id)
        .outerjoin(per_meeting, per_meeting.c.occurrence_id == Occurrence.id)
        .where(Event.program_id == program_id)
        .order_by(Occurrence.starts_at, Occurrence.id)
    )
    return [MeetingLine(*row) for row in rows]


@dataclass(frozen=True)
class Places:
    """A program's places as staff see them: `taken` by members with a confirmed place
    (completed ones included) and by those whose confirmed place went after the end, kept
    as a count (Program.enrolled_count: removed from an account, or purged), `held` by
    requests waiting for staff's answer (a request holds its place until decided:
    services.enroll), of `capacity`; `ended` at the moment asked (services.has_ended)."""

    taken: int
    held: int
    capacity: int
    ended: bool


def places(program: Program, now: datetime) -> Places:
    """Return the program's places at `now` (one query)."""
    counts = dict(
        db.session.execute(
            select(Enrollment.status, func.count())
            .where(Enrollment.program_id == program.id)
            .group_by(Enrollment.status)
        ).all()
    )
    return Places(
        counts.get(EnrollmentStatus.CONFIRMED, 0) + program.enrolled_count,
        counts.get(EnrollmentStatus.PENDING, 0),
        program.capacity,
        has_ended(program, now),
    )


def record_attendance(
    program_id: int, occurrence_id: int, present: set[int], *, now: datetime
) -> None:
    """Record who came to a program meeting (account ids in `present`; every other member
    with a confirmed place did not come), once the meeting has started.

    ProgramError: the meeting is not the program's, or has not started at `now`. Holds the
    program's row first, as every write to its places does, so a member's removal of the
    program never interleaves with it (their attendance could come back).
    """
    lock_program(program_id)
    occurrence = db.session.get(Occurrence, occurrence_id)
    if occurrence is None or occurrence.event.program_id != program_id:
        raise ProgramError(_l("That meeting is not part of this program."))
    if occurrence.starts_at > now:
        raise ProgramError(_l("Attendance can be recorded once the meeting has started."))
    before = counting.attendance(occurrence_id)
    existing = {
        rsvp.account_id: rsvp
        for rsvp in db.session.scalars(select(Rsvp).where(Rsvp.occurrence_id == occurrence_id))
    }
    for enrollment, _pseudonym in roster(program_id):
        if enrollment.status != EnrollmentStatus.CONFIRMED:
            continue
        rsvp = existing.get(enrollment.account_id)
        if rsvp is None:
            rsvp = Rsvp(
                occurrence_id=occurrence_id,
                account_id=enrollment.account_id,
                status=RsvpStatus.CONFIRMED,
                created_at=now,
            )
            db.session.add(rsvp)
        rsvp.attended = enrollment.account_id in present
    db.session.flush()
    counting.attendance_recorded(occurrence, before)


def attendance(occurrence_id: int) -> dict[int, bool | None]:
    """Return who was recorded as attending a meeting: account id -> attended."""
    rows = db.session.execute(
        select(Rsvp.account_id, Rsvp.attended).where(Rsvp.occurrence_id == occurrence_id)
    )
    return dict(rows.all())


def add_past_meeting(
    creator: Account, program_id: int, meeting: PastMeeting, present: set[int], *, now: datetime
) -> Occurrence:
    """Add a meeting of the program that already happened, and record who came to it.

    The meeting's local day must fall within the program (starts_on to ends_on, both
    included) and it must have started by `now`; it ends after it starts. Like any
    program meeting it has no hosts of its own (the program's run it), no capacity and
    no private venue. PastMeetingRefused (with the field it concerns) otherwise.
    """
    program = lock_program(program_id)
    schedule = scheduling.Schedule(
        first_day=meeting.day, starts=meeting.starts, ends=meeting.ends, capacity=None
    )
    try:
        (span,) = scheduling.occurrence_times(schedule, meeting.timezone)
    except errors.ScheduleInvalid as error:
        raise PastMeetingRefused(error.message, "ends") from error
    if not program.starts_on <= meeting.day <= program.ends_on:
        raise PastMeetingRefused(
            _l(
                "Please choose a day within the program, from %(start)s to %(end)s.",
                start=say_date(program.starts_on),
                end=say_date(program.ends_on),
            ),
            "day",
        )
    if span.starts_at > now:
        raise PastMeetingRefused(
            _l(
                "This is for a meeting that has already happened. To plan one ahead, "
                "use “Schedule meetings” instead."
            ),
            "starts",
        )
    event = Event(
        title=meeting.title,
        description="",
        is_online=False,
        area=meeting.area,
        venue="",
        timezone=meeting.timezone,
        program_id=program_id,
        created_by_id=creator.id,
        created_at=now,
    )
    occurrence = Occurrence(starts_at=span.starts_at, ends_at=span.ends_at, capacity=None)
    event.occurrences = [occurrence]
    db.session.add(event)
    db.session.flush()
    record_attendance(program_id, occurrence.id, present, now=now)
    return occurrence
