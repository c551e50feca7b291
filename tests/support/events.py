"""Builders for tests that need events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient

from advocacy.accounts.models import Account
from advocacy.events import scheduling
from advocacy.events.recurrence import Repeat
from advocacy.extensions import db
from tests.support.accounts import AuthActions, Clock, MadeAccount

VENUE = "Room 4B, 221 Canary Street — ring twice"


@dataclass
class MadeEvent:
    """Ids a test needs."""

    id: int
    occurrence_ids: list[int]

    @property
    def first(self) -> int:
        return self.occurrence_ids[0]


def make_event(
    app: Flask,
    creator_id: int,
    *,
    title: str = "Tuesday peer circle",
    venue: str = VENUE,
    capacity: int | None = 10,
    now: datetime,
    in_days: int = 2,
    timezone: str = "America/New_York",
    recurrence: str = "none",  # or "weekly", for `weeks` weeks after the first meeting
    weeks: int = 0,
    is_online: bool = False,
    language: str = "en",
    starts: time = time(18, 0),
    ends: time = time(19, 30),
) -> MadeEvent:
    """Schedule an event through the service, as staff would."""
    first_day = (now.astimezone(ZoneInfo(timezone)) + timedelta(days=in_days)).date()
    until = first_day + timedelta(weeks=weeks) if recurrence != "none" else None
    with app.app_context():
        creator = db.session.get(Account, creator_id)
        event = scheduling.schedule_event(
            creator,
            scheduling.EventDetails(
                title=title,
                description="A calm space to talk.",
                is_online=is_online,
                area="Online" if is_online else "Brooklyn",
                venue=venue,
                timezone=timezone,
                language=language,
                accessibility="Step-free entrance.",
            ),
            scheduling.Schedule(
                first_day=first_day,
                starts=starts,
                ends=ends,
                capacity=capacity,
                repeat=Repeat(recurrence, until=until) if until else None,
            ),
            now=now,
        )
        db.session.commit()
        return MadeEvent(event.id, [o.id for o in event.occurrences])


def signed_in(app: Flask, clock: Clock, account: MadeAccount) -> FlaskClient:
    """A new test client, signed in through the real form (with a code for staff)."""
    client = app.test_client()
    assert AuthActions(app, client, clock).login(account).status_code == 303
    return client
