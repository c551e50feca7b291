"""RSVPs with a private waiting list.

Capacity lives in the database: an occurrence's row is locked for the length of the
transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT … FOR UPDATE) and its `taken`
counter only moves by a conditional UPDATE, so two requests can never take the last place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from advocacy.accounts.models import Account
from advocacy.events.errors import AlreadyResponded, EventNotOpen, NoRsvp
from advocacy.events.models import Event, Occurrence, Rsvp, RsvpStatus
from advocacy.extensions import db
from advocacy.faults import fault_point
from advocacy.notices.services import notify
from advocacy.reports import counting


def rsvp_of(account_id: int, occurrence_id: int) -> Rsvp | None:
    """Return the account's RSVP to the occurrence, if any."""
    return db.session.scalar(
        select(Rsvp).where(Rsvp.account_id == account_id, Rsvp.occurrence_id == occurrence_id)
    )


def waitlist_position(rsvp: Rsvp) -> int:
    """Return the RSVP's place in the queue (1 = next)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .where(
            Rsvp.occurrence_id == rsvp.occurrence_id,
            Rsvp.status == RsvpStatus.WAITLISTED,
            Rsvp.id <= rsvp.id,
        )
    )


def lock_occurrence(occurrence_id: int) -> Occurrence:
    """Load the occurrence and hold its row until the transaction ends."""
    occurrence = db.session.scalar(
        select(Occurrence)
        .where(Occurrence.id == occurrence_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if occurrence is None:
        raise EventNotOpen()
    return occurrence


def take_place(occurrence_id: int) -> bool:
    """Take one confirmed place if any is left; the check and the count are one UPDATE."""
    result = db.session.execute(
        update(Occurrence)
        .where(
            Occurrence.id == occurrence_id,
            or_(Occurrence.capacity.is_(None), Occurrence.taken < Occurrence.capacity),
        )
        .values(taken=Occurrence.taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_place(occurrence_id: int) -> None:
    """Give one confirmed place back."""
    db.session.execute(
        update(Occurrence)
        .where(Occurrence.id == occurrence_id, Occurrence.taken > 0)
        .values(taken=Occurrence.taken - 1)
        .execution_options(synchronize_session=False)
    )


def rsvp(account: Account, occurrence_id: int, *, now: datetime) -> Rsvp:
    """Reserve a place, or a place in the queue when the meeting is full."""
    occurrence = lock_occurrence(occurrence_id)
    if occurrence.event.program_id is not None:
        raise EventNotOpen(_l("This is a program meeting: your place in the program is your RSVP."))
    if occurrence.is_cancelled or occurrence.starts_at <= now:
        raise EventNotOpen()
    if rsvp_of(account.id, occurrence_id) is not None:
        raise AlreadyResponded()
    confirmed = take_place(occurrence_id)
    fault_point("rsvp.place_taken")
    booking = Rsvp(
        occurrence_id=occurrence_id,
        account_id=account.id,
        status=RsvpStatus.CONFIRMED if confirmed else RsvpStatus.WAITLISTED,
        created_at=now,
    )
    db.session.add(booking)
    db.session.flush()
    counting.count(counting.Measure.RSVP, program_id=None, now=now)
    return booking


def fill_free_places(occurrence: Occurrence, event: Event, *, now: datetime) -> list[Rsvp]:
    """Confirm the longest-waiting RSVPs while places are free, and tell each of them.

    The caller holds the occurrence's lock, so the queue read here cannot change under us.
    """
    queue = db.session.scalars(
        select(Rsvp)
        .where(Rsvp.occurrence_id == occurrence.id, Rsvp.status == RsvpStatus.WAITLISTED)
        .order_by(Rsvp.id)
    ).all()
    promoted = []
    for waiting in queue:
        if not take_place(occurrence.id):
            break
        waiting.status = RsvpStatus.CONFIRMED
        notify(
            waiting.account_id,
            "waitlist_promoted",
            now=now,
            link=f"/events/{occurrence.id}",
            title=event.title,
        )
        promoted.append(waiting)
    db.session.flush()
    return promoted


def cancel_rsvp(account: Account, occurrence_id: int, *, now: datetime) -> list[Rsvp]:
    """Cancel the account's RSVP; a freed place goes to the next in the queue at once."""
    lock_occurrence(occurrence_id)
    booking = rsvp_of(account.id, occurrence_id)
    if booking is None:
        raise NoRsvp()
    return remove_rsvp(booking, now=now)


def remove_rsvp(booking: Rsvp, *, now: datetime) -> list[Rsvp]:
    """Delete an RSVP (its occurrence already locked) and pass a freed place on."""
    occurrence = lock_occurrence(booking.occurrence_id)
    was_confirmed = booking.status == RsvpStatus.CONFIRMED
    db.session.delete(booking)
    db.session.flush()
    if not was_confirmed:
        return []
    release_place(occurrence.id)
    if occurrence.is_cancelled or occurrence.starts_at <= now:
        return []
    return fill_free_places(occurrence, occurrence.event, now=now)


# A whole series


@dataclass(frozen=True)
class SeriesAnswer:
    """What an RSVP to a whole series did, meeting by meeting (each list soonest first)."""

    confirmed: list[Occurrence]  # a place taken
    waitlisted: list[Occurrence]  # full: on its waiting list
    already: list[Occurrence]  # an RSVP was there before; left as it was


def open_meetings(event_id: int, now: datetime) -> list[Occurrence]:
    """Return the event's meetings that still take RSVPs (not started, not cancelled),
    soonest first."""
    return list(
        db.session.scalars(
            select(Occurrence)
            .where(
                Occurrence.event_id == event_id,
                Occurrence.is_cancelled.is_(False),
                Occurrence.starts_at > now,
            )
            .order_by(Occurrence.starts_at, Occurrence.id)
        )
    )


def rsvp_series(account: Account, event_id: int, *, now: datetime) -> SeriesAnswer:
    """RSVP to every meeting of the event that still takes RSVPs: a place where one is
    left, the waiting list where it is full; a meeting already answered stays as it was.

    Each meeting is taken exactly as a single RSVP takes it (`rsvp`: its row locked, its
    place counted by a conditional UPDATE), in the order of the rows' ids, so two series
    RSVPs lock rows in the same order and never wait on each other in a circle.
    EventNotOpen when no meeting takes RSVPs or the event belongs to a program.
    """
    meetings = open_meetings(event_id, now)
    if not meetings:
        raise EventNotOpen()
    status_of: dict[int, str | None] = {}  # None: answered before
    for occurrence in sorted(meetings, key=lambda o: o.id):
        try:
            status_of[occurrence.id] = rsvp(account, occurrence.id, now=now).status
        except AlreadyResponded:
            status_of[occurrence.id] = None

    def having(status: str | None) -> list[Occurrence]:
        return [o for o in meetings if status_of[o.id] == status]

    return SeriesAnswer(
        confirmed=having(RsvpStatus.CONFIRMED),
        waitlisted=having(RsvpStatus.WAITLISTED),
        already=having(None),
    )


def cancel_series_rsvps(account: Account, event_id: int, *, now: datetime) -> int:
    """Cancel the account's RSVPs to the event's meetings that have not started yet (places
    freed go to the next person waiting, as `remove_rsvp` does); return how many. NoRsvp
    when there is none to cancel."""
    bookings = db.session.scalars(
        select(Rsvp)
        .join(Occurrence)  # on rsvps.occurrence_id, their one foreign key
        .where(
            Rsvp.account_id == account.id,
            Occurrence.event_id == event_id,
            Occurrence.starts_at > now,
        )
        .order_by(Rsvp.occurrence_id)
    ).all()
    if not bookings:
        raise NoRsvp(_l("You have no RSVPs to this group's meetings still to come."))
    for booking in bookings:
        remove_rsvp(booking, now=now)
    return len(bookings)
