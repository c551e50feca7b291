"""What the programs domain holds about an account: places (enrollments), attendance at
the programs' meetings, letters, and the sessions marked done.

Which sessions a member marked done (programs/sessions.py) is part of the place too: it
hangs off the enrollment (ON DELETE CASCADE), so it goes whenever the place goes (a
withdrawal, a declined request, the account's deletion, the enrollment purge), and is
exported with each place.

Attendance is part of the place (DESIGN §4: enrollments, kept 365 days after the program
ends): staff decide completion on "came to N of M meetings" (programs/attendance.py), so it
must last as long as the program and its place do. It is stored as RSVP rows of the
program's meetings, but it is never an RSVP to an event (the events domain's RSVPs go 30
days after each event ends): here it is exported, said on the account page, deleted with
the account and purged with the places, from the program's end.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, select

from advocacy import clock
from advocacy.events import finding
from advocacy.events.models import Event, Occurrence, Rsvp
from advocacy.events.privacy import keep_attended_counts, meetings, purge_rsvps
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy.rules import rule_for
from advocacy.programs.models import (
    CompletionLetter,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramHost,
    ProgramSession,
    SessionProgress,
)
from advocacy.programs.removal import keep_place_counts
from advocacy.programs.services import remove_enrollment


def member_programs(account_id: int):
    """Program ids whose meetings the account may see: confirmed places."""
    return select(Enrollment.program_id).where(
        Enrollment.account_id == account_id, Enrollment.status == EnrollmentStatus.CONFIRMED
    )


def program_members(program_id: int):
    """Account ids with a confirmed place in the program, in the order they enrolled."""
    return (
        select(Enrollment.account_id)
        .where(Enrollment.program_id == program_id, Enrollment.status == EnrollmentStatus.CONFIRMED)
        .order_by(Enrollment.id)
    )


def export_enrollments(account) -> list[dict]:
    """Return the account's enrollments (letters: when each was issued, never codes; the
    titles of the sessions marked done, in the program's order)."""
    rows = db.session.execute(
        select(Enrollment, Program.title)
        .join(Program, Enrollment.program_id == Program.id)
        .where(Enrollment.account_id == account.id)
        .order_by(Enrollment.id)
    )
    result = []
    for enrollment, title in rows:
        letters = db.session.scalars(
            select(CompletionLetter.issued_at).where(
                CompletionLetter.enrollment_id == enrollment.id
            )
        )
        done = db.session.scalars(
            select(ProgramSession.title)
            .join(SessionProgress, SessionProgress.session_id == ProgramSession.id)
            .where(SessionProgress.enrollment_id == enrollment.id)
            .order_by(ProgramSession.position, ProgramSession.id)
        )
        result.append(
            {
                "program": title,
                "status": enrollment.status,
                "requested_at": enrollment.created_at.isoformat(),
                "completed_on": enrollment.completed_on.isoformat()
                if enrollment.completed_on
                else None,
                "letters_issued_at": [issued.isoformat() for issued in letters],
                "sessions_done": list(done),
            }
        )
    return result


def delete_enrollments(account) -> None:
    """Delete the account's enrollments, and with them (ON DELETE CASCADE) letters and
    sessions marked done; freed places go to the queue."""
    for enrollment in list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.account_id == account.id)
            .order_by(Enrollment.program_id)
        )
    ):
        remove_enrollment(enrollment, now=clock.now())


def export_programs_created(account) -> list[dict]:
    """Return the programs the account created (as staff); they stay when it goes."""
    programs = db.session.scalars(
        select(Program).where(Program.created_by_id == account.id).order_by(Program.id)
    )
    return [
        {
            "title": program.title,
            "kind": program.kind,
            "status": program.status,
            "starts_on": program.starts_on.isoformat(),
            "ends_on": program.ends_on.isoformat(),
            "created_at": program.created_at.isoformat(),
        }
        for program in programs
    ]


def unlink_programs_created(account) -> None:
    """Keep the programs the account created, no longer linked to it."""
    db.session.execute(
        db.update(Program).where(Program.created_by_id == account.id).values(created_by_id=None)
    )


def export_programs_run(account) -> list[str]:
    """Return the titles of the programs the account runs (or ran, if no longer staff)."""
    return list(
        db.session.scalars(
            select(Program.title)
            .join(ProgramHost, ProgramHost.program_id == Program.id)
            .where(ProgramHost.account_id == account.id)
            .order_by(ProgramHost.id)
        )
    )


def forget_programs_run(account) -> None:
    """Take the account off the people who run programs (the programs stay)."""
    db.session.execute(db.delete(ProgramHost).where(ProgramHost.account_id == account.id))


def attendance_in(*conditions):
    """Attendance rows (RSVPs) at meetings of programs meeting `conditions`."""
    return Rsvp.occurrence_id.in_(
        meetings(Event.program_id.in_(select(Program.id).where(*conditions)))
    )


def export_attendance(account) -> list[dict]:
    """Return the account's attendance at program meetings: program, meeting, when it
    started, whether they came, when it was first recorded."""
    rows = db.session.execute(
        select(Rsvp, Program.title, Event.title, Occurrence.starts_at)
        .join(Occurrence, Rsvp.occurrence_id == Occurrence.id)
        .join(Event, Occurrence.event_id == Event.id)
        .join(Program, Event.program_id == Program.id)
        .where(Rsvp.account_id == account.id)
        .order_by(Occurrence.starts_at, Rsvp.id)
    )
    return [
        {
            "program": program,
            "meeting": meeting,
            "starts_at": starts_at.isoformat(),
            "came": rsvp.attended,
            "recorded_at": rsvp.created_at.isoformat(),
        }
        for rsvp, program, meeting, starts_at in rows
    ]


def delete_attendance(account) -> None:
    """Delete the account's attendance at program meetings, with a place or without one,
    keeping how many came to each meeting (events/privacy.py keep_attended_counts), as a
    place's removal does (programs/services.py delete_place). It runs before the places
    go (holders are deleted in reverse order), so the places find none left to count."""
    attendance = list(
        db.session.scalars(select(Rsvp).where(Rsvp.account_id == account.id, attendance_in()))
    )
    keep_attended_counts(attendance)
    for rsvp in attendance:
        db.session.delete(rsvp)


def goes_with_places() -> str:
    """When places, and the attendance that is part of them, go (the enrollment rule)."""
    days = rule_for("enrollment").days
    return ngettext(
        "%(num)s day after each program ends (only counts stay)",
        "%(num)s days after each program ends (only counts stay)",
        days,
    )


def summarize(account) -> list[registry.Held]:
    """Say how many places in programs the account has (confirmed, completed or not), how
    many requests for one (waiting for staff to decide, or on a waiting list: never called
    places), and when they go."""
    mine = Enrollment.account_id == account.id
    return [
        registry.Held(
            str(_l("Places in programs, with completion")),
            registry.count_where(
                Enrollment, and_(mine, Enrollment.status == EnrollmentStatus.CONFIRMED)
            ),
            goes_with_places(),
        ),
        registry.Held(
            str(
                _l(
                    "Requests for a place in a program (waiting for staff to decide, or on a"
                    " waiting list)"
                )
            ),
            registry.count_where(
                Enrollment, and_(mine, Enrollment.status != EnrollmentStatus.CONFIRMED)
            ),
            goes_with_places(),
        ),
        registry.Held(
            str(_l("Sessions of programs you marked done")),
            registry.count_where(
                SessionProgress,
                SessionProgress.enrollment_id.in_(
                    select(Enrollment.id).where(Enrollment.account_id == account.id)
                ),
            ),
            goes_with_places(),
        ),
    ]


def summarize_attendance(account) -> list[registry.Held]:
    """Say at how many program meetings the account's attendance is recorded (came or
    not), and that it goes with the places."""
    return [
        registry.Held(
            str(_l("Program meetings with your attendance recorded (came or not)")),
            registry.count_where(Rsvp, and_(Rsvp.account_id == account.id, attendance_in())),
            goes_with_places(),
        )
    ]


def ended(now: datetime, days: int):
    """The condition on programs that ended more than `days` days before `now`'s date in
    the site's calendar (kept through the last day and `days` days after it)."""
    return Program.ends_on < clock.local_date(now) - timedelta(days=days)


def expired_enrollments(now: datetime, days: int):
    """Enrollments in programs that ended more than `days` ago."""
    return Enrollment.program_id.in_(select(Program.id).where(ended(now, days)))


def expired_attendance(now: datetime, days: int):
    """Attendance at meetings of programs that ended more than `days` ago: the rule of
    their places (expired_enrollments), whenever the meeting itself was."""
    return attendance_in(ended(now, days))


def purge_enrollments(now: datetime, days: int, size: int) -> int:
    """Keep how many took part and finished each program, then delete a batch of places in
    programs that ended more than `days` days ago; return how many went.

    Programs are claimed first, in id order, then their places: the order of every write to
    a program's places (services.lock_program). Both skip rows another transaction holds
    (a member removing an ended program, another purge), so the purge never waits and is
    never part of a deadlock (security review: a removal and an account's deletion lock
    programs too); what it skips goes on the next run. A batch shorter than `size` means no
    unclaimed program has an expired place left (each program claimed has one). Every place
    of a claimed program has expired with it; PostgreSQL reads a claimed row's condition
    again once it holds the row, so a program whose end staff just moved is spared.
    """
    has_places = select(Enrollment.id).where(Enrollment.program_id == Program.id).exists()
    claimed = db.session.scalars(
        select(Program.id)
        .where(ended(now, days), has_places)
        .order_by(Program.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    ).all()
    batch = list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.program_id.in_(claimed))
            .order_by(Enrollment.id)
            .limit(size)
            .with_for_update(skip_locked=True)
        )
    )
    keep_place_counts(batch)
    if batch:
        db.session.execute(db.delete(Enrollment).where(Enrollment.id.in_([e.id for e in batch])))
    return len(batch)


registry.register(
    "programs", export=export_enrollments, delete=delete_enrollments, summary=summarize
)
registry.register(
    "program_attendance",
    export=export_attendance,
    delete=delete_attendance,
    summary=summarize_attendance,
)
registry.register(
    "programs_created", export=export_programs_created, delete=unlink_programs_created
)
registry.register("programs_run", export=export_programs_run, delete=forget_programs_run)
registry.register_purger(
    "enrollment",
    "program enrollments",
    count=lambda now, days: registry.count_where(Enrollment, expired_enrollments(now, days)),
    batch=purge_enrollments,
)
registry.register_purger(
    "enrollment",
    "attendance at program meetings",
    count=lambda now, days: registry.count_where(Rsvp, expired_attendance(now, days)),
    batch=lambda now, days, size: purge_rsvps(expired_attendance(now, days), size),
)
finding.register_program_membership(member_programs, program_members)
