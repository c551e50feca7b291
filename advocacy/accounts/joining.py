"""Joining: an invite (or open joining), a pseudonym, a password, and recovery codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from advocacy.accounts.errors import InviteInvalid, JoinRefused, PseudonymTaken, Refused
from advocacy.accounts.invites import redeem_invite, usable_invite
from advocacy.accounts.models import Account, Role
from advocacy.accounts.policy import PASSWORDS_DIFFER, pseudonym_key, validated_password
from advocacy.accounts.recovery import draw_recovery_codes, issue_recovery_codes
from advocacy.accounts.services import hash_password, validated_pseudonym
from advocacy.extensions import db
from advocacy.reports.counting import Measure, count


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
    password_confirm: str,
    now: datetime,
    open_joining: bool,
    site_name: str,
) -> NewAccount:
    """Create an account from an invite (or open joining) and issue its recovery codes.

    Every problem is found before anything is written, and JoinRefused names them all.
    """
    problems: dict[str, list[str]] = {}
    invite = usable_invite(invite_code, now=now) if invite_code else None
    if invite is None and (invite_code or not open_joining):
        problems["invite_code"] = [InviteInvalid.message]
    clean = pseudonym
    try:
        # Without a good invite, nobody learns whether a pseudonym is taken.
        clean = validated_pseudonym(
            pseudonym, site_name=site_name, now=now, may_say_taken="invite_code" not in problems
        )
    except Refused as refused:
        problems["pseudonym"] = refused.messages
    try:
        normalized_password = validated_password(password, pseudonym=clean, site_name=site_name)
    except Refused as refused:
        problems["password"] = refused.messages
    if password != password_confirm:
        problems["password_confirm"] = [PASSWORDS_DIFFER]
    if problems:
        raise JoinRefused(problems)
    # The slow work (argon2id) before anything is written: no write lock held meanwhile.
    password_hash = hash_password(normalized_password)
    codes = draw_recovery_codes()
    try:
        # Spent last, so a refused join never uses up an invite.
        role = redeem_invite(invite, now=now) if invite else Role.MEMBER
    except InviteInvalid as error:
        raise JoinRefused({"invite_code": [error.message]}) from error
    account = Account(
        pseudonym=clean,
        pseudonym_key=pseudonym_key(clean),
        password_hash=password_hash,
        role=role,
        created_at=now,
    )
    db.session.add(account)
    try:
        db.session.flush()
    except IntegrityError as error:  # the name was taken while the password was hashed
        raise JoinRefused({"pseudonym": [PseudonymTaken.message]}) from error
    count(Measure.NEW_MEMBER, program_id=None, now=now)
    return NewAccount(account, issue_recovery_codes(account, codes))
