"""Scheduling and visibility rules, called directly (no database, no requests).

The edges asserted here: a month that is exactly long enough, a series ending on a
meeting day, the 104-meeting ceiling (two years of a weekly group), a meeting that
ends when it starts, and who may see a venue (DESIGN §Events: venue for confirmed
attendees and staff only, never the waitlist). Who runs an event, and so sees its
attendees, is a rule of the database's host rows: tests/events/test_hosts.py.
"""

import time as time_module
from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from advocacy.clock import instant
from advocacy.events.errors import ScheduleInvalid
from advocacy.events.finding import is_manager, may_see_venue
from advocacy.events.scheduling import Schedule, add_months, meeting_days, occurrence_times


def series(first_day: date, until: date | None, recurrence: str) -> Schedule:
    return Schedule(
        first_day=first_day,
        starts=time(18),
        ends=time(19),
        capacity=None,
        recurrence=recurrence,
        until=until,
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
        (date(2026, 1, 15), 11, date(2026, 12, 15)),
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2026, 1, 28), 1, date(2026, 2, 28)),  # February 2026 has exactly 28 days
        (date(2028, 1, 29), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), 1, None),  # April has 30 days: no meeting that month
        (date(2026, 1, 29), 1, None),
    ],
)
def test_add_months_keeps_the_day_or_skips_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_a_one_off_meeting_is_one_day_whatever_until_says():
    assert meeting_days(series(date(2026, 12, 1), date(2027, 6, 1), "none")) == [date(2026, 12, 1)]
    assert meeting_days(series(date(2026, 12, 1), None, "none")) == [date(2026, 12, 1)]


def test_a_series_ending_on_its_first_day_has_one_meeting():
    assert meeting_days(series(date(2026, 12, 1), date(2026, 12, 1), "weekly")) == [
        date(2026, 12, 1)
    ]


def test_a_series_ending_on_a_meeting_day_includes_it():
    assert meeting_days(series(date(2026, 12, 1), date(2026, 12, 15), "weekly")) == [
        date(2026, 12, 1),
        date(2026, 12, 8),
        date(2026, 12, 15),
    ]
    assert meeting_days(series(date(2026, 12, 1), date(2026, 12, 14), "weekly")) == [
        date(2026, 12, 1),
        date(2026, 12, 8),
    ]


def test_monthly_series_meets_on_the_same_date_across_the_new_year():
    assert meeting_days(series(date(2026, 11, 10), date(2027, 2, 10), "monthly")) == [
        date(2026, 11, 10),
        date(2026, 12, 10),
        date(2027, 1, 10),
        date(2027, 2, 10),
    ]


def test_a_long_series_stops_at_104_meetings():
    days = meeting_days(series(date(2026, 12, 1), date(2030, 12, 1), "weekly"))
    assert len(days) == 104
    assert days[0] == date(2026, 12, 1)
    assert days[-1] == date(2028, 11, 21)  # 103 weeks after the first
    monthly = meeting_days(series(date(2026, 12, 1), date(2040, 12, 1), "monthly"))
    assert len(monthly) == 104


def test_a_series_of_exactly_104_meetings_is_whole():
    days = meeting_days(series(date(2026, 12, 1), date(2028, 11, 21), "weekly"))
    assert len(days) == 104


@pytest.mark.parametrize("until", [None, date(2026, 11, 30)])
def test_a_series_needs_an_end_on_or_after_its_first_day(app, until):
    with pytest.raises(ScheduleInvalid) as refused:
        meeting_days(series(date(2026, 12, 1), until, "monthly"))
    with app.test_request_context():  # lazy text is translated inside a request
        assert str(refused.value) == "Choose when the repeating meetings end (after the first one)."


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


@pytest.fixture
def server_in_tokyo(monkeypatch):
    """The server's own local zone is Asia/Tokyo (UTC+9) for the test, then restored."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time_module.tzset()
    yield
    monkeypatch.undo()
    time_module.tzset()


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
