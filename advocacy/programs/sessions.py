"""Sessions a member with a place follows at their own pace (issue 16; DESIGN §3 Programs).

The rules:

- The staff who run a program (programs/hosts.py: runs) write its sessions in order: a
  title, a Markdown body (shown through advocacy/sanitize.py), an optional prompt to think
  about and an optional estimate in whole minutes (MINUTES: 1 to 240). They change, move
  (one place up or down) and delete them; positions stay 1, 2, 3… with no gap. Every
  change holds the program's row (services.lock_program), so two at once never give two
  sessions one place.
- A member with a confirmed place (a completed one too) opens them, marks one done and
  takes the mark back, and reads "3 of 8 done". The mark is only (place, session): nothing
  a member writes is stored for a session, and no time is kept. It is part of the place
  (SessionProgress, ON DELETE CASCADE), so it goes with it: withdrawal, a declined
  request, the account's deletion, the enrollment purge (programs/privacy.py).
- Staff see, per session, only how many members marked it done, shown by the reports'
  small-number rule (advocacy/reports/suppression.py: cell, 1 to 4 reads "fewer than 5").
  No identity ties one session's count to another's (a member may mark any of them, in
  any order), so that rule is the whole of it, as for a measure of the reports outside a
  tied group.

Services flush, never commit; refusals are ProgramError with a calm message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs.models import (
    Enrollment,
    EnrollmentStatus,
    ProgramSession,
    SessionProgress,
)
from advocacy.programs.services import ProgramError, lock_program
from advocacy.reports.suppression import Figure, cell

MINUTES = range(1, 241)  # an estimate from 1 minute to 4 hours
TITLE_MAX = 120
BODY_MAX = 20_000
PROMPT_MAX = 1_000


class SessionGone(ProgramError):
    message = _l("That session is no longer there. Here are the sessions as they are now.")


class NoPlaceForSessions(ProgramError):
    message = _l("Sessions open once you have a confirmed place in the program.")


@dataclass(frozen=True)
class SessionDetails:
    """What staff type about a session: `minutes` None when not said."""

    title: str
    body: str
    prompt: str
    minutes: int | None


@dataclass(frozen=True)
class Finished:
    """One session as staff see it: how many members marked it done, as a report shows it."""

    session: ProgramSession
    figure: Figure


def check(details: SessionDetails) -> None:
    """Refuse details the form would not send (ProgramError, with a calm message)."""
    if not details.title.strip() or len(details.title) > TITLE_MAX:
        raise ProgramError(_l("Please give the session a title of up to 120 characters."))
    if not details.body.strip() or len(details.body) > BODY_MAX:
        raise ProgramError(_l("Please write the session, in up to 20,000 characters."))
    if len(details.prompt) > PROMPT_MAX:
        raise ProgramError(_l("Please keep the prompt under 1,000 characters."))
    if details.minutes is not None and details.minutes not in MINUTES:
        raise ProgramError(_l("Choose from 1 to 240 minutes, or leave it empty."))


# Staff write them


def sessions_of(program_id: int) -> list[ProgramSession]:
    """Return the program's sessions in order (one query)."""
    return list(
        db.session.scalars(
            select(ProgramSession)
            .where(ProgramSession.program_id == program_id)
            .order_by(ProgramSession.position, ProgramSession.id)
        )
    )


def count_of(program_id: int) -> int:
    """Return how many sessions the program has."""
    return db.session.scalar(
        select(func.count())
        .select_from(ProgramSession)
        .where(ProgramSession.program_id == program_id)
    )


def session_in(program_id: int, session_id: int) -> ProgramSession | None:
    """Return the session if it belongs to the program."""
    found = db.session.get(ProgramSession, session_id)
    return found if found is not None and found.program_id == program_id else None


def held_session(program_id: int, session_id: int) -> ProgramSession:
    """Hold the program's row, then return its session; SessionGone if it is not there."""
    lock_program(program_id)
    found = session_in(program_id, session_id)
    if found is None:
        raise SessionGone()
    return found


def add_session(program_id: int, details: SessionDetails, *, now: datetime) -> ProgramSession:
    """Add a session after the program's last one."""
    check(details)
    lock_program(program_id)
    last = db.session.scalar(
        select(func.max(ProgramSession.position)).where(ProgramSession.program_id == program_id)
    )
    made = ProgramSession(
        program_id=program_id, position=(last or 0) + 1, created_at=now, **details.__dict__
    )
    db.session.add(made)
    db.session.flush()
    return made


def update_session(program_id: int, session_id: int, details: SessionDetails) -> ProgramSession:
    """Change a session's words; members' marks stay."""
    check(details)
    found = held_session(program_id, session_id)
    for name, value in details.__dict__.items():
        setattr(found, name, value)
    db.session.flush()
    return found


def renumber(ordered: list[ProgramSession]) -> None:
    """Give the sessions positions 1, 2, 3… in the order given."""
    for position, each in enumerate(ordered, start=1):
        if each.position != position:
            each.position = position
    db.session.flush()


def move_session(program_id: int, session_id: int, step: int) -> bool:
    """Move a session one place earlier (step -1) or later (+1); return False when it is
    already first or last (nothing changes)."""
    found = held_session(program_id, session_id)
    ordered = sessions_of(program_id)
    at = ordered.index(found)
    to = at + step
    if step not in (-1, 1) or not 0 <= to < len(ordered):
        return False
    ordered[at], ordered[to] = ordered[to], ordered[at]
    renumber(ordered)
    return True


def delete_session(program_id: int, session_id: int) -> ProgramSession:
    """Delete a session (members' marks of it go too); the rest close up."""
    found = held_session(program_id, session_id)
    db.session.delete(found)
    db.session.flush()
    renumber(sessions_of(program_id))
    return found


def finished_counts(program_id: int) -> list[Finished]:
    """Return each session in order with how many members marked it done, small counts
    hidden (the rule: this module's docstring), in one query."""
    per_session = (
        select(SessionProgress.session_id, func.count(SessionProgress.id).label("done"))
        .group_by(SessionProgress.session_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ProgramSession, func.coalesce(per_session.c.done, 0))
        .outerjoin(per_session, per_session.c.session_id == ProgramSession.id)
        .where(ProgramSession.program_id == program_id)
        .order_by(ProgramSession.position, ProgramSession.id)
    )
    return [Finished(found, cell(done)) for found, done in rows]


# Members follow them


def place_for_sessions(account_id: int, program_id: int, *, hold: bool = False) -> Enrollment:
    """Return the account's confirmed place in the program (held until the transaction
    ends when `hold`); NoPlaceForSessions without one."""
    query = select(Enrollment).where(
        Enrollment.account_id == account_id,
        Enrollment.program_id == program_id,
        Enrollment.status == EnrollmentStatus.CONFIRMED,
    )
    place = db.session.scalar(query.with_for_update() if hold else query)
    if place is None:
        raise NoPlaceForSessions()
    return place


def done_ids(enrollment_id: int) -> set[int]:
    """Return the ids of the sessions this place marked done (one query)."""
    return set(
        db.session.scalars(
            select(SessionProgress.session_id).where(SessionProgress.enrollment_id == enrollment_id)
        )
    )


def mark(account: Account, program_id: int, session_id: int, *, done: bool) -> bool:
    """Mark a session done (or take the mark back) for the account's confirmed place;
    return whether the session was done before. Marking twice keeps one mark (INSERT … ON
    CONFLICT DO NOTHING, so two at once do too).

    NoPlaceForSessions without a confirmed place; SessionGone if the session is not the
    program's.
    """
    found = held_session(program_id, session_id)  # the program's row first, as withdraw()
    place = place_for_sessions(account.id, program_id, hold=True)
    was = found.id in done_ids(place.id)
    if done:
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        db.session.execute(
            insert(SessionProgress)
            .values(enrollment_id=place.id, session_id=found.id)
            .on_conflict_do_nothing(index_elements=["enrollment_id", "session_id"])
        )
    else:
        db.session.execute(
            delete(SessionProgress).where(
                SessionProgress.enrollment_id == place.id,
                SessionProgress.session_id == found.id,
            )
        )
    db.session.flush()
    return was
