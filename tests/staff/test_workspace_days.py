"""The staff home's days (issue 13, point 1): "today", "later this week" and "ending
within 14 days" are local days in the site's zone, tested with literal instants around
local midnight and the daylight-saving changes.

The rules, written from the issue and the tz database (never read from the code under
test): the site's zone is America/New_York unless set, UTC-5 in winter and UTC-4 in
summer, summer time running from Sunday 8 March 02:00 to Sunday 1 November 02:00 in 2026;
a week is Monday to Sunday (ISO 8601); "later this week" is from tomorrow to Sunday;
a program ends within 14 days when its last day is today or up to 14 days later (day 14
in, day 15 out), and it is still running (open or closed).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from advocacy.extensions import db
from tests.support.workspace import FRIDAY, add_meeting, add_program, home, titles, utc

# Today and this week, in the site's zone


def meeting_days(app, staff_id: int, starts: dict[str, datetime], now: datetime):
    """Schedule one meeting per start; return the titles today and later this week."""
    with app.app_context():
        for title, at in starts.items():
            add_meeting(title, at, hosts=[staff_id])
        db.session.commit()
        seen = home(staff_id, now)
        return titles(seen.meetings_today), titles(seen.later_this_week)


def test_today_and_this_week_turn_at_new_york_midnight(app, staff):
    # Friday 27 November: today is 05:00 UTC on the 27th to 05:00 UTC on the 28th; the
    # week (Monday 23 to Sunday 29) ends at 05:00 UTC on Monday 30 November.
    today, later = meeting_days(
        app,
        staff.id,
        {
            "Thursday late": utc(2026, 11, 27, 4, 59, 59),
            "Friday first": utc(2026, 11, 27, 5, 0, 0),
            "Friday last": utc(2026, 11, 28, 4, 59, 59),
            "Saturday first": utc(2026, 11, 28, 5, 0, 0),
            "Sunday last": utc(2026, 11, 30, 4, 59, 59),
            "Monday first": utc(2026, 11, 30, 5, 0, 0),
        },
        FRIDAY,
    )
    assert today == ["Friday first", "Friday last"]
    assert later == ["Saturday first", "Sunday last"]


def test_a_meeting_earlier_today_is_still_today_and_cancelled_ones_are_not_work(app, staff):
    with app.app_context():
        add_meeting("Cancelled", utc(2026, 11, 27, 20), hosts=[staff.id], cancelled=True)
        add_meeting("Cancelled Saturday", utc(2026, 11, 28, 20), hosts=[staff.id], cancelled=True)
        db.session.commit()
    today, later = meeting_days(
        app,
        staff.id,
        {"Breakfast": utc(2026, 11, 27, 11)},
        FRIDAY,  # 06:00 local, over
    )
    assert today == ["Breakfast"]
    assert later == []


def test_the_week_that_summer_time_begins_ends_an_hour_earlier_in_utc(app, staff):
    # Wednesday 4 March; the week ends at Monday 9 March 00:00 EDT = 04:00 UTC (a fixed
    # UTC-5 would run on to 05:00 UTC).
    today, later = meeting_days(
        app,
        staff.id,
        {
            "Wednesday": utc(2026, 3, 4, 23),
            "Sunday last": utc(2026, 3, 9, 3, 59, 59),
            "Monday first": utc(2026, 3, 9, 4, 0, 0),
            "Monday, said in winter time": utc(2026, 3, 9, 4, 30),
        },
        utc(2026, 3, 4, 17),
    )
    assert today == ["Wednesday"]
    assert later == ["Sunday last"]


def test_the_day_summer_time_begins_is_23_hours(app, staff):
    # Sunday 8 March: 05:00 UTC (midnight EST) to 04:00 UTC on the 9th (midnight EDT).
    today, later = meeting_days(
        app,
        staff.id,
        {
            "Saturday last": utc(2026, 3, 8, 4, 59, 59),
            "Sunday first": utc(2026, 3, 8, 5, 0, 0),
            "Sunday last": utc(2026, 3, 9, 3, 59, 59),
            "Monday first": utc(2026, 3, 9, 4, 0, 0),
        },
        utc(2026, 3, 8, 15),
    )
    assert today == ["Sunday first", "Sunday last"]
    assert later == []  # Sunday is the last day of the week


def test_the_day_summer_time_ends_is_25_hours(app, staff):
    # Sunday 1 November: 04:00 UTC (midnight EDT) to 05:00 UTC on the 2nd (midnight EST).
    today, later = meeting_days(
        app,
        staff.id,
        {
            "Saturday last": utc(2026, 11, 1, 3, 59, 59),
            "Sunday first": utc(2026, 11, 1, 4, 0, 0),
            "Sunday 23:30 EST": utc(2026, 11, 2, 4, 30),
            "Monday first": utc(2026, 11, 2, 5, 0, 0),
        },
        utc(2026, 11, 1, 15),
    )
    assert today == ["Sunday first", "Sunday 23:30 EST"]
    assert later == []


def test_just_before_local_midnight_today_is_still_the_day_before(app, staff):
    # 04:59:59 UTC on Friday 27 November is 23:59:59 on Thursday 26 in New York.
    with app.app_context():
        assert home(staff.id, utc(2026, 11, 27, 4, 59, 59)).today == date(2026, 11, 26)
        assert home(staff.id, utc(2026, 11, 27, 5, 0, 0)).today == date(2026, 11, 27)
    today, later = meeting_days(
        app,
        staff.id,
        {"Thursday evening": utc(2026, 11, 27, 0, 30), "Friday noon": utc(2026, 11, 27, 17)},
        utc(2026, 11, 27, 4, 59, 59),
    )
    assert today == ["Thursday evening"]
    assert later == ["Friday noon"]


# Ending within 14 days


@pytest.fixture
def endings(app, staff):
    with app.app_context():
        for day in (date(2026, 11, 26), date(2026, 11, 27), date(2026, 12, 10)):
            add_program(f"Ends {day.isoformat()}", [staff.id], ends_on=day)
        add_program("Ends 2026-12-11", [staff.id], ends_on=date(2026, 12, 11), status="closed")
        add_program("Ends 2026-12-12", [staff.id], ends_on=date(2026, 12, 12))
        for status in ("draft", "cancelled", "completed"):
            add_program(f"A {status} one", [staff.id], ends_on=date(2026, 11, 30), status=status)
        db.session.commit()


@pytest.mark.usefixtures("endings")
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Thursday 26 November, 23:59:59 in New York: from the 26th to 10 December.
        (
            utc(2026, 11, 27, 4, 59, 59),
            ["Ends 2026-11-26", "Ends 2026-11-27", "Ends 2026-12-10"],
        ),
        # A second later it is Friday the 27th: the 26th is over, 11 December is day 14.
        (
            utc(2026, 11, 27, 5, 0, 0),
            ["Ends 2026-11-27", "Ends 2026-12-10", "Ends 2026-12-11"],
        ),
    ],
)
def test_programs_ending_within_14_local_days(app, staff, now, expected):
    with app.app_context():
        assert [e.title for e in home(staff.id, now).ending] == expected
