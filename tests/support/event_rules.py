"""Builders for service-level event tests: accounts and meetings made in the open session.

Each test runs inside one app context (the `session` fixture) and calls the events
services with an explicit `now`, so edges can be tested to the second.
"""

from __future__ import annotations

import time as time_module
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from advocacy.accounts.models import Account, Role
from advocacy.accounts.policy import pseudonym_key
from advocacy.events import scheduling
from advocacy.events.models import EventHost, Occurrence
from advocacy.events.recurrence import Repeat
from advocacy.extensions import db
from advocacy.notices.models import Notice

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
# SQLite's own switch for finding code that leans on an order no query asked for: rows
# not put in order by ORDER BY come back the other way round (a test turns it on with
# PRAGMA reverse_unordered_selects). PostgreSQL has no such switch.
READ_BACKWARDS = pytest.param(True, marks=pytest.mark.sqlite_only, id="rows-read-backwards")


@pytest.fixture
def session(app):
    """An open app context; the test's rows live in db.session."""
    with app.app_context():
        yield db.session


@pytest.fixture
def server_in_tokyo(monkeypatch):
    """The server's own local zone is Asia/Tokyo (UTC+9) for the test, then restored: what
    is said "in UTC" or "in the event's zone" must not follow it."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time_module.tzset()
    yield
    monkeypatch.undo()
    time_module.tzset()


def person(pseudonym: str, role: str = Role.MEMBER) -> Account:
    """An account (no usable password: these tests never sign in)."""
    account = Account(
        pseudonym=pseudonym,
        pseudonym_key=pseudonym_key(pseudonym),
        password_hash="-",
        role=role,
        created_at=NOW,
    )
    db.session.add(account)
    db.session.flush()
    return account


def details(title: str = "Circle", timezone: str = "UTC", **changes) -> scheduling.EventDetails:
    """What staff type about an event; keyword arguments replace single fields."""
    fields = {
        "title": title,
        "description": "A calm space to talk.",
        "is_online": False,
        "area": "Brooklyn",
        "venue": "Room 4B",
        "timezone": timezone,
        "language": "en",
        "accessibility": "Step-free entrance.",
    }
    return scheduling.EventDetails(**(fields | changes))


def meeting(
    creator: Account,
    *,
    starts: datetime = NOW + timedelta(days=2),
    hours: int = 1,
    capacity: int | None = 1,
    title: str = "Circle",
    now: datetime = NOW,
) -> Occurrence:
    """One meeting (UTC wall clock, same day) scheduled at `now`."""
    schedule = scheduling.Schedule(
        first_day=starts.date(),
        starts=starts.time(),
        ends=(starts + timedelta(hours=hours)).time(),
        capacity=capacity,
    )
    event = scheduling.schedule_event(creator, details(title), schedule, now=now)
    return event.occurrences[0]


def notices_of(account: Account) -> list[Notice]:
    """The account's notices, oldest first."""
    return list(
        db.session.scalars(
            select(Notice).where(Notice.account_id == account.id).order_by(Notice.id)
        )
    )


def shown(refusal: pytest.ExceptionInfo) -> str:
    """A refusal's message as the reader sees it (lazy text is translated inside a request)."""
    with current_app.test_request_context():
        return str(refusal.value)


def weekly_series(
    creator: Account, *, meetings: int, capacity: int | None = 1, now: datetime = NOW
) -> list[Occurrence]:
    """A weekly group of `meetings` meetings (UTC, 18:00–19:00), the first in two days."""
    first = (now + timedelta(days=2)).date()
    schedule = scheduling.Schedule(
        first_day=first,
        starts=time(18),
        ends=time(19),
        capacity=capacity,
        repeat=Repeat("weekly", until=first + timedelta(weeks=meetings - 1)),
    )
    return scheduling.schedule_event(creator, details(), schedule, now=now).occurrences


def hosts_of(event_id: int) -> set[int]:
    """The account ids with a host row for the event, whatever their role."""
    query = select(EventHost.account_id).where(EventHost.event_id == event_id)
    return set(db.session.scalars(query))
