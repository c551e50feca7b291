"""Demo data for `flask seed-demo`: the demo accounts and stories (later domains add theirs)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlalchemy import func, select

from advocacy.accounts.models import Account, Role
from advocacy.accounts.policy import pseudonym_key, suggest_passphrase
from advocacy.extensions import db, passwords
from advocacy.moderation import services as moderation
from advocacy.stories import services as stories

DEMO_ACCOUNTS = (
    ("demo-admin", Role.ADMIN),
    ("demo-staff", Role.STAFF),
    ("demo-mentor", Role.MENTOR),
    ("demo-member", Role.MEMBER),
    ("demo-member2", Role.MEMBER),
)


@dataclass(frozen=True)
class DemoAccount:
    """What to print for one demo account."""

    pseudonym: str
    role: str
    totp_secret: str | None


def database_is_empty() -> bool:
    """Return whether no account exists yet."""
    return db.session.scalar(select(func.count()).select_from(Account)) == 0


def seed_accounts(now: datetime) -> tuple[str, list[DemoAccount]]:
    """Create the demo accounts with one shared password; privileged ones get TOTP."""
    password = os.environ.get("ADVOCACY_DEMO_PASSWORD") or suggest_passphrase()
    password_hash = passwords.hash(password)
    created = []
    for pseudonym, role in DEMO_ACCOUNTS:
        secret = pyotp.random_base32() if role != Role.MEMBER else None
        db.session.add(
            Account(
                pseudonym=pseudonym,
                pseudonym_key=pseudonym_key(pseudonym),
                password_hash=password_hash,
                role=role,
                totp_secret=secret,
                created_at=now,
            )
        )
        created.append(DemoAccount(pseudonym, role, secret))
    db.session.flush()
    return password, created


DEMO_STORIES = (
    # (title, body, warnings, audience, state)
    (
        "The morning I said no",
        "For a long time I thought *no* was a word for other people.\n\n"
        "Then one morning I said it, quietly, and the sky did not fall.\n\n"
        "> Your voice is still yours.\n\n"
        "If you are reading this and you are not there yet: that's all right.",
        [],
        "public",
        "published",
    ),
    (
        "What court taught me",
        "The hearings were long and I was treated as the one who did wrong.\n\n"
        "- I learned to ask for an advocate.\n"
        "- I learned to ask for breaks.\n"
        "- I learned that my story is *mine*.",
        ["court_police", "exploitation"],
        "members",
        "published",
    ),
    (
        "Leading the circle",
        "Last week I led my first peer circle. My hands shook, and then they didn't.",
        [],
        "members",
        "pending",
    ),
    (
        "Home, again",
        "Going home was harder than leaving. I still go, some Sundays.",
        ["family"],
        "public",
        "reported",
    ),
)


def seed_stories(now: datetime) -> int:
    """Add demo stories: published with and without warnings, one pending, one reported."""
    author = db.session.scalar(select(Account).where(Account.pseudonym == "demo-member"))
    mentor = db.session.scalar(select(Account).where(Account.pseudonym == "demo-mentor"))
    reader = db.session.scalar(select(Account).where(Account.pseudonym == "demo-member2"))
    for title, body, warnings, audience, state in DEMO_STORIES:
        data = stories.StoryInput(title=title, body=body, warnings=warnings, audience=audience)
        story = stories.submit(author, data, now=now).story
        if state in ("published", "reported"):
            moderation.decide_story(
                mentor, story.id, "approve", note="", seen_updated_at=None, now=now
            )
        if state == "reported":
            stories.report(reader, story.id, category="missing_warning", note="", now=now)
    db.session.flush()
    return len(DEMO_STORIES)
