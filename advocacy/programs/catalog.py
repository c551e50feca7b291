"""Programs themselves: staff make and change them (members with a place hear of it), and
members find them (drafts are for staff only), with their own place in each and the
program's meetings. Places, requests and the waiting list are programs/services.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, case, func, literal_column, or_, select, tuple_

from advocacy import clock
from advocacy.accounts.models import Account, Role
from advocacy.domain import page_cursor
from advocacy.events.models import Event, Occurrence
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.programs.models import (
    Enrollment,
    Program,
    ProgramHost,
    ProgramStatus,
)
from advocacy.programs.services import (
    ProgramError,
    fill_free_places,
    has_ended,  # the rule lives with places (withdrawal ends with it); named here too
    lock_program,
)

PAGE_SIZE = 20
MANAGERS = frozenset({Role.STAFF, Role.ADMIN})
# Members see these; drafts are for staff only.
VISIBLE_STATUSES = (
    ProgramStatus.OPEN,
    ProgramStatus.CLOSED,
    ProgramStatus.COMPLETED,
    ProgramStatus.CANCELLED,
)
# The program list's first key: open programs (false) before the rest (true). Written as
# ix_programs_open_first's expression, with 'open' in the SQL text, so the planner reads
# the list from that index in order.
LISTED_AFTER_OPEN = Program.status != literal_column(f"'{ProgramStatus.OPEN.value}'")


@dataclass(frozen=True)
class ProgramDetails:
    """What staff type about a program."""

    title: str
    kind: str
    summary: str
    description: str
    capacity: int
    enrollment_opens_on: date
    enrollment_closes_on: date
    starts_on: date
    ends_on: date
    needs_approval: bool
    status: str


def is_manager(account: Account | None) -> bool:
    """Return whether the account runs programs (staff and admins)."""
    return bool(account and account.is_authenticated and account.role in MANAGERS)


def check_dates(details: ProgramDetails) -> None:
    """Refuse dates that don't make sense together."""
    if details.enrollment_closes_on < details.enrollment_opens_on:
        raise ProgramError(_l("Enrollment must close after it opens."))
    if details.ends_on < details.starts_on:
        raise ProgramError(_l("The program must end after it starts."))


def create_program(creator: Account, details: ProgramDetails, *, now: datetime) -> Program:
    """Create a program; its creator is its first host (programs/hosts.py)."""
    check_dates(details)
    program = Program(**details.__dict__, created_by_id=creator.id, created_at=now)
    db.session.add(program)
    db.session.flush()
    db.session.add(ProgramHost(program_id=program.id, account_id=creator.id))
    db.session.flush()
    return program


class DraftWithRequests(ProgramError):
    """Back to draft refused: a draft is for staff only, so those with a place, a request or
    a place in the queue would lose its page and their way to withdraw or remove it."""

    field = "status"
    message = _l(
        "People have asked for a place in this program, so it can't go back to draft: they "
        "would no longer see it or be able to withdraw. Close it to new requests or cancel "
        "it instead."
    )


def update_program(program_id: int, details: ProgramDetails, *, now: datetime) -> Program:
    """Change a program; enrolled members are told of changes, or of a cancellation.

    DraftWithRequests when it would go back to draft while anyone has a place, a request or
    a place in the queue (nothing is changed then).
    """
    check_dates(details)
    program = lock_program(program_id)
    if details.status == ProgramStatus.DRAFT != program.status and has_requests(program_id):
        raise DraftWithRequests()
    was = (program.status, program.starts_on, program.ends_on, program.title)
    for name, value in details.__dict__.items():
        setattr(program, name, value)
    db.session.flush()
    fill_free_places(program, now=now)
    if program.status == ProgramStatus.CANCELLED and was[0] != ProgramStatus.CANCELLED:
        tell_enrolled(program, "program_cancelled", now=now)
    elif (program.starts_on, program.ends_on, program.title) != was[1:]:
        tell_enrolled(program, "program_changed", now=now)
    return program


def has_requests(program_id: int) -> bool:
    """Whether anyone has a place, a request or a place in the queue in the program."""
    held = select(Enrollment.id).where(Enrollment.program_id == program_id).exists()
    return bool(db.session.scalar(select(held)))


def tell_enrolled(program: Program, kind: str, *, now: datetime) -> None:
    """Leave a notice for everyone with a place, request or place in the queue."""
    for account_id in db.session.scalars(
        select(Enrollment.account_id).where(Enrollment.program_id == program.id)
    ):
        notify(account_id, kind, now=now, link=f"/programs/{program.id}", title=program.title)


# Finding


@dataclass(frozen=True)
class ListCursor:
    """Where a page of the program list ended: in the open programs or the rest
    (`in_rest`: after the open ones), at which program (its start day and id)."""

    in_rest: bool
    starts_on: date
    program_id: int

    def __str__(self) -> str:
        """The cursor as the next page's link carries it: "open_2027-01-04_12" or
        "rest_2027-01-04_12" (read back by read_list_cursor)."""
        part = "rest" if self.in_rest else "open"
        return f"{part}_{self.starts_on.isoformat()}_{self.program_id}"

    @classmethod
    def at(cls, program: Program) -> ListCursor:
        """The cursor just after `program`, in the part its status (as listed) puts it."""
        return cls(program.status != ProgramStatus.OPEN, program.starts_on, program.id)


def read_list_cursor(value: str) -> ListCursor | None:
    """Read a program list cursor from untrusted text ("open" or "rest", an ISO day and an
    id of 1 to 18 ASCII digits, joined by "_"); None for anything else, which shows the
    first page, as every list does (tests/test_paging.py)."""
    part, _, rest = value.partition("_")
    day, _, raw_id = rest.partition("_")
    program_id = page_cursor(raw_id)
    if part not in ("open", "rest") or program_id is None:
        return None
    try:
        starts_on = date.fromisoformat(day)
    except ValueError:  # not a day, or no such day
        return None
    # Only the day as a cursor writes it ("2027-01-04"): Python 3.11 also reads "20270104"
    # as that day, and "20270104" followed by any two characters.
    if starts_on.isoformat() != day:
        return None
    return ListCursor(part == "rest", starts_on, program_id)


def programs_page(viewer: Account, after: ListCursor | None) -> list[Program]:
    """Return one page of programs (PAGE_SIZE + 1 to tell if there is more): open ones
    first, then the rest (staff also see drafts there), each soonest start first."""
    return list(db.session.scalars(programs_query(viewer, after)))


def programs_query(viewer: Account, after: ListCursor | None) -> Select:
    """The query of programs_page: one, bounded, on ix_programs_open_first in its order,
    never a sort of every program ever run. After a page that ended in the rest, a range
    of that index; after one that ended among the open ones, the index from its start
    (open programs are few at a time)."""
    query = select(Program).limit(PAGE_SIZE + 1)
    if not is_manager(viewer):
        query = query.where(Program.status.in_(VISIBLE_STATUSES))
    if after is not None and after.in_rest:  # the first key is fixed: true
        return query.where(
            LISTED_AFTER_OPEN == True,  # noqa: E712 - the index's first key, equal to true
            tuple_(Program.starts_on, Program.id) > tuple_(after.starts_on, after.program_id),
        ).order_by(Program.starts_on, Program.id)
    if after is not None:
        query = query.where(
            tuple_(LISTED_AFTER_OPEN, Program.starts_on, Program.id)
            > tuple_(False, after.starts_on, after.program_id)
        )
    return query.order_by(LISTED_AFTER_OPEN, Program.starts_on, Program.id)


def get_program(program_id: int, viewer: Account) -> Program | None:
    """Return the program if the viewer may see it."""
    program = db.session.get(Program, program_id)
    if program is None or (program.status == ProgramStatus.DRAFT and not is_manager(viewer)):
        return None
    return program


def my_programs(
    account_id: int, *, now: datetime, limit: int = 5
) -> list[tuple[Program, Enrollment]]:
    """Return the account's programs with its place (one query): those still running
    first, soonest start first, then those that have ended (has_ended) and those it
    completed (whatever the program's status since), soonest start first; never a
    cancelled program (its notice said so)."""
    finished = or_(
        Enrollment.completed_on.is_not(None),
        Program.status == ProgramStatus.COMPLETED,
        Program.ends_on < clock.local_date(now),
    )
    rows = db.session.execute(
        select(Program, Enrollment)
        .join(Enrollment)
        .where(Enrollment.account_id == account_id, Program.status != ProgramStatus.CANCELLED)
        .order_by(case((finished, 1), else_=0), Program.starts_on, Program.id)
        .limit(limit)
    )
    return [tuple(row) for row in rows]


def endings(programs: list[Program], now: datetime) -> dict[int, date | None]:
    """Return, for each of the programs that has ended (has_ended), the day it ended: its
    last day once passed, None when staff marked it completed before then."""
    today = clock.local_date(now)
    return {
        program.id: program.ends_on if program.ends_on < today else None
        for program in programs
        if has_ended(program, now)
    }


def statuses_for(account_id: int, program_ids: list[int]) -> dict[int, str]:
    """Return the account's place in each program (one query): its enrollment status, or
    "completed" once completion is recorded (a completed place is no longer one to take up)."""
    if not program_ids:
        return {}
    values = {"account_id": account_id, "program_ids": program_ids}
    rows = db.session.execute(statuses_query(), values)
    return {pid: "completed" if done else status for pid, status, done in rows}


@cache
def statuses_query() -> Select:
    """statuses_for's statement, built once (building it cost about as much as running
    it): the account bound as `account_id`, the programs as `program_ids`."""
    return select(Enrollment.program_id, Enrollment.status, Enrollment.completed_on).where(
        Enrollment.account_id == bindparam("account_id"),
        Enrollment.program_id.in_(bindparam("program_ids", expanding=True)),
    )


def meetings(program_id: int) -> list[tuple[Occurrence, Event]]:
    """Return the program's meetings, soonest first."""
    rows = db.session.execute(
        select(Occurrence, Event)
        .join(Event)
        .where(Event.program_id == program_id)
        .order_by(Occurrence.starts_at, Occurrence.id)
    )
    return [tuple(row) for row in rows]


# Before asking for a place (issue 16: what any member may read on the program's page)

# How many meetings still to come the program's page lists by day and time.
SCHEDULE_SHOWN = 10


@dataclass(frozen=True)
class Schedule:
    """The program's meetings still to come, not cancelled, as anyone who may see the
    program reads them before asking: days and times, never the venue.

    `shown`: the first SCHEDULE_SHOWN, soonest first; `more`: how many come after them;
    `last`: the last of all (None when there is none).
    """

    shown: list[tuple[Occurrence, Event]]
    more: int
    last: tuple[Occurrence, Event] | None


def schedule(program_id: int, now: datetime) -> Schedule:
    """Return the meetings still to come at `now` (those not yet ended), in three queries
    however many there are."""
    to_come = (
        select(Occurrence, Event)
        .join(Event)
        .where(
            Event.program_id == program_id,
            Occurrence.is_cancelled.is_(False),
            Occurrence.ends_at > now,
        )
    )
    shown = [
        tuple(row)
        for row in db.session.execute(
            to_come.order_by(Occurrence.starts_at, Occurrence.id).limit(SCHEDULE_SHOWN)
        )
    ]
    total = db.session.scalar(select(func.count()).select_from(to_come.subquery()))
    last = db.session.execute(
        to_come.order_by(Occurrence.starts_at.desc(), Occurrence.id.desc()).limit(1)
    ).first()
    return Schedule(shown, max(total - len(shown), 0), tuple(last) if last else None)


def places_left(program: Program) -> int:
    """Return how many of the program's places nobody holds (confirmed or pending)."""
    return max(program.capacity - program.taken, 0)
