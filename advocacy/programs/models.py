"""Programs, enrollments in them, and completion letters."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.database import IDS_NEVER_REUSED, UTCDateTime
from advocacy.extensions import db


class ProgramKind(enum.StrEnum):
    HEALING = "healing"
    LEADERSHIP = "leadership"


class ProgramStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class EnrollmentStatus(enum.StrEnum):
    PENDING = "pending"  # holds a place until staff decide
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"


# Statuses that hold one of the program's places.
HOLDS_PLACE = (EnrollmentStatus.PENDING, EnrollmentStatus.CONFIRMED)


class Program(db.Model):
    """A healing or leadership track that staff run."""

    __tablename__ = "programs"
    __table_args__ = (
        Index("ix_programs_listing", "status", "starts_on", "id"),
        # The program list: open ones first, then the rest (catalog.programs_page).
        Index("ix_programs_open_first", text("(status <> 'open')"), "starts_on", "id"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(12))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int] = mapped_column(Integer)
    # Places held by confirmed and pending enrollments; moved only by conditional UPDATEs.
    taken: Mapped[int] = mapped_column(Integer, default=0)
    enrollment_opens_on: Mapped[date] = mapped_column(Date)
    enrollment_closes_on: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    needs_approval: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default=ProgramStatus.DRAFT)
    # Kept when enrollments are purged (DESIGN §4): how many took part and finished.
    enrolled_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    completed_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProgramHost(db.Model):
    """Someone who runs a program: its creator, or a co-host the creator or an admin added.

    Only counts while the account is staff or admin (advocacy/programs/hosts.py); goes
    with the account, or when removed.
    """

    __tablename__ = "program_hosts"
    __table_args__ = (
        UniqueConstraint("program_id", "account_id", name="uq_program_hosts_program_account"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )


class Enrollment(db.Model):
    """A member's place (or request, or place in the queue) in a program."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("program_id", "account_id", name="uq_enrollments_program_account"),
        Index("ix_enrollments_queue", "program_id", "status", "id"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    # The site's local date (clock.local_date) staff recorded completion on.
    completed_on: Mapped[date | None] = mapped_column(Date)
    # Set when a leadership completion found the account already eligible to mentor with
    # no other leadership completion on record to explain it (one purged long ago): undoing
    # this completion then leaves that eligibility alone (programs/completion.py).
    mentor_eligible_elsewhere: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CompletionLetter(db.Model):
    """A verification code printed on a completion letter; only its hash is kept."""

    __tablename__ = "completion_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    selector: Mapped[str] = mapped_column(String(8), unique=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProgramSession(db.Model):
    """One session of a program that a member with a place follows at their own pace:
    staff-written Markdown (rendered through advocacy/sanitize.py), in `position` order."""

    __tablename__ = "program_sessions"
    __table_args__ = (
        Index("ix_program_sessions_order", "program_id", "position", "id"),
        IDS_NEVER_REUSED,  # a session's address carries its id
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    # 1, 2, 3… within the program; renumbered when a session moves or goes.
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    # A question to think about; there is nowhere to answer it (nothing a member writes
    # is stored for a session).
    prompt: Mapped[str] = mapped_column(Text, default="")
    # About how long it takes, in minutes (programs/sessions.py MINUTES); None: not said.
    minutes: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SessionProgress(db.Model):
    """That a member marked one session done: part of their place, so it goes with the
    enrollment (withdrawal, decline, account deletion, the purge) by its foreign key."""

    __tablename__ = "session_progress"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "session_id", name="uq_session_progress_enrollment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("program_sessions.id", ondelete="CASCADE"), index=True
    )
