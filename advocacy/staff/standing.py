"""Stopping a harmful member, audited: pause, resume, remove, posting stops.

The rules are in advocacy/accounts/standing.py; here each action is written to the
audit log and the member is told what happened (and until when) in a notice.
"""

from __future__ import annotations

from datetime import datetime

from advocacy.accounts import standing
from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.staff.services import record


def pause(actor: Account, target_id: int, *, now: datetime) -> Account:
    """Pause an account (its sessions end); the sign-in page tells its owner whom to ask.

    An account already paused stays so with nothing new logged or told (a double tap, two
    admins at once): the log and the notices say what changed, once.
    """
    was_paused = standing.is_paused(target_id)
    target = standing.pause(actor, target_id, now=now)
    if was_paused:
        return target
    record(actor, "account_paused", target, now=now)
    # Read once they are back in: what happened while they were away (the day said when
    # read, in the reader's language and zone: notices/services.py).
    notify(target.id, "account_paused", now=now, at=now.isoformat())
    return target


def resume(actor: Account, target_id: int, *, now: datetime) -> Account:
    """Let a paused account sign in again, and tell its owner (nothing logged or told if
    it was not paused)."""
    was_paused = standing.is_paused(target_id)
    target = standing.resume(actor, target_id)
    if not was_paused:
        return target
    record(actor, "account_resumed", target, now=now)
    notify(target.id, "account_resumed", now=now)
    return target


def remove(actor: Account, target_id: int, *, confirm: str, now: datetime) -> None:
    """Remove an account for good; the log keeps the action and the role, never the name."""
    role = standing.remove(actor, target_id, confirm=confirm, now=now)
    record(actor, "account_removed", None, now=now, detail=role)


def stop_posting(actor: Account, target_id: int, *, days: int, now: datetime) -> Account:
    """Stop an account posting for `days` days, and tell its owner until when."""
    target = standing.stop_posting(actor, target_id, days=days, now=now)
    until = target.posting_stopped_until.isoformat()
    record(actor, "posting_stopped", target, now=now, detail=f"{days} days")
    notify(target.id, "posting_stopped", now=now, link="/account", until=until)
    return target


def lift_posting_stop(actor: Account, target_id: int, *, now: datetime) -> Account:
    """Let an account post again, and tell its owner (nothing logged or told if no stop
    was in force)."""
    target = db.session.get(Account, target_id)
    stopped = target is not None and standing.posting_stopped_until(target, now=now) is not None
    target = standing.lift_posting_stop(actor, target_id)
    if not stopped:
        return target
    record(actor, "posting_stop_lifted", target, now=now)
    notify(target.id, "posting_stop_lifted", now=now)
    return target
