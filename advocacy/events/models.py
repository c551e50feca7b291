"""Events (a series of one or more occurrences) and RSVPs to an occurrence."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.database import IDS_NEVER_REUSED, UTCDateTime
from advocacy.extensions import db


class RsvpStatus(enum.StrEnum):
    """Where an RSVP stands."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"


class Event(db.Model):
    """What staff schedule: the shared details of one or more occurrences."""

    __tablename__ = "events"
    __table_args__ = (IDS_NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    is_online: Mapped[bool] = mapped_column(default=False)
    # Public: a neighbourhood or "Online". Never the address.
    area: Mapped[str] = mapped_column(String(80))
    # Private: the address or meeting link, only for confirmed attendees and staff.
    venue: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(10), default="en")
    accessibility: Mapped[str] = mapped_column(Text, default="")
    # A series' RFC 5545 rule, read in `timezone`: "DTSTART:20270601T183000\nRRULE:FREQ=..."
    # (events/recurrence.py). None: a single meeting.
    recurrence_rule: Mapped[str | None] = mapped_column(Text)
    # Program meetings belong to a program; they go if the program row ever goes.
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    occurrences: Mapped[list[Occurrence]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Occurrence.starts_at",
    )


class EventHost(db.Model):
    """Someone who runs an event that belongs to no program: its creator, or a co-host.

    A program's meetings have no rows here: the program's hosts run them
    (advocacy/events/hosts.py).
    """

    __tablename__ = "event_hosts"
    __table_args__ = (
        UniqueConstraint("event_id", "account_id", name="uq_event_hosts_event_account"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )


class Occurrence(db.Model):
    """One meeting of an event, with its own time, capacity and state."""

    __tablename__ = "occurrences"
    __table_args__ = (
        Index("ix_occurrences_upcoming", "is_cancelled", "starts_at", "id"),
        # A series' meetings still to come (finding.series_counts), never every event's.
        Index("ix_occurrences_series", "event_id", "is_cancelled", "starts_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # None: no limit. `taken` counts confirmed places and is only ever changed by a
    # conditional UPDATE, so two requests can never take the last place.
    capacity: Mapped[int | None] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    # Kept when RSVPs are purged (DESIGN §4): how many came, never who.
    attended_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    event: Mapped[Event] = relationship(back_populates="occurrences")


class Rsvp(db.Model):
    """A member's place (or place in the queue) at one occurrence."""

    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "account_id", name="uq_rsvps_occurrence_account"),
        Index("ix_rsvps_waitlist", "occurrence_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("occurrences.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    # Recorded by staff after the meeting; None until then.
    attended: Mapped[bool | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
