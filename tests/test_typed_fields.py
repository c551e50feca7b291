"""Numbers and dates typed into forms: ASCII digits and years on the calendar, else a calm
message with the rest of the form kept, and nothing written.

Python's int() reads "٣" as 3, "1_000" as 1000 and "+7" as 7; a date in year 9999 (or 1)
cannot be turned into UTC in every time zone. Issue 12: "accept only ASCII digits, bounded
ids, aware dates within sane years". The years a form accepts: 1900 to 2999.
"""

from __future__ import annotations

import html
import string

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, TimeField

from advocacy.events.models import Event
from advocacy.extensions import db
from advocacy.fields import CalendarDateField, ClockTimeField, WholeNumberField
from advocacy.programs.models import Program
from advocacy.stories.models import Story
from tests.support.forms import fields, form_classes, post_endpoints
from tests.support.once import event_form as once_event_form
from tests.support.once import program_form

NOT_A_NUMBER = "Please type a whole number, like 12."
NOT_ON_THE_CALENDAR = "Please choose a date from 1900 to 2999."
NOT_A_DATE = "Please choose a real date, as year-month-day."
NO_TIME = "Please choose a time."
ODD_NUMBERS = ["٣", "²", "1_0", "+7", "7.0", "0x10", "１２", "9" * 40, "1e3"]
# strptime matches %Y (and the second digit of %d) with any Unicode digit.
ODD_DATES = [
    ("9999-12-31", NOT_ON_THE_CALENDAR),
    ("3000-01-01", NOT_ON_THE_CALENDAR),
    ("1899-12-31", NOT_ON_THE_CALENDAR),
    ("0001-01-01", NOT_ON_THE_CALENDAR),
    ("٢٠٢٦-١١-٣٠", NOT_A_DATE),
    ("２０２６-11-30", NOT_A_DATE),
    ("٢٠٢٦-11-30", NOT_A_DATE),
    ("2026-11-1٥", NOT_A_DATE),
    ("2026-13-01", NOT_A_DATE),
    ("2026-02-30", NOT_A_DATE),
    ("2026-11-31", NOT_A_DATE),
]
ODD_TIMES = ["1٨:00", "٩:٥", "25:00", "18:6٠"]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def event_form(now) -> dict[str, str]:
    # UTC+14: the furthest from UTC there is.
    return {**once_event_form(now), "timezone": "Pacific/Kiritimati", "capacity": "12"}


def assert_refused_and_kept(response, message: str, kept: str) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:2000]
    assert message in page
    assert kept in page  # the rest of the form is still there


CAPACITY_FORMS = {  # where a capacity is typed: the form, a title it keeps, its rows
    "/programs/new": (program_form, "Leading together", Program),
    "/events/new": (event_form, "Thursday circle", Event),
}


@pytest.mark.parametrize("typed", ODD_NUMBERS)
@pytest.mark.parametrize("path", CAPACITY_FORMS)
def test_a_capacity_in_other_digits_is_refused(app, client, auth, clock, staff, path, typed):
    form_of, title, model = CAPACITY_FORMS[path]
    auth.login(staff)
    response = client.post(path, data={**form_of(clock()), "capacity": typed})
    assert_refused_and_kept(response, NOT_A_NUMBER, title)
    page = response.get_data(as_text=True)
    assert html.escape(typed) in page  # what they typed stays in the box
    assert "Choose from 1 to" not in page  # one message: the range is not said as well
    assert count(app, model) == 0


@pytest.mark.parametrize("typed", ["0", "-3", "501", "2147483648", "999999999999999999"])
def test_a_number_out_of_range_is_said_as_the_range(app, client, auth, clock, staff, typed):
    auth.login(staff)
    response = client.post("/programs/new", data={**program_form(clock()), "capacity": typed})
    assert_refused_and_kept(response, "Choose from 1 to 500.", "Leading together")
    assert NOT_A_NUMBER not in response.get_data(as_text=True)
    assert count(app, Program) == 0


def test_a_number_with_spaces_around_it_is_still_read(app, client, auth, clock, staff):
    auth.login(staff)
    form = {**program_form(clock()), "capacity": " 12 "}
    assert client.post("/programs/new", data=form).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Program.capacity)).one() == 12


@pytest.mark.parametrize(("typed", "message"), ODD_DATES)
@pytest.mark.parametrize(
    "field", ["enrollment_opens_on", "enrollment_closes_on", "starts_on", "ends_on"]
)
def test_an_odd_program_date_is_refused(app, client, auth, clock, staff, field, typed, message):
    auth.login(staff)
    response = client.post("/programs/new", data={**program_form(clock()), field: typed})
    assert_refused_and_kept(response, message, "Leading together")
    assert count(app, Program) == 0


ODD_EVENT_TIMES = [
    *[(field, typed, said) for field in ("day", "until") for typed, said in ODD_DATES],
    *[
        (field, typed, "Please choose a time.")
        for field in ("starts", "ends")
        for typed in ODD_TIMES
    ],
]


@pytest.mark.parametrize(("field", "typed", "message"), ODD_EVENT_TIMES)
def test_an_odd_event_date_or_time_is_refused(
    app, client, auth, clock, staff, field, typed, message
):
    auth.login(staff)
    form = {**event_form(clock()), "recurrence": "weekly", field: typed}
    response = client.post("/events/new", data=form)
    assert_refused_and_kept(response, message, "Thursday circle")
    assert count(app, Event) == 0


@pytest.mark.parametrize(("typed", "message"), ODD_DATES)
def test_an_odd_take_down_date_is_refused(app, client, auth, member, typed, message):
    auth.login(member)
    form = {
        "title": "A quiet morning",
        "body": "Plain words, nothing that names anyone.",
        "audience": "members",
        "byline": "pseudonym",
        "action": "save",
        "unpublish_on": typed,
    }
    response = client.post("/stories/new", data=form)
    assert_refused_and_kept(response, message, "A quiet morning")
    assert count(app, Story) == 0


def test_the_last_day_on_the_calendar_is_still_a_date(app, client, auth, clock, staff):
    # 2999-12-31 at 23:00 in UTC-12 is 3000-01-01 in UTC: still a time UTC holds.
    auth.login(staff)
    form = {**event_form(clock()), "timezone": "Etc/GMT+12", "day": "2999-12-31"}
    form |= {"starts": "22:00", "ends": "23:00"}
    assert client.post("/events/new", data=form).status_code == 303
    assert count(app, Event) == 1


def number_and_date_fields(app):
    for endpoint in post_endpoints(app):
        for form_class in form_classes(app.view_functions[endpoint]):
            for name, field in fields(form_class).items():
                if issubclass(field.field_class, IntegerField | DateField | TimeField):
                    yield f"{form_class.__name__}.{name}", field.field_class


def test_every_number_date_and_time_field_reads_only_ascii_and_the_calendar(app):
    """Every number, date or time field in every form a POST route reads is one of the
    shared fields (a new IntegerField, DateField or TimeField would take "٣" or year 9999)."""
    found = dict(number_and_date_fields(app))
    assert len(found) >= 10
    assert {name for name, kind in found.items() if kind.__name__ not in SHARED} == set()


SHARED = {"WholeNumberField", "CalendarDateField", "ClockTimeField"}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # app is only read
@given(st.one_of(st.text(max_size=22), st.from_regex(r" ?-?[0-9]{1,20} ?", fullmatch=True)))
@example("\t7")  # only spaces are taken off: a tab is not a digit
@example("7\n")
@example("X7X")
def test_a_whole_number_is_ascii_digits_or_nothing(app, typed):
    class Form(FlaskForm):
        number = WholeNumberField()

    with app.test_request_context():
        form = Form(formdata=MultiDict({"number": typed}), meta={"csrf": False})
    core = typed.strip(" ")
    digits = core.removeprefix("-")
    is_number = 0 < len(digits) <= 18 and set(digits) <= set(string.digits)
    assert form.number.data == (int(core) if is_number else None)


class TypedForm(FlaskForm):
    """One of each shared field, as a form declares them."""

    class Meta:
        csrf = False

    places = WholeNumberField("Places", render_kw={"size": 4})
    day = CalendarDateField("Day")
    starts = ClockTimeField("Starts")


def typed_form(app, **typed: str) -> TypedForm:
    with app.test_request_context():
        form = TypedForm(formdata=MultiDict(typed))
        form.validate()
        return form


def test_a_number_box_is_a_text_box_that_asks_phones_for_digits(app):
    with app.test_request_context():
        box = str(TypedForm().places)
    assert 'type="text"' in box
    assert 'inputmode="numeric"' in box
    assert 'size="4"' in box  # the form's own attributes are kept beside it


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("places", "12a", NOT_A_NUMBER),
        ("day", "2026-02-30", NOT_A_DATE),
        ("day", "٢٠٢٦-11-30", NOT_A_DATE),
        ("day", "3000-01-01", NOT_ON_THE_CALENDAR),
        ("starts", "1٨:00", NO_TIME),
    ],
)
def test_what_cannot_be_read_leaves_no_value_and_says_exactly_one_thing(app, name, typed, message):
    field = getattr(typed_form(app, **{name: typed}), name)
    assert field.data is None
    assert field.errors == [message]
