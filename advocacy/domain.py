"""What every domain's services and views share: calm errors, and running one action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l

from advocacy.extensions import db


class DomainError(Exception):
    """A refused action; `message` is calm and safe to show as it is."""

    message = _l("That didn't work. Please try again.")

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        # Kept lazy: translated when shown, so services also work outside a request.
        super().__init__(self.message)


def page_cursor(value: str) -> int | None:
    """Read an id cursor from a query string: a small positive integer, else None."""
    return int(value) if value.isdigit() and len(value) <= 18 else None


def keyset_cursor(value: str, read: Callable[[str], Any]) -> tuple[Any, int] | None:
    """Read a keyset cursor '<key>_<id>' from a query string (else None: the first page)."""
    key, _, raw_id = value.rpartition("_")
    cursor_id = page_cursor(raw_id)
    if cursor_id is None:
        return None
    try:
        return read(key), cursor_id
    except ValueError:
        return None


def attempt(action: Callable[[], object], *, success: str) -> bool:
    """Run one service call: commit and flash success, or roll back and flash its message."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True
