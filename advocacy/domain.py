"""What every domain's services and views share: calm errors, and running one action."""

from __future__ import annotations

from collections.abc import Callable

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
