"""Builders and readers for tests of the calendar files (.ics) of a meeting and a series."""

from __future__ import annotations

from datetime import date, datetime, time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from advocacy.accounts.models import Account
from advocacy.events import scheduling
from advocacy.events.models import Event
from advocacy.events.recurrence import Repeat
from advocacy.extensions import db
from tests.support.accounts import AuthActions, Clock, MadeAccount
from tests.support.event_rules import details
from tests.support.events import VENUE

# One meeting of a series moved to Wednesday 20 January 2027, 17:00-18:00 (the edit form).
MOVED_TO_THE_20TH = {
    "part": "meeting",
    "meeting-day": "2027-01-20",
    "meeting-starts": "17:00",
    "meeting-ends": "18:00",
    "meeting-capacity": "4",
}


def unfolded(body: bytes) -> list[str]:
    """The file's content lines, each folded line joined again (RFC 5545 §3.1: a CRLF
    followed by one space or tab continues the line)."""
    text = body.decode().replace("\r\n ", "").replace("\r\n\t", "")
    assert text.endswith("\r\n")  # every content line ends with CRLF, the last one too
    return text.removesuffix("\r\n").split("\r\n")


def schedule_series(
    app: Flask,
    staff_id: int,
    first_day: date,
    starts: time,
    ends: time,
    repeat: Repeat | None,
    *,
    now: datetime,
) -> tuple[int, list[int]]:
    """Schedule "Sunday circle" in New York (area Brooklyn, venue VENUE); return the event's
    id and its meetings' ids, in the order they were made."""
    with app.app_context():
        event = scheduling.schedule_event(
            db.session.get(Account, staff_id),
            details("Sunday circle", timezone="America/New_York", venue=VENUE),
            scheduling.Schedule(first_day, starts, ends, capacity=4, repeat=repeat),
            now=now,
        )
        db.session.commit()
        return event.id, [o.id for o in event.occurrences]


def signed_in_at(app: Flask, auth: AuthActions, account: MadeAccount, now: datetime) -> None:
    """Sign `account` in on the test client, the app's clock standing at `now`."""
    clock = Clock(now)
    app.config["CLOCK"] = clock
    auth.clock = clock
    auth.login(account)


def make_discreet(app: Flask, account: MadeAccount) -> None:
    """Turn discreet mode on for `account`."""
    with app.app_context():
        db.session.execute(update(Account).where(Account.id == account.id).values(is_discreet=True))
        db.session.commit()


def change_meeting(client: FlaskClient, occurrence_id: int, day: str, starts: str, ends: str):
    """Staff move one meeting (or change its end) through its edit form; return the answer."""
    form = {**MOVED_TO_THE_20TH, "meeting-day": day, "meeting-starts": starts, "meeting-ends": ends}
    return client.post(f"/events/{occurrence_id}/edit", data=form)


def store_rule(app: Flask, event_id: int, text: str) -> None:
    """Give the event a stored rule text as an older version of the site left it."""
    with app.app_context():
        db.session.execute(update(Event).where(Event.id == event_id).values(recurrence_rule=text))
        db.session.commit()
