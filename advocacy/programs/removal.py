"""Removing a program that has ended from one's account (DESIGN §1: members can take back
what is kept about them; a survivor may need the record that they took part gone).

The rule: once a program has ended (services.has_ended: its last day is over in the site's
time zone, or staff marked it "Ended"), there is no place left to give up, so there is no
withdrawal and nothing goes to the waiting list (services.withdraw refuses). Instead the
member may remove the program from their account (remove_ended), which deletes:

- their place, or their request for one;
- their attendance at the program's meetings (how many came to each meeting is kept);
- the sessions they marked done, and their completion letters, whose codes then no longer
  verify (both go with the place: ON DELETE CASCADE);
- their notices about the program (those linking to its pages or its meetings).

What stays names nobody: the monthly counts funders read (reports/counting.py: nothing is
counted for a removal, so they are as they were), how many came to each meeting, how many
took part in and completed the program (Program.enrolled_count and completed_count, kept
as the enrollment purge keeps them), and the account's eligibility to mentor. Nobody is
told; staff simply no longer see the member on the roster.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, update

from advocacy.accounts.models import Account
from advocacy.events.models import Rsvp
from advocacy.extensions import db
from advocacy.notices.services import forget_notices_about
from advocacy.programs.completion import letter_link, program_link
from advocacy.programs.models import (
    HOLDS_PLACE,
    CompletionLetter,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramKind,
    SessionProgress,
)
from advocacy.programs.services import (
    ProgramError,
    attendance_of,
    delete_place,
    enrollment_of,
    has_ended,
    lock_program,
    meetings_of,
    release_place,
)


class NotEnded(ProgramError):
    message = _l(
        "This program hasn't ended yet, so there is nothing to remove. You can withdraw "
        "from it instead."
    )


class NothingToRemove(ProgramError):
    message = _l("This program is not on your account, so there is nothing to remove.")


@dataclass(frozen=True)
class WhatGoes:
    """What removing the program would delete from the account: its `enrollment` (with
    `completed_on`, if any), the meetings where its attendance was taken (`recorded`) and
    how many of those it came to (`came`), the sessions marked done, the letters issued."""

    enrollment: Enrollment
    recorded: int
    came: int
    sessions_done: int
    letters: int


def what_goes(account_id: int, program_id: int) -> WhatGoes | None:
    """Return what removing the program would delete from the account (None: nothing of
    it is on the account). Reads only."""
    enrollment = enrollment_of(account_id, program_id)
    if enrollment is None:
        return None
    recorded, came = db.session.execute(
        select(func.count(Rsvp.id), func.count(case((Rsvp.attended.is_(True), 1)))).where(
            attendance_of(enrollment), Rsvp.attended.is_not(None)
        )
    ).one()
    of_place = (SessionProgress.enrollment_id == enrollment.id,)
    sessions_done = db.session.scalar(select(func.count(SessionProgress.id)).where(*of_place))
    letters = db.session.scalar(
        select(func.count(CompletionLetter.id)).where(
            CompletionLetter.enrollment_id == enrollment.id
        )
    )
    return WhatGoes(enrollment, recorded, came, sessions_done, letters)


def keep_place_counts(enrollments: Iterable[Enrollment]) -> None:
    """Before places in programs are deleted for good, add to each program's kept counts
    how many of them took part (confirmed) and completed (DESIGN §4: only counts stay)."""
    places = list(enrollments)
    took_part = Counter(e.program_id for e in places if e.status == EnrollmentStatus.CONFIRMED)
    finished = Counter(e.program_id for e in places if e.completed_on is not None)
    # One global lock order (by id), as the purge's other updates.
    for program_id in sorted(took_part.keys() | finished.keys()):
        db.session.execute(
            update(Program)
            .where(Program.id == program_id)
            .values(
                enrolled_count=Program.enrolled_count + took_part[program_id],
                completed_count=Program.completed_count + finished[program_id],
            )
        )


def keep_eligibility_explained(enrollment: Enrollment) -> None:
    """Before a completed leadership place goes, mark the account's other leadership
    completions as eligible for a reason none on record explains
    (Enrollment.mentor_eligible_elsewhere), so undoing one of them the day it was recorded
    leaves the eligibility this one gave (programs/completion.py undo_completion)."""
    program = db.session.get(Program, enrollment.program_id)
    if enrollment.completed_on is None or program.kind != ProgramKind.LEADERSHIP:
        return
    leadership = select(Program.id).where(Program.kind == ProgramKind.LEADERSHIP)
    db.session.execute(
        update(Enrollment)
        .where(
            Enrollment.account_id == enrollment.account_id,
            Enrollment.id != enrollment.id,
            Enrollment.completed_on.is_not(None),
            Enrollment.program_id.in_(leadership),
        )
        .values(mentor_eligible_elsewhere=True),
        execution_options={"synchronize_session": "fetch"},
    )


def links_about(program_id: int) -> list[str]:
    """Return the paths a notice about the program links to: its page, the letter page and
    each of its meetings."""
    meetings = db.session.scalars(meetings_of(program_id))
    return [program_link(program_id), letter_link(program_id)] + [
        f"/events/{occurrence_id}" for occurrence_id in meetings
    ]


def remove_ended(account: Account, program_id: int, *, now: datetime) -> None:
    """Remove a program that has ended at `now` (services.has_ended) from the account, as
    this module's docstring says: its place or request with everything kept with it, and
    its notices about it. No place passes on, nobody is told, nothing is counted.

    NotEnded before the end (withdraw instead); NothingToRemove when nothing of the program
    is on the account (a second send of the same form). Flushes, never commits.
    """
    program = lock_program(program_id)
    if not has_ended(program, now):
        raise NotEnded()
    enrollment = enrollment_of(account.id, program_id)
    if enrollment is None:
        raise NothingToRemove()
    held = enrollment.status in HOLDS_PLACE
    keep_place_counts([enrollment])
    keep_eligibility_explained(enrollment)
    forget_notices_about(account.id, links_about(program_id))
    delete_place(enrollment)
    if held:
        release_place(program_id)  # `taken` counts the places held; it goes to nobody
