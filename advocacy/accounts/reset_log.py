"""Where the use of a reset code is recorded and read back, without accounts importing staff.

The admin audit log belongs to the staff domain, and dependencies point down
(staff uses accounts, never the reverse). So, like the privacy registry, the
staff domain registers here at import time how it records a used reset code
and how it lists an account's resets. A reset must never go unrecorded: with
nothing registered, both calls fail instead of passing silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ResetRecord:
    """One reset of an account, as its owner sees it: who issued, who approved, when."""

    issued_by: str | None  # pseudonym, None when that account is gone
    approved_by: str | None
    used_at: datetime


@dataclass(frozen=True)
class ResetLog:
    """How reset codes are recorded (`record(account, reset_code, now)`) and listed."""

    record: Callable[[Any, Any, datetime], None]
    history: Callable[[Any], list[ResetRecord]]


_log: list[ResetLog] = []


def register(
    *,
    record: Callable[[Any, Any, datetime], None],
    history: Callable[[Any], list[ResetRecord]],
) -> None:
    """Set (or replace) where reset codes are recorded."""
    _log[:] = [ResetLog(record, history)]


def registered() -> ResetLog:
    """Return the registered reset log, or fail: a reset must never go unrecorded."""
    if not _log:
        raise RuntimeError("no reset log is registered (advocacy.staff.services registers it)")
    return _log[0]


def record(account: Any, reset_code: Any, now: datetime) -> None:
    """Record that `reset_code` (issuer, approver) was used on `account`."""
    registered().record(account, reset_code, now)


def history(account: Any) -> list[ResetRecord]:
    """Return the account's resets, newest first."""
    return registered().history(account)
