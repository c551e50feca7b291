"""What each domain holds about an account: one registry for export and deletion.

Each domain registers a holder at import time. The privacy domain imports no
other domain, and a domain cannot be forgotten: the completeness tests walk
every table that refers to accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from advocacy.extensions import db


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
    """One domain's export and deletion of an account's data."""

    name: str
    export: Callable[[Any], Any]
    delete: Callable[..., None]
    choice: DeletionChoice | None = None


_holders: dict[str, Holder] = {}


def register(
    name: str,
    *,
    export: Callable[[Any], Any],
    delete: Callable[..., None],
    choice: DeletionChoice | None = None,
) -> None:
    """Add (or replace) a domain's holder; with a choice, delete gets (account, chosen value)."""
    _holders[name] = Holder(name, export, delete, choice)


def deletion_choices() -> list[DeletionChoice]:
    """Return the choices every domain offers on the account deletion page."""
    return [holder.choice for holder in holders() if holder.choice is not None]


def holders() -> list[Holder]:
    """Return the registered holders in registration order."""
    return list(_holders.values())


def export_account(account: Any, *, now: datetime) -> dict[str, Any]:
    """Collect everything every domain holds about the account."""
    return {
        "exported_at": now.isoformat(),
        **{holder.name: holder.export(account) for holder in holders()},
    }


def delete_account(account: Any, choices: Mapping[str, str] | None = None) -> None:
    """Delete the account's data in every domain (in reverse order), then the account."""
    for holder in reversed(holders()):
        if holder.choice is None:
            holder.delete(account)
        else:
            chosen = (choices or {}).get(holder.choice.field, holder.choice.default)
            holder.delete(account, chosen)
    db.session.flush()
