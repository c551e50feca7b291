"""A story: the author's working copy, the published version readers see, and reports."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.accounts.models import Account
from advocacy.database import IDS_NEVER_REUSED, UTCDateTime
from advocacy.extensions import db


class Status(enum.StrEnum):
    """Where the author's working copy is in review."""

    DRAFT = "draft"
    PENDING = "pending"
    CHANGES_REQUESTED = "changes_requested"
    DECLINED = "declined"
    PUBLISHED = "published"  # the working copy is the published version


class Audience(enum.StrEnum):
    MEMBERS = "members"
    PUBLIC = "public"


class Story(db.Model):
    """One story. Readers only ever see the published_* columns, never the working copy."""

    __tablename__ = "stories"
    __table_args__ = (
        # The reading list: newest first, keyset on (published_at, id).
        Index("ix_stories_published_at_id", "published_at", "id"),
        # The moderation queue: pending, oldest first.
        Index("ix_stories_status_submitted_at", "status", "submitted_at"),
        # "My stories".
        Index("ix_stories_author_id_updated_at", "author_id", "updated_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the author deleted their account but chose to keep the story as "Anonymous".
    author_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    # The working copy the author edits.
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    warning_note: Mapped[str] = mapped_column(String(120), default="")
    # Settings the author changes at any time, without review.
    audience: Mapped[str] = mapped_column(String(10), default=Audience.MEMBERS)
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    unpublish_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT)
    review_note: Mapped[str] = mapped_column(String(1000), default="")
    # How many identity-check findings the author was shown and chose to keep when they
    # last sent it for review (0: none were found), so the mentor is told. A count only,
    # never the text. NULL: sent before this was kept (migration 0018).
    findings_kept: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Drafts are deleted 180 days after the last edit; declined stories 30 days after it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The published version (all NULL until a mentor approves).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_title: Mapped[str | None] = mapped_column(String(120))
    published_body: Mapped[str | None] = mapped_column(Text)
    published_html: Mapped[str | None] = mapped_column(Text)
    html_version: Mapped[int | None] = mapped_column()
    published_warnings: Mapped[list | None] = mapped_column(JSON)
    published_warning_note: Mapped[str | None] = mapped_column(String(120))
    # Set when several members reported it: hidden until a mentor decides.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[Account | None] = relationship(lazy="raise")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @hybrid_property
    def byline_is_anonymous(self) -> bool:
        """Whether the byline says "Anonymous": chosen so, or the author is gone. Also a SQL
        expression (the reading list decides its bylines in the query)."""
        return self.is_anonymous or self.author_id is None

    @byline_is_anonymous.inplace.expression
    @classmethod
    def _byline_is_anonymous_expression(cls) -> ColumnElement[bool]:
        return or_(cls.is_anonymous, cls.author_id.is_(None))


class ReportCategory(enum.StrEnum):
    """Why a member reports a story (migration 0021 moved the older reasons to these)."""

    PRIVATE_DETAILS = "private_details"
    MISSING_WARNING = "missing_warning"
    HARASSMENT = "harassment"
    SPAM = "spam"
    OTHER = "other"  # the member says what in the note


class StoryReport(db.Model):
    """A member's report of a published story. Mentors never see who reported it."""

    __tablename__ = "story_reports"
    # Repeated reports of one story by one member count once.
    __table_args__ = (
        UniqueConstraint("story_id", "reporter_id", name="uq_story_reports_story_reporter"),
        Index("ix_story_reports_open", "resolved_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Reports are deleted 90 days after they are resolved.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # What the mentor decided: kept, warning_added, changes_requested or removed.
    outcome: Mapped[str | None] = mapped_column(String(20))


class StoryPreference(db.Model):
    """Which content warnings a member always wants hidden."""

    __tablename__ = "story_preferences"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    hidden_warnings: Mapped[list] = mapped_column(JSON, default=list)
