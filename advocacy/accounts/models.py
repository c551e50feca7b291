"""Accounts: pseudonym, password hash, role, second factor, one-time codes."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.database import IDS_NEVER_REUSED, UTCDateTime
from advocacy.extensions import db


class Role(enum.StrEnum):
    """What an account may do (DESIGN §2)."""

    MEMBER = "member"
    MENTOR = "mentor"
    STAFF = "staff"
    ADMIN = "admin"


# DESIGN §2: mentors and admins moderate stories; staff do not.
MODERATING_ROLES = frozenset({Role.MENTOR, Role.ADMIN})

# These roles see other people's material, so they must use a second factor.
PRIVILEGED_ROLES = frozenset({Role.MENTOR, Role.STAFF, Role.ADMIN})


def new_session_token() -> str:
    """Return a fresh 256-bit session token."""
    return secrets.token_urlsafe(32)


class Account(UserMixin, db.Model):
    """A pseudonymous account. No email, phone, name, birth date, IP or device."""

    __tablename__ = "accounts"
    # Admins' "Eligible to mentor" list: eligible members, few among many accounts.
    __table_args__ = (
        Index("ix_accounts_mentor_eligible_role", "is_mentor_eligible", "role"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(30))
    # Case-folded pseudonym: uniqueness ignores case and look-alike forms.
    pseudonym_key: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default=Role.MEMBER)
    # Flask-Login's id: replacing it ends every session of the account at once.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    # The last time-step accepted, so a code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    is_discreet: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(10))
    # An IANA zone the member chose to see days in; None: the site's. It hints at where
    # someone lives: exported, and deleted with the account.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # A moderator's choice to have stories open at once on the review page (they start
    # closed otherwise: moderation/care.py). Kept for mentors and admins only; exported.
    opens_stories_in_review: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A date, never a time: enough for the inactivity rule, too coarse to track anyone.
    last_login_on: Mapped[date | None] = mapped_column(Date)
    # Set when a leadership program is completed; an admin still makes the role change.
    is_mentor_eligible: Mapped[bool] = mapped_column(default=False)
    # The eligible member's own answer (accounts/mentoring.py): True "interested", False
    # "not now", None not said. Only admins see it; it goes when they become a mentor.
    is_mentor_interested: Mapped[bool | None] = mapped_column()
    # Made a mentor from the pathway and not yet shown how moderation works here: their
    # next page (after second-factor setup) is that guide, then this is cleared.
    is_new_mentor: Mapped[bool] = mapped_column(default=False)
    # Set by an admin: every session ends and sign-in is refused until resumed.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by a mentor or admin: no new stories or reports until then.
    posting_stopped_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # False while new recovery codes may still be shown (until the member says they kept
    # them): a copied session cookie cannot bring them back afterwards.
    recovery_codes_kept: Mapped[bool] = mapped_column(default=True)
    # The member's choice: only their own recovery codes may reset the account.
    refuses_staff_resets: Mapped[bool] = mapped_column(default=False)

    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        """Return the session token, not the primary key (Flask-Login alternative tokens)."""
        return self.session_token

    @property
    def has_two_factor(self) -> bool:
        """Return whether a second factor is set up."""
        return self.totp_secret is not None

    @property
    def needs_two_factor(self) -> bool:
        """Return whether the role requires a second factor that is not set up yet."""
        return self.role in PRIVILEGED_ROLES and not self.has_two_factor

    def rotate_session_token(self) -> None:
        """End every session of this account (any copied cookie stops working)."""
        self.session_token = new_session_token()


class RecoveryCode(db.Model):
    """A one-time recovery code, stored as an argon2 hash behind a short selector."""

    __tablename__ = "recovery_codes"
    __table_args__ = (Index("ix_recovery_codes_account_selector", "account_id", "selector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    selector: Mapped[str] = mapped_column(String(8))
    code_hash: Mapped[str] = mapped_column(String(255))

    account: Mapped[Account] = relationship(back_populates="recovery_codes")


class ResetCode(db.Model):
    """A one-time, expiring reset code that staff hand over in person."""

    __tablename__ = "reset_codes"
    __table_args__ = (IDS_NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    selector: Mapped[str] = mapped_column(String(8), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Four eyes: a staff code works only once a second person has approved it.
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RetiredName(db.Model):
    """The keyed hash of a removed account's pseudonym key, so nobody can take the name.

    Only the hash is kept (never the name), until `retired_until`.
    """

    __tablename__ = "retired_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    retired_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Invite(db.Model):
    """An invite code: single or several uses, expiring, for one role."""

    __tablename__ = "invites"
    __table_args__ = (IDS_NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    selector: Mapped[str] = mapped_column(String(8), unique=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default=Role.MEMBER)
    uses_left: Mapped[int] = mapped_column(Integer, default=1)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
