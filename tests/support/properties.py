"""What the hypothesis tests share: modest settings, weighted choices of steps, one
service call as a view makes it, the notices as a multiset, and the capacity rule.

Every example of a property runs on the test's one database, so each example starts by
emptying it (tests.support.database.delete_every_row) or by removing what the previous
example placed. Hence function-scoped fixtures are fine here, and the health check that
warns about them is off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import select

from advocacy.domain import DomainError
from advocacy.extensions import db
from advocacy.notices.models import Notice

# deadline=None: a loaded machine must never fail a test on time. No example database:
# the worktree stays clean, and a failure prints the example to reproduce it.
PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def weighted(options: list[tuple[int, st.SearchStrategy]]) -> st.SearchStrategy:
    """Draw from the strategies, each as often as its weight says (weight, strategy)."""
    return st.one_of([strategy for weight, strategy in options for _ in range(weight)])


def attempt(app: Flask, action: Callable[[], object]) -> DomainError | None:
    """Run one service call in its own app context, as a view does: commit, or roll back
    and return the refusal (a DomainError)."""
    with app.app_context():
        try:
            action()
        except DomainError as error:
            db.session.rollback()
            return error
        db.session.commit()
        return None


def all_notices(app: Flask) -> Counter[tuple[int, str, str | None]]:
    """Every notice in the database as (account id, kind, link), with how many of each."""
    with app.app_context():
        rows = db.session.execute(select(Notice.account_id, Notice.kind, Notice.link))
        return Counter(tuple(row) for row in rows)


def check_capacity(capacity: int | None, holders: set[int], before: set[int]) -> None:
    """Nobody new gets a place beyond capacity; only lowering it leaves more than it.

    holders: who holds a place now; before: who held one after the previous step;
    capacity None: no limit.
    """
    if capacity is None:
        return
    if holders - before:
        assert len(holders) <= capacity, "a place given beyond capacity"
    if len(before) <= capacity:
        assert len(holders) <= capacity, "more places held than there are"
