"""A help resource, and the words of its title and summary that the library's search reads.

Nothing here is about a person: no column links to an account (resources are the
organisation's, not a member's), so the privacy registry has nothing to export or delete,
and the library keeps no record of who read what.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.database import IDS_NEVER_REUSED, UTCDateTime
from advocacy.extensions import db

WORD_MAX = 40
# The search reads a word's prefix as a range (word >= "hous" AND word < "hous" + U+10FFFF),
# which is prefix matching only when the index orders words by code point, as Python does.
# SQLite's default (BINARY) collation does; on PostgreSQL the column says so ("C"), whatever
# the database's own collation (en_US sorts "co-op" beside "coop").
WORD_TYPE = String(WORD_MAX).with_variant(String(WORD_MAX, collation="C"), "postgresql")


class Category(enum.StrEnum):
    """The shelves of the library (DESIGN §3, help library)."""

    LEGAL = "legal"
    HOUSING = "housing"
    HEALTH = "health"
    SAFETY = "safety"
    WORK_STUDY = "work_study"
    PEER_SUPPORT = "peer_support"


class Resource(db.Model):
    """One resource: a page of our own (Markdown `body`), a link to another site
    (`outside_url`, https only), or both."""

    __tablename__ = "help_resources"
    __table_args__ = (
        # The library, newest change first: keyset on (updated_at, id), with each filter.
        Index("ix_help_resources_updated_at_id", "updated_at", "id"),
        Index("ix_help_resources_category_updated_at", "category", "updated_at", "id"),
        Index("ix_help_resources_language_updated_at", "language", "updated_at", "id"),
        # The area filter and its list of choices.
        Index("ix_help_resources_area", "area"),
        # A resource's address carries its id (tests/test_ids_never_reused.py).
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300))
    # Markdown, shown only through advocacy/sanitize.py; "" when the resource is a link.
    body: Mapped[str] = mapped_column(Text, default="")
    # "" when the resource is a page of our own.
    outside_url: Mapped[str] = mapped_column(String(500), default="")
    category: Mapped[str] = mapped_column(String(20))
    # A code of events/forms.py LANGUAGES: the language the resource is written in.
    language: Mapped[str] = mapped_column(String(10))
    # Where it applies, as staff write it: "Statewide", "Kings County".
    area: Mapped[str] = mapped_column(String(80))
    # Visitors (not signed in) see it too; otherwise members only.
    is_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Shown as "checked on": when staff last saved it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ResourceWord(db.Model):
    """A word of a resource's title or summary (NFKC, casefolded, at most WORD_MAX
    characters); the primary key (word, resource_id) is the search's index."""

    __tablename__ = "help_words"

    word: Mapped[str] = mapped_column(WORD_TYPE, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("help_resources.id", ondelete="CASCADE"), primary_key=True, index=True
    )
