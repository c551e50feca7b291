"""What each domain holds about an account and how long it keeps things.

Each domain registers at import time: how to export and delete an account's
data, what to show the member about it, and how to purge expired records. The
privacy domain imports no other domain, and none can be forgotten: the
completeness tests walk every table that refers to accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import inspect

from advocacy import clock
from advocacy.extensions import db


@dataclass(frozen=True)
class Held:
    """One line of "what we hold about you": what, how many, when it goes."""

    what: str
    count: int
    goes: str


@dataclass(frozen=True)
class DeletionChoice:
    """A choice the member makes when deleting their account (e.g. keep stories anonymously).

    `options` are (value, label) pairs; the holder's delete gets the chosen value.
    """

    field: str
    label: Any
    options: tuple[tuple[str, Any], ...]
    default: str


@dataclass(frozen=True)
class Holder:
    """One domain's export, deletion and summary of an account's data."""

    name: str
    export: Callable[[Any], Any]
    delete: Callable[..., None]
    summary: Callable[[Any], list[Held]] | None = None
    choice: DeletionChoice | None = None


@dataclass(frozen=True)
class Purger:
    """How a domain deletes expired records of one retention kind, a batch at a time.

    `batch(now, days, size)` deletes at most `size` expired rows and returns how
    many; `count(now, days)` says how many a purge would delete (for --dry-run).
    """

    kind: str
    name: str
    count: Callable[[datetime, int], int]
    batch: Callable[[datetime, int, int], int]
    # At most this many per transaction (None: the purge's batch size).
    max_batch: int | None = None


_holders: dict[str, Holder] = {}
_purgers: dict[str, Purger] = {}
# Called before an account's data goes: (account, now, by) -> None.
_handovers: list[Callable[[Any, datetime, Any], None]] = []


def register(
    name: str,
    *,
    export: Callable[[Any], Any],
    delete: Callable[..., None],
    summary: Callable[[Any], list[Held]] | None = None,
    choice: DeletionChoice | None = None,
) -> None:
    """Add (or replace) a domain's holder; with a choice, delete gets (account, chosen value)."""
    _holders[name] = Holder(name, export, delete, summary, choice)


def deletion_choices() -> list[DeletionChoice]:
    """Return the choices every domain offers on the account deletion page."""
    return [holder.choice for holder in holders() if holder.choice is not None]


def register_purger(
    kind: str,
    name: str,
    *,
    count: Callable[[datetime, int], int],
    batch: Callable[[datetime, int, int], int],
    max_batch: int | None = None,
) -> None:
    """Add (or replace) the purge of one kind of record (name: what the counts say)."""
    _purgers[name] = Purger(kind, name, count, batch, max_batch)


def register_handover(hand_over: Callable[[Any, datetime, Any], None]) -> None:
    """Add what must happen to others' things before an account's data goes, while it can
    still be read (staff/handover.py: someone takes over what it alone ran). It is called
    with (account, now, by): `by` is the admin removing the account, or None (its owner,
    or the purge). It must never refuse: a deletion is never held up."""
    if hand_over not in _handovers:
        _handovers.append(hand_over)


def holders() -> list[Holder]:
    """Return the registered holders in registration order."""
    return list(_holders.values())


def purgers() -> list[Purger]:
    """Return the registered purgers in registration order."""
    return list(_purgers.values())


def export_account(account: Any, *, now: datetime) -> dict[str, Any]:
    """Collect everything every domain holds about the account."""
    return {
        "exported_at": now.isoformat(),
        **{holder.name: holder.export(account) for holder in holders()},
    }


def summarize_account(account: Any) -> list[Held]:
    """Return what every domain holds about the account and when it goes."""
    return [item for holder in holders() if holder.summary for item in holder.summary(account)]


def delete_account(
    account: Any,
    choices: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
    by: Any = None,
) -> None:
    """Hand over what the account alone ran (register_handover; `now` defaults to the
    clock's, `by` is the admin removing it), then delete its data in every domain (in
    reverse order), then the account."""
    when = now if now is not None else clock.now()
    for hand_over in _handovers:
        hand_over(account, when, by)
    for holder in reversed(holders()):
        if holder.choice is None:
            holder.delete(account)
        else:
            chosen = (choices or {}).get(holder.choice.field, holder.choice.default)
            holder.delete(account, chosen)
    db.session.flush()


def claim_batch(model: Any, condition: Any, size: int) -> list[Any]:
    """Claim up to `size` rows matching condition; return their keys (ids), lowest first.

    The key is the model's one primary key column (`id`, or a hash). Rows are claimed
    FOR UPDATE SKIP LOCKED (PostgreSQL), so two purges running at once never take the
    same rows; SQLite serializes writers anyway.
    """
    (key,) = inspect(model).primary_key
    return list(
        db.session.scalars(
            db.select(key)
            .where(condition)
            .order_by(key)
            .limit(size)
            .with_for_update(skip_locked=True)
        )
    )


def delete_batch(model: Any, condition: Any, size: int) -> list[Any]:
    """Delete up to `size` rows matching condition (claimed as claim_batch does); return
    their keys (ids), lowest first."""
    ids = claim_batch(model, condition, size)
    if ids:
        (key,) = inspect(model).primary_key
        db.session.execute(db.delete(model).where(key.in_(ids)))
    return ids


def count_where(model: Any, condition: Any) -> int:
    """Count rows matching condition."""
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(condition))
