"""What every domain's services and views share: calm errors, and running one action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

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


ASCII_DIGITS = frozenset("0123456789")
# At most 18 digits: the text is bounded before int() reads it.
ID_DIGITS_MAX = 18
# The largest id the schema holds: the id columns are INTEGER, 32-bit on PostgreSQL, where
# a larger number in a query is an error ("integer out of range"), not "no such row".
ID_MAX = 2**31 - 1


def page_cursor(value: str) -> int | None:
    """Read an id from untrusted text: 1 to 18 ASCII digits, at most ID_MAX, else None.

    Not str.isdigit(): it is true for "²" and "٣" too, which int() then refuses.
    """
    if not 0 < len(value) <= ID_DIGITS_MAX or not set(value) <= ASCII_DIGITS:
        return None
    number = int(value)
    return number if number <= ID_MAX else None


def ids_from(values: list[str]) -> set[int]:
    """Read the ids among untrusted form values (ticked boxes), ignoring anything else."""
    return {number for value in values if (number := page_cursor(value)) is not None}


def utc_timestamp(text: str) -> datetime:
    """Read an ISO 8601 timestamp that carries its UTC offset, as UTC.

    ValueError for anything else: no offset (the columns hold UTC, so a naive time means
    nothing), or a time UTC cannot hold (year 1 at +14:00 is still year 0 in UTC).
    """
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("a timestamp without its UTC offset")
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("a timestamp outside what UTC can hold") from error


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


T = TypeVar("T")


def saved(
    form: Any, field: str, action: Callable[[], T], *, success: str | None = None
) -> T | None:
    """Run the one service call a sent form asks for. Done: commit, flash `success` (if
    given) and return what the call returned. Refused (a DomainError): roll back, put its
    message on the field the error names (its `field`, as ScheduleInvalid and
    PastMeetingRefused do) when the form has one, else on `field`, and return None, so
    the page shows the form again with its input."""
    try:
        done = action()
    except DomainError as error:
        db.session.rollback()
        named = getattr(form, getattr(error, "field", field), None)
        (named if named is not None else getattr(form, field)).errors.append(error.message)
        return None
    db.session.commit()
    if success is not None:
        flash(success, "success")
    return done


def attempt(action: Callable[[], Any], *, success: str | Callable[[Any], None]) -> bool:
    """Run one service call: commit and flash `success` (or, given a function, call it with
    what the action returned, to say more), or roll back and flash the refusal's message."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    db.session.commit()
    if callable(success):
        success(result)
    else:
        flash(success, "success")
    return True
