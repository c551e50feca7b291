"""An account's standing: paused, removed, or stopped from posting for a while.

These are the rules only; advocacy/staff/standing.py audits each action and tells
the member. Pausing and removing are for admins, posting stops for mentors and
admins; nobody acts on their own account, so there is always someone left to undo it.
An admin may pause or remove another admin: a harmful or taken-over admin account
must be stoppable too, and every such action is in the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from advocacy import clock, i18n
from advocacy.accounts.errors import AccountError, NotAllowed
from advocacy.accounts.models import Account, RetiredName, Role
from advocacy.accounts.policy import pseudonym_key
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy.rules import rule_for

POSTING_STOP_DAYS_MIN = 1
POSTING_STOP_DAYS_MAX = 365
# Whose posting each role may stop: mentors look after members; admins anyone but admins.
STOPPABLE_ROLES = {
    Role.MENTOR: (Role.MEMBER,),
    Role.ADMIN: (Role.MEMBER, Role.MENTOR, Role.STAFF),
}


class PostingStopped(AccountError):
    """The member may not post stories or reports until a date: the day the stop ends in
    the member's own time zone (clock.zone_of), as every page says a day to them."""

    def __init__(self, account: Account, until: datetime) -> None:
        super().__init__(
            _l(
                "You can't post stories or reports until %(day)s. If you think this is a "
                "mistake, talk to a mentor or staff member.",
                day=long_date(until, clock.zone_of(account)),
            )
        )


def long_date(moment: datetime, zone: ZoneInfo) -> str:
    """Return the day `moment` falls on in `zone`, as people write it in the request's
    language ("12 December 2026"): 03:00 UTC on the 12th is still the 11th in New York."""
    return i18n.say_day(clock.local_date(moment, zone), "date", i18n.locale_name())


def target_account(actor: Account, target_id: int) -> Account:
    """Return the account acted on, never the actor's own."""
    target = db.session.get(Account, target_id)
    if target is None:
        raise AccountError(_l("That account no longer exists."))
    if target.id == actor.id:
        raise NotAllowed(_l("You can't do this to your own account. Please ask another admin."))
    return target


def require_admin(actor: Account) -> None:
    if actor.role != Role.ADMIN:
        raise NotAllowed()


# Pausing


def pause(actor: Account, target_id: int, *, now: datetime) -> Account:
    """Pause an account: every session ends and sign-in is refused until resumed."""
    require_admin(actor)
    target = target_account(actor, target_id)
    if target.paused_at is None:
        target.paused_at = now
    target.rotate_session_token()
    db.session.flush()
    return target


def is_paused(account_id: int) -> bool:
    """Whether the account exists and is paused."""
    paused_at = db.session.scalar(select(Account.paused_at).where(Account.id == account_id))
    return paused_at is not None


def resume(actor: Account, target_id: int) -> Account:
    """Let a paused account sign in again."""
    require_admin(actor)
    target = target_account(actor, target_id)
    target.paused_at = None
    db.session.flush()
    return target


# Removing


def retired_name_hash(key: str) -> str:
    """Return the keyed hash under which a removed account's name is kept (never the name)."""
    secret = hashlib.sha256(b"retired-name:" + current_app.secret_key.encode()).digest()
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


def is_retired(pseudonym: str, *, now: datetime) -> bool:
    """Return whether the name belonged to a removed account and is still held back."""
    return (
        db.session.scalar(
            select(RetiredName.id).where(
                RetiredName.key_hash == retired_name_hash(pseudonym_key(pseudonym)),
                RetiredName.retired_until > now,
            )
        )
        is not None
    )


def remove(actor: Account, target_id: int, *, confirm: str, now: datetime) -> str:
    """Delete an account and everything linked to it; hold its name back. Return its role.

    `confirm` is the pseudonym as the admin typed it, so nobody is removed by a slip.
    """
    require_admin(actor)
    target = target_account(actor, target_id)
    if pseudonym_key(confirm) != target.pseudonym_key:
        raise AccountError(_l("Please type the pseudonym exactly as shown to confirm."))
    role = target.role
    retire_name(target.pseudonym_key, now=now)
    registry.delete_account(target, now=now, by=actor)  # every choice at its default: delete
    db.session.flush()
    return role


def retire_name(key: str, *, now: datetime) -> None:
    """Hold a name that is no longer in use back from everyone for the retention period.

    Removed, deleted and renamed accounts' names: nobody can take one and pass as its
    former owner to the people who knew it. Only a keyed hash of the key is stored.
    """
    key_hash = retired_name_hash(key)
    until = now + timedelta(days=rule_for("retired_name").days)
    # A name retired twice (taken again after its period) starts a new period.
    db.session.execute(delete(RetiredName).where(RetiredName.key_hash == key_hash))
    db.session.add(RetiredName(key_hash=key_hash, retired_until=until))


# Posting stops


def stop_posting(actor: Account, target_id: int, *, days: int, now: datetime) -> Account:
    """Stop an account posting stories and reports for `days` days."""
    target = target_account(actor, target_id)
    if target.role not in STOPPABLE_ROLES.get(actor.role, ()):
        raise NotAllowed(_l("You can't stop this account posting. Please ask an admin."))
    if not POSTING_STOP_DAYS_MIN <= days <= POSTING_STOP_DAYS_MAX:
        raise AccountError(_l("Choose a number of days from 1 to 365."))
    target.posting_stopped_until = now + timedelta(days=days)
    db.session.flush()
    return target


def lift_posting_stop(actor: Account, target_id: int) -> Account:
    """Let an account post again before its stop ends."""
    target = target_account(actor, target_id)
    if target.role not in STOPPABLE_ROLES.get(actor.role, ()):
        raise NotAllowed(_l("You can't change this account's posting. Please ask an admin."))
    target.posting_stopped_until = None
    db.session.flush()
    return target


def posting_stopped_until(account: Account, *, now: datetime) -> datetime | None:
    """Return until when the account may not post, if a stop is in force."""
    until = account.posting_stopped_until
    return until if until is not None and until > now else None


def check_can_post(account: Account, *, now: datetime) -> None:
    """Raise PostingStopped while a stop is in force."""
    until = posting_stopped_until(account, now=now)
    if until is not None:
        raise PostingStopped(account, until)


def posting_notice(account: Account, *, now: datetime) -> str | None:
    """Return what to tell the member about a posting stop in force (None if there is none)."""
    until = posting_stopped_until(account, now=now)
    return PostingStopped(account, until).message if until is not None else None
