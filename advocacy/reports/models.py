"""Monthly counts for reports: how many times each thing happened, per month and program.

No row names a person, so the purge and account deletion leave the numbers as they were.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.extensions import db


class Measure(enum.StrEnum):
    """What is counted (each counted in the service where it happens)."""

    # Places in programs (programs/services.py), per program.
    REQUESTED = "requested"  # a member asked for a place
    PLACE_GIVEN = "place_given"  # a place was confirmed (at once, approved, or from the queue)
    WAITLISTED = "waitlisted"  # a request went on the waiting list
    DECLINED = "declined"  # staff declined a request
    WITHDRAWN = "withdrawn"  # a member withdrew (an account's deletion is not counted)
    COMPLETED = "completed"  # staff recorded a completion (once per place)
    # Meetings (events/scheduling.py, programs/services.py): per program, or none for events
    # outside programs. Counted in the month the meeting started.
    MEETING_HELD = "meeting_held"  # attendance first recorded for at least one place
    RSVP = "rsvp"  # an RSVP to an event outside programs (a place or a place in the queue)
    ATTENDED = "attended"  # people recorded as present (a correction counts back)
    # The whole site (no program).
    NEW_MEMBER = "new_member"  # an account joined (accounts/joining.py)
    STORY_SUBMITTED = "story_submitted"  # a story sent for review (each sending)
    STORY_PUBLISHED = "story_published"  # a story published (not again for an edit)
    REPORT_FILED = "report_filed"  # a member reported a story
    REPORT_KEPT = "report_kept"  # a report a mentor decided on: story kept up
    REPORT_REMOVED = "report_removed"  # a report a mentor decided on: story taken down


class MonthlyCount(db.Model):
    """How many times `measure` happened in `month` (in the site's time zone) for a program.

    program_id is None for what belongs to no program (events outside programs, joining,
    stories). It is deliberately not a foreign key: counts outlive any row they were
    counted from, and setting a removed program's counts to NULL would merge them into
    the site's. Two partial unique indexes make one row per (month, program, measure),
    NULL included, so count() can upsert.
    """

    __tablename__ = "monthly_counts"
    __table_args__ = (
        Index(
            "uq_monthly_counts_program",
            "month",
            "program_id",
            "measure",
            unique=True,
            sqlite_where=db.text("program_id IS NOT NULL"),
            postgresql_where=db.text("program_id IS NOT NULL"),
        ),
        Index(
            "uq_monthly_counts_site",
            "month",
            "measure",
            unique=True,
            sqlite_where=db.text("program_id IS NULL"),
            postgresql_where=db.text("program_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The first day of the month.
    month: Mapped[date] = mapped_column(Date)
    program_id: Mapped[int | None] = mapped_column(Integer)
    measure: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer)
