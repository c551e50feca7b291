"""Staff schedule series through the new-event form (JavaScript off: a plain POST), and
programs schedule their meetings with the same fields.

The dates expected are read off a printed calendar for 2027 (1 January 2027 is a Friday).
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from advocacy.events.models import Event, Occurrence
from advocacy.extensions import db
from tests.support.accounts import Clock
from tests.support.once import event_form
from tests.support.programs import make_program

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
TOO_MANY = "That makes more than 104 meetings. Please choose an earlier end date or fewer meetings."


@pytest.fixture
def at_now(app, auth):
    clock = Clock(NOW)
    app.config["CLOCK"] = clock
    auth.clock = clock
    return clock


def local_starts(app) -> list[datetime]:
    with app.app_context():
        starts = db.session.scalars(select(Occurrence.starts_at).order_by(Occurrence.starts_at))
        return [start.astimezone(NEW_YORK).replace(tzinfo=None) for start in starts]


def events_made(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Event))


def series_form(**fields) -> dict:
    return {**event_form(NOW), "starts": "18:00", "ends": "19:30", **fields}


# What staff send (JavaScript off: the fields as they are), and every meeting's local start.
SERIES = {
    "every other Tuesday until a date": (
        [
            dict(
                recurrence="weekly",
                interval="2",
                weekdays="1",
                day="2027-01-05",
                until="2027-02-16",
            )
        ],
        [(2027, 1, 5), (2027, 1, 19), (2027, 2, 2), (2027, 2, 16)],
    ),
    "the first Monday of the month, 4 times": (
        [
            dict(
                recurrence="monthly_weekday", ordinal="1", weekdays="0", day="2027-01-01", count="4"
            )
        ],
        [(2027, 1, 4), (2027, 2, 1), (2027, 3, 1), (2027, 4, 5)],
    ),
    "Tuesdays and Thursdays, then the last Friday (the first day's weekday)": (
        [
            dict(recurrence="weekly", weekdays=["1", "3"], day="2027-01-04", count="3"),
            dict(recurrence="monthly_weekday", ordinal="-1", day="2027-01-29", count="2"),
        ],
        [(2027, 1, 5), (2027, 1, 7), (2027, 1, 12), (2027, 1, 29), (2027, 2, 26)],
    ),
}


@pytest.mark.parametrize(("forms", "days"), SERIES.values(), ids=SERIES.keys())
def test_staff_schedule_series_through_the_form(app, client, auth, staff, at_now, forms, days):
    auth.login(staff)
    for fields in forms:
        response = client.post("/events/new", data=series_form(**fields), follow_redirects=True)
        assert response.status_code == 200
    if len(forms) == 1:
        said = f"Scheduled “Thursday circle”: {len(days)} meetings."
        assert said in response.get_data(as_text=True)
    assert local_starts(app) == [datetime(*day, 18) for day in days]


def test_the_form_says_plainly_that_months_without_the_date_are_skipped(
    client, auth, staff, at_now
):
    auth.login(staff)
    page = client.get("/events/new").get_data(as_text=True)
    assert "months without it are skipped" in page
    assert "skips months without that date, like the 31st in April" in page
    for name in ("recurrence", "interval", "weekdays", "ordinal", "until", "count"):
        assert f'name="{name}"' in page
    assert "<script" not in page.split("<main", 1)[1]  # works with JavaScript off


def refused(client, form: dict) -> str:
    response = client.post("/events/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:2000]
    assert 'value="Thursday circle"' in page  # the other input is kept
    return page


def test_too_many_meetings_are_refused_by_the_end_date_and_nothing_is_written(
    app, client, auth, staff, at_now
):
    auth.login(staff)
    page = refused(client, series_form(recurrence="weekly", day="2027-01-05", until="2029-01-02"))
    assert f'<p class="error" id="until-error">{TOO_MANY}</p>' in page
    assert 'value="2029-01-02"' in page
    assert events_made(app) == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"count": "105"}, "count", "Choose from 1 to 104 meetings."),
        ({"count": "0"}, "count", "Choose from 1 to 104 meetings."),
        ({}, "until", "Choose when the repeating meetings end: a date or a number of meetings."),
        (
            {"count": "3", "until": "2027-03-01"},
            "count",
            "Choose either an end date or a number of meetings, not both.",
        ),
        ({"count": "3", "interval": "5"}, "interval", "Not a valid choice."),
        ({"count": "3", "interval": "x"}, "interval", "Invalid Choice: could not coerce."),
        ({"count": "3", "weekdays": "7"}, "weekdays", "is not a valid choice"),
        ({"count": "3", "ordinal": "9"}, "ordinal", "Not a valid choice."),
        ({"count": "3", "recurrence": "yearly"}, "recurrence", "Not a valid choice."),
    ],
)
def test_impossible_series_are_refused_by_their_field_with_input_kept(
    app, client, auth, staff, at_now, fields, field, message
):
    auth.login(staff)
    page = refused(client, series_form(**{"recurrence": "weekly", "day": "2027-01-05", **fields}))
    error = page.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert events_made(app) == 0


def test_programs_schedule_series_with_the_same_fields(app, client, auth, staff, at_now):
    made = make_program(app, staff.id, now=NOW, meetings=0)
    auth.login(staff)
    form = series_form(recurrence="monthly_date", day="2027-01-31", until="2027-05-31")
    response = client.post(f"/programs/{made.id}/meetings/new", data=form)
    assert response.status_code == 303
    assert local_starts(app) == [
        datetime(2027, 1, 31, 18),
        datetime(2027, 3, 31, 18),
        datetime(2027, 5, 31, 18),
    ]
    too_many = series_form(recurrence="weekly", day="2027-01-05", count="", until="2030-01-01")
    page = client.post(f"/programs/{made.id}/meetings/new", data=too_many)
    assert page.status_code == 400
    assert TOO_MANY in page.get_data(as_text=True)
    assert len(local_starts(app)) == 3
    assert date(2027, 1, 31) == local_starts(app)[0].date()
