"""One-line text others see keeps no bidirectional control (UAX #9), so it shows as it is.

"abc\u202efdp.exe" displays as "abcexe.pdf": a title, an area or a summary must not
show something other than what it holds. Each control is removed, the rest kept.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from advocacy.events.models import Event
from advocacy.extensions import db
from advocacy.programs.models import Program
from advocacy.stories.models import Story
from tests.support.accounts import load_account
from tests.support.once import program_form

# U+202A-U+202E (embeddings, overrides), U+2066-U+2069 (isolates), LRM, RLM, ALM.
BIDI = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


def only(app, model):
    with app.app_context():
        return db.session.scalars(select(model)).one()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


STORY = {
    "body": "Plain words, nothing that names anyone.",
    "audience": "members",
    "byline": "pseudonym",
    "action": "save",
}


@pytest.mark.parametrize("control", BIDI)
def test_a_story_title_and_warning_keep_no_bidi_control(app, client, auth, member, control):
    auth.login(member)
    form = {**STORY, "title": f"abc{control}fdp.exe", "warning_note": f"{control}grief{control}"}
    assert client.post("/stories/new", data=form).status_code == 303
    story = only(app, Story)
    assert story.title == "abcfdp.exe"
    assert story.warning_note == "grief"


def test_every_bidi_control_at_once_and_other_text_kept(app, client, auth, member):
    auth.login(member)
    title = "abc\u202efdp.exe \u2067שלום\u2069 é ٣ \u200d"  # a joiner is no bidi control
    response = client.post("/stories/new", data={**STORY, "title": "".join(BIDI) + title})
    assert response.status_code == 303
    assert only(app, Story).title == "abcfdp.exe שלום é ٣ \u200d"


def test_a_title_of_bidi_controls_alone_is_no_title(app, client, auth, member):
    auth.login(member)
    response = client.post("/stories/new", data={**STORY, "title": "".join(BIDI)})
    assert response.status_code == 400
    assert "Please fill this in." in response.get_data(as_text=True)
    assert count(app, Story) == 0


def test_an_event_title_and_area_keep_no_bidi_control(app, client, auth, clock, staff):
    auth.login(staff)
    day = (clock() + timedelta(days=3)).date().isoformat()
    form = {
        "title": "Thursday \u202ecircle",
        "mode": "online",
        "area": "\u2066Online\u2069",
        "venue": "https://meet.example/abc",
        "timezone": "America/New_York",
        "language": "en",
        "day": day,
        "starts": "18:00",
        "ends": "19:00",
        "recurrence": "none",
    }
    assert client.post("/events/new", data=form).status_code == 303
    event = only(app, Event)
    assert (event.title, event.area) == ("Thursday circle", "Online")


def test_a_program_title_and_summary_keep_no_bidi_control(app, client, auth, clock, staff):
    auth.login(staff)
    form = {
        **program_form(clock()),
        "title": "Leading\u200f together",
        "summary": "Twelve \u202dweeks.\u202c",
    }
    assert client.post("/programs/new", data=form).status_code == 303
    program = only(app, Program)
    assert (program.title, program.summary) == ("Leading together", "Twelve weeks.")


def test_a_pseudonym_with_a_bidi_control_is_still_refused(app, client, auth, member):
    auth.login(member)
    response = client.post(
        "/account/pseudonym", data={"pseudonym": "river\u202eblue", "password": member.password}
    )
    assert response.status_code == 400
    assert load_account(app, member.id).pseudonym == member.pseudonym
