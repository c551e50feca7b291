"""A series on a meeting's page (issue 14, point 3): RSVP to every meeting still to come
in one step, told meeting by meeting where it left you, and cancel the rest in one step.
Not offered for a single meeting, a cancelled one, or a program's meetings."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from advocacy.events.models import Rsvp
from advocacy.extensions import db
from tests.support.accounts import make_account
from tests.support.events import make_event
from tests.support.programs import make_program

RSVP_ALL = "RSVP to every meeting"
CANCEL_REST = "Cancel my RSVPs to the rest of this group"


def flashes(page: str) -> str:
    return " ".join(re.findall(r'class="flash[^"]*"[^>]*>(.*?)</', page, re.S))


def rsvp_rows(app, account_id: int) -> int:
    with app.app_context():
        query = select(func.count()).select_from(Rsvp).where(Rsvp.account_id == account_id)
        return db.session.scalar(query)


def test_a_member_takes_every_meeting_then_cancels_the_rest(
    app, client, auth, clock, staff, member
):
    # Four weekly meetings with one place each; someone else holds the third one's place.
    event = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=3, capacity=1)
    other = make_account(app, "ash-member")
    other_client = app.test_client()
    auth.login(other, client=other_client)
    other_client.post(f"/events/{event.occurrence_ids[2]}/rsvp")
    auth.login(member)
    page = client.get(f"/events/{event.first}").get_data(as_text=True)
    assert RSVP_ALL in page
    assert CANCEL_REST not in page
    assert "4 meetings still to come take RSVPs." in page
    assert f'href="/events/{event.first}/series.ics"' in page

    answer = client.post(f"/events/{event.first}/rsvp-series", follow_redirects=True)
    said = flashes(answer.get_data(as_text=True))
    assert "You have a place at each of 3 meetings of “Tuesday peer circle”." in said
    # The third meeting (weekly from Sunday 29 November), as the site writes a date.
    assert "1 meeting is full, so you’re on its waiting list: 13 December 2026." in said.replace(
        "&#39;", "’"
    ).replace("'", "’")
    assert rsvp_rows(app, member.id) == 4
    page = answer.get_data(as_text=True)
    assert "You have RSVPs to 4 of them." in page
    waiting = client.get(f"/events/{event.occurrence_ids[2]}").get_data(as_text=True)
    assert "waiting list (number 1)" in waiting
    assert "Full: you can join the waiting list." not in waiting  # they already have
    assert RSVP_ALL not in page
    assert CANCEL_REST in page

    answer = client.post(f"/events/{event.first}/rsvp-series/cancel", follow_redirects=True)
    assert "Your RSVPs to 4 meetings still to come are cancelled." in flashes(
        answer.get_data(as_text=True)
    )
    assert rsvp_rows(app, member.id) == 0
    assert rsvp_rows(app, other.id) == 1


def test_a_single_meeting_offers_no_series(app, client, auth, clock, staff, member):
    event = make_event(app, staff.id, now=clock())
    auth.login(member)
    page = client.get(f"/events/{event.first}").get_data(as_text=True)
    assert RSVP_ALL not in page
    assert CANCEL_REST not in page
    assert "series.ics" not in page


def test_a_program_s_meetings_take_no_series_rsvp(app, client, auth, clock, staff, member):
    program = make_program(app, staff.id, now=clock(), meetings=3)
    auth.login(member)
    client.post(f"/programs/{program.id}/enroll")
    page = client.get(f"/events/{program.meeting_ids[0]}").get_data(as_text=True)
    assert RSVP_ALL not in page
    answer = client.post(f"/events/{program.meeting_ids[0]}/rsvp-series", follow_redirects=True)
    assert "This is a program meeting: your place in the program is your RSVP." in flashes(
        answer.get_data(as_text=True)
    )
    assert rsvp_rows(app, member.id) == 0


def test_a_program_meeting_one_does_not_belong_to_is_not_found(
    app, client, auth, clock, staff, member
):
    program = make_program(app, staff.id, now=clock(), meetings=2)
    auth.login(member)  # not in the program
    for path in ("rsvp-series", "rsvp-series/cancel"):
        assert client.post(f"/events/{program.meeting_ids[0]}/{path}").status_code == 404
    assert rsvp_rows(app, member.id) == 0
