"""Issue 18, lighter pages: a zone field lists common zones, the site's and its own value,
not all ~600 of the tz database; any zone typed is still taken, and typing part of a
name finds the others (the form kept as typed, JavaScript off)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from advocacy.events.models import Event
from advocacy.extensions import db
from tests.support.accounts import Clock
from tests.support.events import make_event
from tests.support.once import event_form
from tests.support.programs import make_program

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
# Issue 18's "Done when": staff event form HTML ≤ 12 KB.
MOST_BYTES = 12 * 1024


def option(zone: str) -> str:
    return f'<option value="{zone}">'


@pytest.fixture
def as_staff(app, client, auth, staff):
    clock = Clock(NOW)
    app.config["CLOCK"] = clock
    auth.clock = clock
    auth.login(staff)
    return client


def test_the_new_event_form_is_light_and_lists_common_zones_only(as_staff):
    response = as_staff.get("/events/new")
    assert response.status_code == 200
    assert len(response.data) <= MOST_BYTES, len(response.data)
    page = response.get_data(as_text=True)
    for common in ("America/New_York", "America/Los_Angeles", "America/Puerto_Rico", "UTC"):
        assert option(common) in page
    for rare in ("Antarctica/Troll", "Asia/Kathmandu", "Pacific/Chatham", "Europe/Vaduz"):
        assert option(rare) not in page
    assert page.count("<option value=") < 60


@pytest.mark.parametrize("form", ["meetings/new", "meetings/past"])
def test_a_programs_meeting_forms_are_light_too(app, as_staff, staff, form):
    program = make_program(app, staff.id, now=NOW)
    response = as_staff.get(f"/programs/{program.id}/{form}")
    assert response.status_code == 200
    assert len(response.data) <= MOST_BYTES, len(response.data)
    assert option("America/New_York") in response.get_data(as_text=True)


def test_the_edit_form_lists_the_events_own_zone_and_stays_light(app, as_staff, staff):
    occurrence_id = make_event(app, staff.id, now=NOW, timezone="Asia/Kathmandu").first
    response = as_staff.get(f"/events/{occurrence_id}/edit")
    assert response.status_code == 200
    assert len(response.data) <= MOST_BYTES, len(response.data)
    page = response.get_data(as_text=True)
    assert 'value="Asia/Kathmandu"' in page.split("<datalist", 1)[0]  # the field's value
    assert option("Asia/Kathmandu") in page  # and in its list
    assert option("Pacific/Chatham") not in page


def test_the_site_zone_is_listed_beside_the_events_own(app, as_staff, staff):
    app.config["DEFAULT_TIMEZONE"] = "Pacific/Chatham"
    occurrence_id = make_event(app, staff.id, now=NOW, timezone="Asia/Kathmandu").first
    page = as_staff.get(f"/events/{occurrence_id}/edit").get_data(as_text=True)
    assert option("Pacific/Chatham") in page
    assert option("Asia/Kathmandu") in page


def event_zone(app) -> str:
    with app.app_context():
        return db.session.scalars(select(Event.timezone)).one()


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("Antarctica/Troll", "Antarctica/Troll"), ("kathmandu", "Asia/Kathmandu")],
)
def test_a_zone_outside_the_list_is_still_taken(app, as_staff, typed, saved):
    response = as_staff.post("/events/new", data={**event_form(NOW), "timezone": typed})
    assert response.status_code == 303
    assert event_zone(app) == saved


def test_part_of_a_name_finds_every_zone_that_holds_it_and_keeps_the_form(app, as_staff):
    response = as_staff.post("/events/new", data={**event_form(NOW), "timezone": "argentina"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Thursday circle"' in page  # the rest is kept as typed
    assert 'value="argentina"' in page
    assert "Choose a time zone from the list, like America/New_York." in page
    for found in ("America/Argentina/Cordoba", "America/Argentina/Ushuaia"):
        assert found in page.split("<datalist", 1)[0]  # said in words, by the field
        assert option(found) in page  # and offered in its list
    with app.app_context():
        assert db.session.scalars(select(Event)).first() is None


def test_a_name_that_holds_nothing_is_said_escaped(as_staff):
    response = as_staff.post("/events/new", data={**event_form(NOW), "timezone": "<b>nowhere"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "No zone's name holds “&lt;b&gt;nowhere”." in page
    assert "<b>nowhere" not in page


def test_a_members_own_zone_is_listed_on_the_account_page(app, client, auth, member):
    auth.login(member)
    client.post("/account/preferences", data={"locale": "", "timezone": "Pacific/Chatham"})
    page = client.get("/account").get_data(as_text=True)
    assert option("Pacific/Chatham") in page
    assert option("Antarctica/Troll") not in page
