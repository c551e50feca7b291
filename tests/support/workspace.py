"""Builders for the staff home's tests: programs, meetings, places and RSVPs at exact
instants, written as rows (the services refuse a meeting in the past, and these tests need
meetings that ended, at the second).

Each builder works in the open session (call it inside an app context) and flushes; the
test commits, or reads in the same session.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from advocacy.accounts.models import Account
from advocacy.events.models import Event, EventHost, Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.programs.models import Enrollment, Program, ProgramHost
from advocacy.staff import workspace

# When every row was made: long before any instant the tests look at.
MADE = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
# Friday 27 November 2026, 07:00 in New York (UTC-5).
FRIDAY = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def home(account_id: int, now: datetime) -> workspace.Workspace:
    """The staff home of an account, in the open app context."""
    return workspace.staff_home(db.session.get(Account, account_id), now=now)


def titles(meetings: list[workspace.Meeting]) -> list[str]:
    """The titles of the meetings' events, in order."""
    return [m.event.title for m in meetings]


def add_program(
    title: str,
    hosts: Iterable[int],
    *,
    ends_on: date = date(2027, 6, 30),
    status: str = "open",
) -> int:
    """A program run by `hosts` (the first is its creator); return its id."""
    hosts = list(hosts)
    program = Program(
        title=title,
        kind="healing",
        summary="Eight weeks of peer support.",
        capacity=50,
        enrollment_opens_on=date(2026, 1, 1),
        enrollment_closes_on=date(2026, 1, 31),
        starts_on=date(2026, 2, 1),
        ends_on=ends_on,
        status=status,
        created_by_id=hosts[0] if hosts else None,
        created_at=MADE,
    )
    db.session.add(program)
    db.session.flush()
    db.session.add_all(ProgramHost(program_id=program.id, account_id=h) for h in hosts)
    db.session.flush()
    return program.id


def add_meeting(
    title: str,
    starts_at: datetime,
    *,
    hosts: Iterable[int] = (),
    program_id: int | None = None,
    minutes: int = 60,
    cancelled: bool = False,
    attended_count: int = 0,
    creator: int | None = None,
) -> int:
    """An event with one meeting from `starts_at`, run by `hosts` (host rows; a program
    meeting is run by its program's hosts); return the meeting's (occurrence's) id."""
    hosts = list(hosts)
    event = Event(
        title=title,
        area="Brooklyn",
        venue="Room 4B",
        timezone="America/New_York",
        program_id=program_id,
        created_by_id=creator or (hosts[0] if hosts else None),
        created_at=MADE,
    )
    db.session.add(event)
    db.session.flush()
    db.session.add_all(EventHost(event_id=event.id, account_id=h) for h in hosts)
    occurrence = Occurrence(
        event_id=event.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        capacity=None,
        taken=0,
        is_cancelled=cancelled,
        attended_count=attended_count,
    )
    db.session.add(occurrence)
    db.session.flush()
    return occurrence.id


def add_rsvps(
    occurrence_id: int,
    account_ids: Iterable[int],
    *,
    status: str = "confirmed",
    attended: bool | None = None,
) -> None:
    """RSVPs of these accounts to the meeting, with attendance as given."""
    db.session.add_all(
        Rsvp(
            occurrence_id=occurrence_id,
            account_id=a,
            status=status,
            attended=attended,
            created_at=MADE,
        )
        for a in account_ids
    )
    db.session.flush()


def add_places(
    program_id: int,
    account_ids: Iterable[int],
    *,
    status: str = "confirmed",
    completed_on: date | None = None,
    at: datetime = MADE,
) -> None:
    """Places (or requests, or places in the queue) of these accounts in the program."""
    db.session.add_all(
        Enrollment(
            program_id=program_id,
            account_id=a,
            status=status,
            completed_on=completed_on,
            created_at=at,
        )
        for a in account_ids
    )
    db.session.flush()
