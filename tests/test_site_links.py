"""Links the site hands to others name the configured address, never a request's Host.

A forged Host header must not put another site into a completion letter (whoever checks
the letter would be sent there) nor into a calendar entry.
"""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from advocacy.config import Config
from advocacy.extensions import db
from advocacy.programs.models import Enrollment
from tests.programs.test_enrollment import enroll
from tests.support.events import make_event
from tests.support.programs import make_program

SITE = "https://pathways.example.org"
FORGED_HOST = "evil.example"


def forged_host(client):
    """Send this client's requests with a forged Host header, still signed in (a browser
    holds cookies per host; here the session cookie goes along)."""
    cookie = client.get_cookie("advocacy_session")
    client.set_cookie("advocacy_session", cookie.value, domain=FORGED_HOST)
    return {"headers": {"Host": FORGED_HOST}}


@pytest.fixture
def app_overrides():
    return {"BASE_URL": SITE}


def completed(app, client, auth, clock, staff, member):
    """A member who completed a leadership program: their signed-in client and the program."""
    program = make_program(app, staff.id, now=clock(), kind="leadership", title="Lead", starts_in=0)
    member_client = enroll(app, member, program.id)
    auth.login(staff)
    with app.app_context():
        enrollment_id = db.session.scalar(select(Enrollment.id))
    client.post(f"/programs/{program.id}/roster/{enrollment_id}/complete", data={"confirm": "yes"})
    return member_client, program.id


@pytest.mark.parametrize("data", [{}, {"format": "text"}])
def test_a_letter_names_the_configured_address_whatever_the_host(
    app, client, auth, clock, staff, member, data
):
    member_client, program_id = completed(app, client, auth, clock, staff, member)
    forged = forged_host(member_client)
    response = member_client.post(f"/programs/{program_id}/letter", data=data, **forged)
    assert response.status_code == 303  # made; shown at its own address (no host in it)
    assert response.headers["Location"].startswith(f"/programs/{program_id}/letter/latest")
    shown = member_client.get(response.headers["Location"], **forged)
    assert shown.status_code == 200
    letter = shown.get_data(as_text=True)
    assert "https://pathways.example.org/programs/verify" in letter
    assert "evil.example" not in letter


def test_a_calendar_entry_names_no_host_at_all(app, client, auth, clock, staff, member):
    occurrence_id = make_event(app, staff.id, now=clock()).first
    auth.login(member)
    response = client.get(f"/events/{occurrence_id}.ics", **forged_host(client))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "evil.example" not in text
    assert "pathways.example.org" not in text  # even the real site stays unnamed
    entry = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert re.fullmatch(r"[0-9a-f]{32}@calendar\.invalid", str(entry["uid"]))
    again = Calendar.from_ical(client.get(f"/events/{occurrence_id}.ics").data)
    assert again.walk("VEVENT")[0]["uid"] == entry["uid"]  # stable: updates still match


def test_the_address_defaults_to_the_local_development_server():
    # `make run` serves on http://127.0.0.1:8000; production sets ADVOCACY_BASE_URL.
    assert Config.BASE_URL == "http://127.0.0.1:8000"
