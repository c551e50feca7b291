"""What the programs domain holds about an account: enrollments and letters."""

from __future__ import annotations

from sqlalchemy import select

from advocacy import clock
from advocacy.events import services as events
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.programs.models import CompletionLetter, Enrollment, EnrollmentStatus, Program
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
        db.session.scalars(select(Enrollment).where(Enrollment.account_id == account.id))
    ):
        remove_enrollment(enrollment, now=clock.now())
    db.session.execute(
        db.update(Program).where(Program.created_by_id == account.id).values(created_by_id=None)
    )


registry.register("programs", export=export_enrollments, delete=delete_enrollments)
events.register_program_membership(member_programs)
