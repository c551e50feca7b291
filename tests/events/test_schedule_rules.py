"""Scheduling and visibility rules, called directly (no database, no requests).

The edges asserted here: a meeting that ends when it starts, an instant whatever the
server's zone, and who may see a venue (DESIGN §Events: venue for confirmed
attendees and staff only, never the waitlist). Who runs an event, and so sees its
attendees, is a rule of the database's host rows: tests/events/test_hosts.py.
"""

from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from advocacy.clock import instant
from advocacy.events.errors import ScheduleInvalid
from advocacy.events.finding import is_manager, may_see_venue
from advocacy.events.scheduling import Schedule, occurrence_times
from tests.support.event_rules import server_in_tokyo as server_in_tokyo  # noqa: PLC0414 (the fixture)


def test_a_meeting_must_end_after_it_starts(app):
    same = Schedule(first_day=date(2026, 12, 1), starts=time(10), ends=time(10), capacity=None)
    with pytest.raises(ScheduleInvalid) as refused:
        occurrence_times(same, "UTC")
    with app.test_request_context():
        assert str(refused.value) == "The end time must be after the start time."
    one_minute = Schedule(
        first_day=date(2026, 12, 1), starts=time(10), ends=time(10, 1), capacity=None
    )
    ((start, end, moved),) = [
        (t.starts_at, t.ends_at, t.moved) for t in occurrence_times(one_minute, "UTC")
    ]
    assert (start, end, moved) == (
        datetime(2026, 12, 1, 10, tzinfo=UTC),
        datetime(2026, 12, 1, 10, 1, tzinfo=UTC),
        False,
    )


def test_an_instant_is_in_utc_whatever_the_servers_zone(server_in_tokyo):
    at = instant(date(2026, 7, 1), time(9), ZoneInfo("Europe/Paris"))
    assert at == datetime(2026, 7, 1, 7, tzinfo=UTC)
    assert at.utcoffset().total_seconds() == 0
    assert at.tzname() == "UTC"


def account(role: str, *, id: int = 1, signed_in: bool = True):  # noqa: A002
    return SimpleNamespace(id=id, role=role, is_authenticated=signed_in)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (None, False),
        (account("staff"), True),
        (account("admin"), True),
        (account("member"), False),
        (account("mentor"), False),
        (account("staff", signed_in=False), False),
    ],
)
def test_only_signed_in_staff_and_admins_manage_events(viewer, expected):
    assert is_manager(viewer) is expected


@pytest.mark.parametrize(
    ("viewer", "status", "program_id", "cancelled", "expected"),
    [
        (account("member"), "confirmed", None, False, True),
        (account("member"), "waitlisted", None, False, False),
        (account("member"), None, None, False, False),
        (account("staff"), None, None, False, True),
        (account("admin"), "waitlisted", None, False, True),
        (account("member"), None, 3, False, True),  # a program member: the place is the RSVP
        # A cancelled meeting shows nobody where it would have been (issue 14).
        (account("member"), "confirmed", None, True, False),
        (account("member"), None, 3, True, False),
        (account("staff"), None, None, True, False),
        (account("admin"), "confirmed", None, True, False),
    ],
)
def test_venue_is_for_confirmed_attendees_and_staff(
    viewer, status, program_id, cancelled, expected
):
    booking = None if status is None else SimpleNamespace(status=status)
    event = SimpleNamespace(program_id=program_id)
    occurrence = SimpleNamespace(is_cancelled=cancelled)
    assert may_see_venue(viewer, booking, event, occurrence) is expected
