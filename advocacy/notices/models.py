"""A notice for one account. Text is rendered from kind + params in the reader's language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.database import IDS_NEVER_REUSED, UTCDateTime
from advocacy.extensions import db


class Notice(db.Model):
    """Something the platform tells one member, in the app only (no email, no push)."""

    __tablename__ = "notices"
    __table_args__ = (
        Index("ix_notices_account_id_id", "account_id", "id"),
        Index("ix_notices_account_unread", "account_id", "read_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # The story the notice is about, when it is about one: the notice goes with the story
    # (withdrawn, deleted with its author's account, purged), so no title outlives it. By
    # the story's id, not its words: a notice names the title the story had then.
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # A path on this site the notice is about (never an outside address).
    link: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
