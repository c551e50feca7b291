"""Places in a program: enrollment with capacity, approval and a private waiting list,
withdrawal before the program ends (has_ended; after it, removal from one's account:
programs/removal.py); the roster and staff decisions on requests. Programs themselves
(made, changed, found) are in programs/catalog.py; attendance in programs/attendance.py;
completion, its undoing and letters in programs/completion.py.

Like events, capacity lives in the database: the program row is locked for the
transaction and `taken` only moves by a conditional UPDATE.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, select, update

from advocacy import clock
from advocacy.accounts.models import Account
from advocacy.domain import DomainError
from advocacy.events.models import Event, Occurrence, Rsvp
from advocacy.events.privacy import keep_attended_counts
from advocacy.extensions import db
from advocacy.faults import fault_point
from advocacy.notices.services import notify
from advocacy.programs.models import (
    HOLDS_PLACE,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramStatus,
)
from advocacy.reports import counting
from advocacy.reports.counting import Measure, count

# The roster: requests to decide first, then the members with a place, then the queue.
ROSTER_ORDER = (EnrollmentStatus.PENDING, EnrollmentStatus.CONFIRMED, EnrollmentStatus.WAITLISTED)


class ProgramError(DomainError):
    """A refused program action."""


class EnrollmentClosed(ProgramError):
    message = _l("This program isn't taking requests right now.")


class AlreadyEnrolled(ProgramError):
    message = _l("You have already asked for a place in this program.")


class NotEnrolled(ProgramError):
    message = _l("You don't have a place or request in this program.")


class ProgramEnded(ProgramError):
    message = _l(
        "This program has ended, so there is no place to withdraw from. You can remove it "
        "from your account instead."
    )


class EndedNothingHeld(ProgramError):
    message = _l("This program has ended, and there is nothing of it on your account.")


def has_ended(program: Program, now: datetime) -> bool:
    """Whether the program is over at `now`: its last day has passed in the site's calendar
    (clock.local_date), or staff marked it completed (shown as "Ended")."""
    return program.status == ProgramStatus.COMPLETED or program.ends_on < clock.local_date(now)


def enrollment_of(account_id: int, program_id: int) -> Enrollment | None:
    """Return the account's enrollment in the program, if any."""
    return db.session.scalar(
        select(Enrollment).where(
            Enrollment.account_id == account_id, Enrollment.program_id == program_id
        )
    )


def queue_position(enrollment: Enrollment) -> int:
    """Return the enrollment's place on the waiting list (1 = next)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Enrollment)
        .where(
            Enrollment.program_id == enrollment.program_id,
            Enrollment.status == EnrollmentStatus.WAITLISTED,
            Enrollment.id <= enrollment.id,
        )
    )


def is_member_of(account_id: int, program_id: int) -> bool:
    """Return whether the account has a confirmed place."""
    enrollment = enrollment_of(account_id, program_id)
    return enrollment is not None and enrollment.status == EnrollmentStatus.CONFIRMED


# Enrollment


def lock_program(program_id: int) -> Program:
    """Load the program and hold its row until the transaction ends."""
    program = db.session.scalar(
        select(Program)
        .where(Program.id == program_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if program is None:
        raise EnrollmentClosed()
    return program


def take_place(program_id: int) -> bool:
    """Take one place if any is left (check and count in one UPDATE)."""
    result = db.session.execute(
        update(Program)
        .where(Program.id == program_id, Program.taken < Program.capacity)
        .values(taken=Program.taken + 1)
    )
    return result.rowcount == 1


def release_place(program_id: int) -> None:
    """Give one place back."""
    db.session.execute(
        update(Program)
        .where(Program.id == program_id, Program.taken > 0)
        .values(taken=Program.taken - 1)
    )


def is_enrolling(program: Program, today: date) -> bool:
    """Return whether the program takes requests today."""
    return (
        program.status == ProgramStatus.OPEN
        and program.enrollment_opens_on <= today <= program.enrollment_closes_on
    )


def enroll(account: Account, program_id: int, *, now: datetime) -> Enrollment:
    """Ask for a place: confirmed, pending approval, or waiting when full."""
    program = lock_program(program_id)
    if not is_enrolling(program, clock.local_date(now)):
        raise EnrollmentClosed()
    if enrollment_of(account.id, program_id) is not None:
        raise AlreadyEnrolled()
    if take_place(program_id):
        status = EnrollmentStatus.PENDING if program.needs_approval else EnrollmentStatus.CONFIRMED
    else:
        status = EnrollmentStatus.WAITLISTED
    fault_point("enroll.place_taken")
    enrollment = Enrollment(
        program_id=program_id, account_id=account.id, status=status, created_at=now
    )
    db.session.add(enrollment)
    db.session.flush()
    count(Measure.REQUESTED, program_id=program_id, now=now)
    counting.enrollment_status(status, program_id=program_id, now=now)
    return enrollment


def fill_free_places(program: Program, *, now: datetime) -> list[Enrollment]:
    """Move the longest-waiting requests into free places (to approval if needed); none in
    a cancelled program or one that has ended at `now` (has_ended)."""
    moved = []
    if program.status == ProgramStatus.CANCELLED or has_ended(program, now):
        return moved
    while True:
        waiting = db.session.scalar(
            select(Enrollment)
            .where(
                Enrollment.program_id == program.id,
                Enrollment.status == EnrollmentStatus.WAITLISTED,
            )
            .order_by(Enrollment.id)
            .limit(1)
        )
        if waiting is None or not take_place(program.id):
            break
        if program.needs_approval:
            waiting.status = EnrollmentStatus.PENDING
            kind = "waitlist_to_approval"
        else:
            waiting.status = EnrollmentStatus.CONFIRMED
            kind = "waitlist_promoted"
        counting.enrollment_status(waiting.status, program_id=program.id, now=now)
        notify(
            waiting.account_id, kind, now=now, link=f"/programs/{program.id}", title=program.title
        )
        moved.append(waiting)
        db.session.flush()
    return moved


def meetings_of(program_id: int):
    """The ids of the program's meetings (a subquery)."""
    return select(Occurrence.id).join(Event).where(Event.program_id == program_id)


def attendance_of(enrollment: Enrollment):
    """The condition on RSVPs that are the enrollment's attendance at its program's meetings."""
    return and_(
        Rsvp.account_id == enrollment.account_id,
        Rsvp.occurrence_id.in_(meetings_of(enrollment.program_id)),
    )


def delete_place(enrollment: Enrollment) -> None:
    """Delete an enrollment with its attendance at the program's meetings (part of the
    place: programs/privacy.py; how many came to each meeting is kept), and by ON DELETE
    CASCADE its letters and the sessions marked done. The place's count is the caller's."""
    attendance = list(db.session.scalars(select(Rsvp).where(attendance_of(enrollment))))
    keep_attended_counts(attendance)
    db.session.execute(
        delete(Rsvp).where(Rsvp.id.in_([rsvp.id for rsvp in attendance])),
        execution_options={"synchronize_session": False},
    )
    db.session.delete(enrollment)
    db.session.flush()


def remove_enrollment(enrollment: Enrollment, *, now: datetime) -> list[Enrollment]:
    """Delete an enrollment (delete_place) and pass a freed place on (fill_free_places)."""
    program = lock_program(enrollment.program_id)
    held = enrollment.status in HOLDS_PLACE
    delete_place(enrollment)
    if not held:
        return []
    release_place(program.id)
    return fill_free_places(program, now=now)


def withdraw(account: Account, program_id: int, *, now: datetime) -> list[Enrollment]:
    """Withdraw from a program before it ends (not after completing it); the place goes to
    the next. ProgramEnded once it has ended (has_ended), EndedNothingHeld then without a
    place or request; NotEnrolled without one before."""
    ended = has_ended(lock_program(program_id), now)
    enrollment = enrollment_of(account.id, program_id)
    if ended:
        raise ProgramEnded() if enrollment else EndedNothingHeld()
    if enrollment is None:
        raise NotEnrolled()
    if enrollment.completed_on is not None:
        raise ProgramError(
            _l("You have completed this program, so there is nothing to withdraw from.")
        )
    count(Measure.WITHDRAWN, program_id=program_id, now=now)
    return remove_enrollment(enrollment, now=now)


# Staff decisions


def roster(program_id: int) -> list[tuple[Enrollment, str]]:
    """Return the enrollments with pseudonyms in ROSTER_ORDER, each status oldest first."""
    rows = db.session.execute(
        select(Enrollment, Account.pseudonym)
        .join(Account)
        .where(Enrollment.program_id == program_id)
        .order_by(Enrollment.id)
    )
    return sorted((tuple(row) for row in rows), key=lambda row: ROSTER_ORDER.index(row[0].status))


def enrollment_in(program_id: int, enrollment_id: int) -> Enrollment:
    """Return an enrollment of this program or refuse."""
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.program_id != program_id:
        raise ProgramError(_l("That request is no longer there."))
    return enrollment


def decide_request(
    program_id: int, enrollment_id: int, kind: str, *, note: str, now: datetime
) -> Enrollment:
    """Return a pending request of the program, locked, after telling its member the
    decision (notice `kind`, with staff's note); ProgramError if it is gone or decided."""
    program = lock_program(program_id)
    enrollment = enrollment_in(program_id, enrollment_id)
    if enrollment.status != EnrollmentStatus.PENDING:
        raise ProgramError(_l("That request was already decided."))
    link = f"/programs/{program.id}"
    notify(enrollment.account_id, kind, now=now, link=link, title=program.title, note=note)
    return enrollment


def approve(program_id: int, enrollment_id: int, *, note: str, now: datetime) -> Enrollment:
    """Confirm a pending request and tell the member."""
    enrollment = decide_request(
        program_id, enrollment_id, "enrollment_confirmed", note=note, now=now
    )
    enrollment.status = EnrollmentStatus.CONFIRMED
    counting.enrollment_status(enrollment.status, program_id=program_id, now=now)
    db.session.flush()
    return enrollment


def decline(program_id: int, enrollment_id: int, *, note: str, now: datetime) -> None:
    """Decline a pending request (the place goes on) and tell the member."""
    enrollment = decide_request(
        program_id, enrollment_id, "enrollment_declined", note=note, now=now
    )
    count(Measure.DECLINED, program_id=program_id, now=now)
    remove_enrollment(enrollment, now=now)
