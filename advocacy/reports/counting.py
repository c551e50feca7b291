"""Counting as things happen: each domain's service calls count() where the thing it counts
is written, so the count commits or rolls back with it.

The lowest layer of the reports domain: it imports no other domain's services (only the
events and programs models), so every service may use it, as every service may
use notices.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy.dialects import postgresql, sqlite

from advocacy import clock
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.programs.models import EnrollmentStatus
from advocacy.reports.models import Measure, MonthlyCount


def month_of(moment: datetime) -> date:
    """Return the first day of the month `moment` falls in, in the site's time zone."""
    return clock.local_date(moment).replace(day=1)


def count(measure: Measure, *, program_id: int | None, now: datetime, by: int = 1) -> None:
    """Add `by` (may be negative; 0 writes nothing) to the measure's count for the month of
    `now` (timezone-aware; the month in the site's time zone) and the program (None: the
    whole site). Flushes in the caller's transaction, never commits.

    One INSERT … ON CONFLICT DO UPDATE SET count = count + by: two requests counting at
    once both add, on SQLite and PostgreSQL alike.
    """
    if by == 0:
        return
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(MonthlyCount).values(
        month=month_of(now), program_id=program_id, measure=str(measure), count=by
    )
    if program_id is None:
        columns = [MonthlyCount.month, MonthlyCount.measure]
        partial = MonthlyCount.program_id.is_(None)
    else:
        columns = [MonthlyCount.month, MonthlyCount.program_id, MonthlyCount.measure]
        partial = MonthlyCount.program_id.is_not(None)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=columns,
            index_where=partial,
            set_={"count": MonthlyCount.count + statement.excluded.count},
        )
    )


# What an enrollment's new status counts; pending (a place held for staff to decide) nothing yet.
STATUS_MEASURES = {
    EnrollmentStatus.CONFIRMED: Measure.PLACE_GIVEN,
    EnrollmentStatus.WAITLISTED: Measure.WAITLISTED,
}


def enrollment_status(status: str, *, program_id: int, now: datetime) -> None:
    """Count an enrollment reaching `status`: a place given (confirmed) or a wait."""
    if measure := STATUS_MEASURES.get(status):
        count(measure, program_id=program_id, now=now)


def attendance(occurrence_id: int) -> Counter:
    """Return how many of the meeting's RSVPs stand at each attendance value: a Counter
    {True: came, False: did not come, None: not recorded yet} (one query)."""
    return Counter(
        dict(
            db.session.execute(
                db.select(Rsvp.attended, db.func.count())
                .where(Rsvp.occurrence_id == occurrence_id)
                .group_by(Rsvp.attended)
            ).all()
        )
    )


def attendance_recorded(occurrence: Occurrence, before: Counter) -> None:
    """Count what recording attendance changed, given attendance(occurrence.id) from before.

    The meeting is held the first time attendance is recorded for at least one place
    (nothing was recorded before, something is now; a meeting whose came-count was kept
    when its rows went, by the purge or a withdrawal, was recorded before); "attended"
    moves by how many more (or fewer, for a correction) are recorded as present. Both in
    the month the meeting started, under its program (None outside programs).
    """
    after = attendance(occurrence.id)
    program_id = occurrence.event.program_id
    held_before = before[True] or before[False] or occurrence.attended_count
    if not held_before and (after[True] or after[False]):
        count(Measure.MEETING_HELD, program_id=program_id, now=occurrence.starts_at)
    count(
        Measure.ATTENDED,
        program_id=program_id,
        now=occurrence.starts_at,
        by=after[True] - before[True],
    )
