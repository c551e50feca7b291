"""Joining: an invite (or open joining), a pseudonym, a password, and recovery codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from advocacy.accounts.errors import InviteInvalid
from advocacy.accounts.invites import redeem_invite
from advocacy.accounts.models import Account, Role
from advocacy.accounts.policy import pseudonym_key
from advocacy.accounts.recovery import issue_recovery_codes
from advocacy.accounts.services import validated_password, validated_pseudonym
from advocacy.extensions import db, passwords


@dataclass(frozen=True)
class NewAccount:
    """A freshly created account and the seed of its recovery codes (never stored)."""

    account: Account
    codes_seed: bytes


def register_account(
    *,
    invite_code: str | None,
    pseudonym: str,
    password: str,
    now: datetime,
    open_joining: bool,
    site_name: str,
) -> NewAccount:
    """Create an account from an invite (or open joining) and issue its recovery codes."""
    # The invite comes first: without one, nobody learns whether a pseudonym is taken.
    if invite_code:
        role = redeem_invite(invite_code, now=now)
    elif open_joining:
        role = Role.MEMBER
    else:
        raise InviteInvalid()
    clean = validated_pseudonym(pseudonym, now=now)
    normalized_password = validated_password(password, pseudonym=clean, site_name=site_name)
    account = Account(
        pseudonym=clean,
        pseudonym_key=pseudonym_key(clean),
        password_hash=passwords.hash(normalized_password),
        role=role,
        created_at=now,
    )
    db.session.add(account)
    db.session.flush()
    return NewAccount(account, issue_recovery_codes(account))
