"""Attendance at an event's meeting: who had a place, and who came (recorded by the people
who run it once the meeting has started)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from advocacy.accounts.models import Account
from advocacy.events.errors import EventError
from advocacy.events.models import Rsvp, RsvpStatus
from advocacy.events.rsvps import lock_occurrence
from advocacy.extensions import db
from advocacy.reports import counting


def attendees(occurrence_id: int) -> list[tuple[Rsvp, str]]:
    """Return the RSVPs of an occurrence with pseudonyms, confirmed first then the queue."""
    rows = db.session.execute(
        select(Rsvp, Account.pseudonym)
        .join(Account)  # on rsvps.account_id, their one foreign key
        .where(Rsvp.occurrence_id == occurrence_id)
        .order_by(Rsvp.status, Rsvp.id)
    )
    return [tuple(row) for row in rows]


def counts(occurrence_id: int) -> dict[str, int]:
    """Return how many are confirmed and waiting."""
    rows = db.session.execute(
        select(Rsvp.status, func.count())
        .where(Rsvp.occurrence_id == occurrence_id)
        .group_by(Rsvp.status)
    )
    found = dict(rows.all())
    return {status.value: found.get(status.value, 0) for status in RsvpStatus}


def record_attendance(occurrence_id: int, present_ids: set[int], *, now: datetime) -> None:
    """Mark which confirmed attendees came (everyone else confirmed: did not come)."""
    occurrence = lock_occurrence(occurrence_id)
    if occurrence.starts_at > now:
        raise EventError(_l("Attendance can be recorded once the meeting has started."))
    before = counting.attendance(occurrence_id)
    for booking in db.session.scalars(
        select(Rsvp).where(Rsvp.occurrence_id == occurrence_id, Rsvp.status == RsvpStatus.CONFIRMED)
    ):
        booking.attended = booking.id in present_ids
    db.session.flush()
    counting.attendance_recorded(occurrence, before)
