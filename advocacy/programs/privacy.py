"""What the programs domain holds about an account: enrollments and letters."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from advocacy import clock
from advocacy.events import services as events
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy.rules import rule_for
from advocacy.programs.models import (
    CompletionLetter,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramHost,
)
from advocacy.programs.services import remove_enrollment


def member_programs(account_id: int):
    """Program ids whose meetings the account may see: confirmed places."""
    return select(Enrollment.program_id).where(
        Enrollment.account_id == account_id, Enrollment.status == EnrollmentStatus.CONFIRMED
    )


def export_enrollments(account) -> list[dict]:
    """Return the account's enrollments (letters: how many were issued, never codes)."""
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
        result.append(
            {
                "program": title,
                "status": enrollment.status,
                "requested_at": enrollment.created_at.isoformat(),
                "completed_on": enrollment.completed_on.isoformat()
                if enrollment.completed_on
                else None,
                "letters_issued_at": [issued.isoformat() for issued in letters],
            }
        )
    return result


def delete_enrollments(account) -> None:
    """Delete the account's enrollments and letters; freed places go to the queue."""
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


def summarize(account) -> list[registry.Held]:
    """Say how many places in programs the account has and when they go."""
    days = rule_for("enrollment").days
    return [
        registry.Held(
            str(_l("Places in programs, with attendance and completion")),
            registry.count_where(Enrollment, Enrollment.account_id == account.id),
            str(_l("%(days)s days after each program ends (only counts stay)", days=days)),
        )
    ]


def expired_enrollments(now: datetime, days: int):
    """Enrollments in programs that ended more than `days` ago."""
    ended = select(Program.id).where(Program.ends_on < clock.local_date(now) - timedelta(days=days))
    return Enrollment.program_id.in_(ended)


def purge_enrollments(now: datetime, days: int, size: int) -> int:
    """Keep how many took part and finished each program, then delete a batch."""
    batch = list(
        db.session.scalars(
            select(Enrollment)
            .where(expired_enrollments(now, days))
            .limit(size)
            .with_for_update(skip_locked=True)
        )
    )
    took_part = Counter(e.program_id for e in batch if e.status == EnrollmentStatus.CONFIRMED)
    finished = Counter(e.program_id for e in batch if e.completed_on is not None)
    for program_id in sorted(took_part.keys() | finished.keys()):
        db.session.execute(
            db.update(Program)
            .where(Program.id == program_id)
            .values(
                enrolled_count=Program.enrolled_count + took_part[program_id],
                completed_count=Program.completed_count + finished[program_id],
            )
        )
    if batch:
        db.session.execute(db.delete(Enrollment).where(Enrollment.id.in_([e.id for e in batch])))
    return len(batch)


registry.register(
    "programs", export=export_enrollments, delete=delete_enrollments, summary=summarize
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
events.register_program_membership(member_programs)
