"""When the retention purge last ran to its end: one row, no personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from advocacy.database import UTCDateTime
from advocacy.extensions import db

# The one row's id: every purge updates the same row, so the table never grows.
LAST_PURGE_ID = 1


class PurgeRun(db.Model):
    """The last completed purge: the `now` it applied the retention rules at (UTC)."""

    __tablename__ = "purge_runs"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
