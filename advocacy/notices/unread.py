"""The unread count in the header, read with the signed-in account (issue 17, item 2).

The account's loader (accounts/loading.py) selects `count_of_unread` beside the account,
in the one statement every signed-in page makes anyway, and keeps the number for the
request (`remember`). `unread_count` gives it back as long as the request has written
nothing since; once it has (a notice left, read, dismissed or deleted, by the ORM or by a
statement), or when the account was not loaded that way (just signed in), it counts
again. Nothing outlives the request, so there is no counter to keep right: the count is
always the notices table's own, through ix_notices_account_unread (account_id, read_at).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_app_context
from sqlalchemy import ColumnElement, event, func, select
from sqlalchemy.orm import Session

from advocacy.extensions import db
from advocacy.notices.models import Notice

KEY = "advocacy_unread_notices"  # in flask.g: (account id, count) as loaded


def count_of_unread(account_id: ColumnElement[int]) -> ColumnElement[int]:
    """A scalar subquery: how many unread notices the account `account_id` (a column or
    value) has."""
    return (
        select(func.count())
        .select_from(Notice)
        .where(Notice.account_id == account_id, Notice.read_at.is_(None))
        .scalar_subquery()
    )


def remember(account_id: int, count: int) -> None:
    """Keep the count read with the account, for the rest of this request."""
    setattr(g, KEY, (account_id, count))


def forget() -> None:
    """Drop the kept count (the request wrote something, or is over)."""
    if has_app_context():
        g.pop(KEY, None)


def unread_count(account_id: int) -> int:
    """Return the account's unread notices: the count read with it, else counted now."""
    kept = g.get(KEY)
    if kept is not None and kept[0] == account_id:
        return kept[1]
    return db.session.scalar(select(count_of_unread(account_id)))


@event.listens_for(Session, "after_flush")
def forget_after_flush(_session: Session, _context: Any) -> None:
    forget()


@event.listens_for(Session, "do_orm_execute")
def forget_after_statement(state: Any) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        forget()


def register_unread(app: Flask) -> None:
    """Forget the kept count when each request ends (tests may share one `g`)."""
    app.teardown_request(lambda _error: forget())
