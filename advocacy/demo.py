"""Demo data for `flask seed-demo`: the demo accounts (later domains add theirs)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlalchemy import func, select

from advocacy.accounts.models import Account, Role
from advocacy.accounts.policy import pseudonym_key, suggest_passphrase
from advocacy.extensions import db, passwords

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
