"""The moderation log: who decided what about which story, when, with which note."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.database import UTCDateTime
from advocacy.extensions import db


class ModerationEntry(db.Model):
    """One decision. It never holds story text: only the ids, the action and the note."""

    __tablename__ = "moderation_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    # Withdrawing a story deletes its history too (DESIGN §3: deleted, not hidden).
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(String(1000), default="")
    # The content warnings a mentor added to the story after reports (WARNINGS keys); None
    # for every other decision.
    warnings: Mapped[list | None] = mapped_column(JSON)
    # Kept 180 days.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
