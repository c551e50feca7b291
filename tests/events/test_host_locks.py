"""A change of who runs an event holds the event's row first (events/hosts.py HostTable),
so two changes of the same event's hosts take turns: removing a co-host, and letting go
of every event of an account whose role changes (release), each wait while another
transaction holds the event. A release takes its events' rows in id order, so two of
them sharing events can never each hold one the other waits for.

SQLite lets one write at a time anyway (BEGIN IMMEDIATE), so these are PostgreSQL's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from advocacy.accounts.models import Account
from advocacy.events.hosts import EVENT_HOSTS
from advocacy.events.models import Event
from advocacy.extensions import db
from tests.conftest import ON_POSTGRES
from tests.support.accounts import make_account
from tests.support.ceiling import CEILING_SECONDS
from tests.support.event_rules import hosts_of
from tests.support.events import make_event

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite lets one write at a time (BEGIN IMMEDIATE): no lock to wait for"
)


@contextmanager
def held(event_id: int, *, nowait: bool = False) -> Iterator[None]:
    """Another transaction holds the event's row (FOR UPDATE) until the block ends."""
    holder = db.engine.connect()
    transaction = holder.begin()
    try:
        holder.execute(select(Event.id).where(Event.id == event_id).with_for_update(nowait=nowait))
        yield
    finally:
        transaction.rollback()
        holder.close()


def shared_events(app, clock, *titles: str) -> tuple[dict[str, int], list[int]]:
    """maple-staff and oak-staff both run one event per title; wren-admin runs none.
    Return the accounts' ids by name and the events' ids, in the order made."""
    names = {"maple": "staff", "oak": "staff", "wren": "admin"}
    ids = {name: make_account(app, f"{name}-{role}", role=role).id for name, role in names.items()}
    events = [make_event(app, ids["maple"], now=clock(), title=title).id for title in titles]
    with app.app_context():
        maple = db.session.get(Account, ids["maple"])
        for event_id in events:
            EVENT_HOSTS.add(maple, event_id, "oak-staff", now=clock())
        db.session.commit()
    return ids, events


def test_removing_a_co_host_waits_for_the_event(app, clock):
    ids, (event_id,) = shared_events(app, clock, "Circle")
    with app.app_context():
        with held(event_id):
            db.session.execute(text("SET LOCAL lock_timeout = '100ms'"))
            maple = db.session.get(Account, ids["maple"])
            with pytest.raises(OperationalError, match="lock timeout"):
                EVENT_HOSTS.remove(maple, event_id, ids["oak"], now=clock())
            db.session.rollback()
        # The event free again, the same change goes through.
        maple = db.session.get(Account, ids["maple"])
        assert EVENT_HOSTS.remove(maple, event_id, ids["oak"], now=clock()).id == ids["oak"]
        db.session.commit()
        assert hosts_of(event_id) == {ids["maple"]}


def test_letting_go_waits_for_each_event(app, clock):
    ids, (event_id,) = shared_events(app, clock, "Circle")
    with app.app_context():
        with held(event_id):
            db.session.execute(text("SET LOCAL lock_timeout = '100ms'"))
            with pytest.raises(OperationalError, match="lock timeout"):
                EVENT_HOSTS.release(ids["maple"], ids["wren"])
            db.session.rollback()
        assert EVENT_HOSTS.release(ids["maple"], ids["wren"]) == (1, 0)  # oak still runs it
        db.session.commit()
        assert hosts_of(event_id) == {ids["oak"]}


def lock_waits() -> int:
    """How many transactions of this database wait for a row lock now."""
    return db.session.scalar(
        text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    )


def test_a_release_takes_its_events_in_id_order(app, clock):
    ids, (first, second) = shared_events(app, clock, "First", "Second")
    with app.app_context():
        # Saved again, the first event's row is written anew after the second's: read in
        # the order rows are stored (ANALYZE: the small table is read whole), the second
        # comes first.
        db.session.get(Event, first).title = "First, renamed"
        db.session.commit()
        db.session.execute(text("ANALYZE events"))
        db.session.commit()
    outcome: list = []

    def release() -> None:
        with app.app_context():
            try:
                outcome.append(EVENT_HOSTS.release(ids["maple"], ids["wren"]))
            except Exception as error:  # noqa: BLE001 - reported by the test
                outcome.append(error)
            finally:
                db.session.rollback()

    with app.app_context():
        with held(first):
            thread = threading.Thread(target=release)
            thread.start()
            deadline = time.monotonic() + CEILING_SECONDS
            while lock_waits() == 0:
                assert time.monotonic() < deadline, "the release never waited for the first"
                db.session.rollback()
                time.sleep(0.01)
            db.session.rollback()
            # Waiting for the first event, the release holds nothing after it.
            with held(second, nowait=True):
                pass
        thread.join(timeout=CEILING_SECONDS)
    assert not thread.is_alive(), "the release hung"
    assert outcome == [(2, 0)]
