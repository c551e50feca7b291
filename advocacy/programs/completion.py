"""Completing a program: recorded by those who run it, undone the same day, and proved by a
verifiable completion letter (issue 13, point 2; DESIGN §3 Programs).

The rules:

- complete(): only a confirmed place, only once, and not before the program's first day
  (`starts_on`) in the site's time zone (clock.local_date of `now`); that local date is
  the day recorded. Pages and letters say the day it was completed (completion_day): that
  day, or the program's last day when it was recorded after the program ended. The
  member gets one notice, "program_completed", linking to their letter page
  (letter_link). A leadership program makes the account eligible to become a mentor (an
  admin still makes the role change).
- undo_completion(): only on the local day the completion was recorded. It clears the
  day, deletes every letter issued for it (their codes no longer verify), withdraws the
  notice, and takes back the mentor eligibility this completion gave, unless the account
  has another leadership completion on record or was eligible for a reason no completion
  on record explains (Enrollment.mentor_eligible_elsewhere: one purged long ago). The
  member is told, calmly and without blame, that the program's staff corrected its
  completion record and that they can ask them ("completion_corrected", linking to the
  program; its only param is the program's title: nobody is named, no reason given). A
  completion recorded again withdraws that notice: the completion notice says it all.
- issue_letter(): a fresh verification code for a completed place, made from a random
  seed (security.codes_from_seed); only its hash is kept. The seed, kept in the member's
  session (never stored), shows that same letter again (shown_letter): so the letter is
  made by a POST and read at a GET address, and Reload never makes another code.
- verify_letter(): the program and completion a code belongs to, never who holds it.

Services flush, never commit; refusals are ProgramError with a calm message.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from advocacy.accounts import mentoring
from advocacy.accounts.models import Account
from advocacy.clock import local_date
from advocacy.database import commit_before_slow_work
from advocacy.extensions import db, passwords
from advocacy.i18n import say_date
from advocacy.notices.services import notify, withdraw_notices
from advocacy.programs.models import (
    CompletionLetter,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramKind,
)
from advocacy.programs.services import (
    ProgramError,
    enrollment_in,
    enrollment_of,
    lock_program,
)
from advocacy.reports.counting import Measure, count
from advocacy.security import code_selector, codes_from_seed, normalize_code

# The notices a member gets for a completion, and for one undone (notices/services.py
# MESSAGES).
COMPLETED_NOTICE = "program_completed"
CORRECTED_NOTICE = "completion_corrected"
# A letter's code: 4 groups of 4 (80 bits), the first group its selector.
CODE_GROUPS = 4
SEED_BYTES = 32


@dataclass(frozen=True)
class Letter:
    """A completion letter as shown: its program, the completed place, its code as
    printed, and the seed the code comes from (for the member's session, never stored)."""

    program: Program
    enrollment: Enrollment
    code: str
    seed: bytes


def letter_link(program_id: int) -> str:
    """Return the path of the member's letter page for a program (what the notice links to)."""
    return f"/programs/{program_id}/letter"


def program_link(program_id: int) -> str:
    """Return the path of the program's page (what the correction notice links to)."""
    return f"/programs/{program_id}"


def roster_entry(program_id: int, enrollment_id: int) -> tuple[Enrollment, str] | None:
    """Return an enrollment of this program with its member's pseudonym, or None."""
    row = db.session.execute(
        select(Enrollment, Account.pseudonym)
        .join(Account, Enrollment.account_id == Account.id)
        .where(Enrollment.id == enrollment_id, Enrollment.program_id == program_id)
    ).first()
    return tuple(row) if row else None


def other_leadership_completion(enrollment: Enrollment) -> bool:
    """Return whether the account completed another leadership program (one on record)."""
    found = db.session.scalar(
        select(Enrollment.id)
        .join(Program, Enrollment.program_id == Program.id)
        .where(
            Enrollment.account_id == enrollment.account_id,
            Enrollment.id != enrollment.id,
            Enrollment.completed_on.is_not(None),
            Program.kind == ProgramKind.LEADERSHIP,
        )
        .limit(1)
    )
    return found is not None


def may_complete_on(program: Program, now: datetime) -> bool:
    """Return whether completion can be recorded at `now`: from the program's first day
    (site's local date) on."""
    return local_date(now) >= program.starts_on


def completion_day(enrollment: Enrollment, program: Program) -> date | None:
    """The day a member completed the program, as their pages, letter and its verification
    say it: the day recorded (`completed_on`), or the program's last day (`ends_on`) when
    it was recorded after the program ended, as staff often do some days late (the member
    finished with the program). None when no completion is recorded. The day recorded
    itself is kept as it is: undo goes by it (may_undo_on)."""
    if enrollment.completed_on is None:
        return None
    return min(enrollment.completed_on, program.ends_on)


def may_undo_on(enrollment: Enrollment, now: datetime) -> bool:
    """Return whether the enrollment's completion can be undone at `now`: recorded on the
    same local date."""
    return enrollment.completed_on is not None and enrollment.completed_on == local_date(now)


def complete(program_id: int, enrollment_id: int, *, now: datetime) -> Enrollment:
    """Record that a member completed the program (the rules: this module's docstring).

    ProgramError: the enrollment is not the program's, not a confirmed place, already
    completed, or the program has not started yet (local date before `starts_on`).
    """
    program = lock_program(program_id)
    enrollment = enrollment_in(program_id, enrollment_id)
    if enrollment.status != EnrollmentStatus.CONFIRMED:
        raise ProgramError(_l("Only members with a confirmed place can complete a program."))
    if enrollment.completed_on is not None:
        raise ProgramError(_l("Completion is already recorded for this member."))
    if not may_complete_on(program, now):
        raise ProgramError(
            _l(
                "This program starts on %(day)s. Completion can be recorded from that day on.",
                day=say_date(program.starts_on),
            )
        )
    count(Measure.COMPLETED, program_id=program_id, now=now)
    enrollment.completed_on = local_date(now)
    if program.kind == ProgramKind.LEADERSHIP:
        account = db.session.get(Account, enrollment.account_id)
        enrollment.mentor_eligible_elsewhere = (
            account.is_mentor_eligible and not other_leadership_completion(enrollment)
        )
        mentoring.mark_eligible(account.id, now=now)
    withdraw_notices(enrollment.account_id, CORRECTED_NOTICE, program_link(program.id))
    notify(
        enrollment.account_id,
        COMPLETED_NOTICE,
        now=now,
        link=letter_link(program.id),
        title=program.title,
    )
    db.session.flush()
    return enrollment


def undo_completion(program_id: int, enrollment_id: int, *, now: datetime) -> Enrollment:
    """Take back a completion recorded today (the rules: this module's docstring).

    ProgramError: the enrollment is not the program's, has no completion, or its
    completion was recorded on another local date.
    """
    program = lock_program(program_id)
    enrollment = enrollment_in(program_id, enrollment_id)
    if enrollment.completed_on is None:
        raise ProgramError(_l("There is no completion to undo for this member."))
    if not may_undo_on(enrollment, now):
        raise ProgramError(
            _l(
                "Completion was recorded on %(day)s. It can be undone only on the day it "
                "was recorded, so it stays.",
                day=say_date(enrollment.completed_on),
            )
        )
    db.session.execute(
        delete(CompletionLetter).where(CompletionLetter.enrollment_id == enrollment.id)
    )
    withdraw_notices(enrollment.account_id, COMPLETED_NOTICE, letter_link(program.id))
    notify(
        enrollment.account_id,
        CORRECTED_NOTICE,
        now=now,
        link=program_link(program.id),
        title=program.title,
    )
    count(Measure.COMPLETED, program_id=program_id, now=now, by=-1)
    if (
        program.kind == ProgramKind.LEADERSHIP
        and not enrollment.mentor_eligible_elsewhere
        and not other_leadership_completion(enrollment)
    ):
        mentoring.take_back_eligibility(enrollment.account_id)
    enrollment.completed_on = None
    enrollment.mentor_eligible_elsewhere = False
    db.session.flush()
    return enrollment


# Completion letters


def letter_code(seed: bytes) -> str:
    """Return the code a seed gives a letter (security.codes_from_seed: keyed by the app's
    secret, so a seed read off a device gives nothing)."""
    return next(codes_from_seed(seed, "letter", CODE_GROUPS))


def completed_place(account: Account, program_id: int) -> Enrollment:
    """Return the account's completed place in the program; ProgramError otherwise."""
    enrollment = enrollment_of(account.id, program_id)
    if enrollment is None or enrollment.completed_on is None:
        raise ProgramError(_l("A letter is available once you have completed the program."))
    return enrollment


def issue_letter(account: Account, program_id: int, *, now: datetime) -> Letter:
    """Make a letter for the account's completed place: a fresh seed whose code's selector
    no letter has (drawn again otherwise); only the code's hash is kept.

    ProgramError: no completed place in the program.
    """
    enrollment = completed_place(account, program_id)
    while True:
        seed = secrets.token_bytes(SEED_BYTES)
        code = letter_code(seed)
        selector = code_selector(normalize_code(code))
        if (
            db.session.scalar(
                select(CompletionLetter.id).where(CompletionLetter.selector == selector)
            )
            is None
        ):
            break
    db.session.add(
        CompletionLetter(
            enrollment_id=enrollment.id,
            selector=selector,
            code_hash=passwords.hash_code(normalize_code(code)),
            issued_at=now,
        )
    )
    db.session.flush()
    return Letter(db.session.get(Program, program_id), enrollment, code, seed)


def shown_letter(account: Account, program_id: int, seed: bytes) -> Letter | None:
    """Return the letter `seed` made for the account's completed place in the program, while
    it stands; None when it does not (another account's or program's seed, a completion
    undone since, a place gone)."""
    enrollment = enrollment_of(account.id, program_id)
    if enrollment is None or enrollment.completed_on is None:
        return None
    code = normalize_code(letter_code(seed))
    stored = db.session.scalar(
        select(CompletionLetter.code_hash).where(
            CompletionLetter.selector == code_selector(code),
            CompletionLetter.enrollment_id == enrollment.id,
        )
    )
    # The hash too: a selector freed by an undo may since be another letter's.
    if stored is None or not passwords.verify_code(stored, code):
        return None
    return Letter(db.session.get(Program, program_id), enrollment, letter_code(seed), seed)


def verify_letter(code: str) -> tuple[Program, Enrollment] | None:
    """Return the program and completion a code belongs to, without who holds it."""
    normalized = normalize_code(code)
    letter = db.session.scalar(
        select(CompletionLetter).where(CompletionLetter.selector == code_selector(normalized))
    )
    stored = letter.code_hash if letter else None
    commit_before_slow_work()  # argon2id with no write lock held
    if not passwords.verify_code(stored, normalized):
        return None
    enrollment = db.session.get(Enrollment, letter.enrollment_id)
    return db.session.get(Program, enrollment.program_id), enrollment
