"""Cancelling asks first, on a page of its own (issue 16, point 3): GET says what will
happen and changes nothing, POST does it. A member's RSVP (one meeting or the rest of a
group) says who gets the place; staff cancelling a meeting or the rest of a series says how
many people will be told. Works without JavaScript: links and plain forms."""

from __future__ import annotations

import html

from sqlalchemy import select

from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from tests.support.accounts import make_account
from tests.support.events import make_event


def rsvp_statuses(app, occurrence_id: int) -> dict[int, str]:
    with app.app_context():
        query = select(Rsvp.account_id, Rsvp.status).where(Rsvp.occurrence_id == occurrence_id)
        return dict(db.session.execute(query).all())


def cancelled(app, occurrence_ids) -> list[bool]:
    with app.app_context():
        return [db.session.get(Occurrence, each).is_cancelled for each in occurrence_ids]


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_a_member_is_asked_and_told_who_gets_the_place(app, client, auth, clock, staff, member):
    event = make_event(app, staff.id, now=clock(), capacity=1)
    waiting = make_account(app, "ash-member")
    waiting_client = app.test_client()
    auth.login(member)
    client.post(f"/events/{event.first}/rsvp")
    meeting_page = page(client, f"/events/{event.first}")
    assert f'href="/events/{event.first}/rsvp/cancel"' in meeting_page
    assert "Your place will be free for someone else." in page(
        client, f"/events/{event.first}/rsvp/cancel"
    )
    auth.login(waiting, client=waiting_client)
    waiting_client.post(f"/events/{event.first}/rsvp")
    asked = page(client, f"/events/{event.first}/rsvp/cancel")
    assert "Cancel your RSVP to “Tuesday peer circle”?" in asked
    assert "Your place will go to the person who has waited longest, and they will be told." in (
        asked
    )
    assert "Keep my place" in asked
    assert waiting.pseudonym not in asked
    # Asking changed nothing.
    assert rsvp_statuses(app, event.first) == {member.id: "confirmed", waiting.id: "waitlisted"}
    on_the_list = page(waiting_client, f"/events/{event.first}/rsvp/cancel")
    assert "You will leave the waiting list." in on_the_list
    assert "Stay on the waiting list" in on_the_list
    done = client.post(f"/events/{event.first}/rsvp/cancel")
    assert done.status_code == 303
    assert rsvp_statuses(app, event.first) == {waiting.id: "confirmed"}
    nothing = page(client, f"/events/{event.first}/rsvp/cancel")
    assert "You don't have an RSVP to cancel here." in nothing
    assert "Yes, cancel my RSVP" not in nothing


def test_a_member_is_asked_before_cancelling_the_rest_of_a_group(
    app, client, auth, clock, staff, member
):
    event = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=2)
    auth.login(member)
    client.post(f"/events/{event.first}/rsvp-series")
    asked = page(client, f"/events/{event.first}/rsvp-series/cancel")
    assert "Your RSVPs to 3 meetings still to come will be cancelled." in asked
    assert "Yes, cancel my RSVPs" in asked
    assert all(rsvp_statuses(app, each) for each in event.occurrence_ids)
    client.post(f"/events/{event.first}/rsvp-series/cancel")
    assert not any(rsvp_statuses(app, each) for each in event.occurrence_ids)


def test_staff_are_asked_and_told_how_many_people_hear(app, client, auth, clock, staff, member):
    event = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=2)
    going = app.test_client()
    auth.login(member, client=going)
    going.post(f"/events/{event.first}/rsvp")
    auth.login(staff)
    meeting_page = page(client, f"/events/{event.first}")
    assert f'href="/events/{event.first}/cancel"' in meeting_page
    assert f'href="/events/{event.first}/cancel-series"' in meeting_page
    one = page(client, f"/events/{event.first}/cancel")
    assert "Cancel “Tuesday peer circle”?" in one
    assert "1 person with an RSVP will be told." in one
    assert "Yes, cancel this meeting" in one
    rest = page(client, f"/events/{event.first}/cancel-series")
    assert "3 meetings still to come will be cancelled." in rest
    assert "1 person with an RSVP will be told." in rest
    assert cancelled(app, event.occurrence_ids) == [False, False, False]
    # The second meeting has nobody yet.
    assert "0 people with an RSVP will be told." in page(
        client, f"/events/{event.occurrence_ids[1]}/cancel"
    )
    assert client.post(f"/events/{event.first}/cancel").status_code == 303
    assert cancelled(app, event.occurrence_ids) == [True, False, False]
    again = page(client, f"/events/{event.first}/cancel")
    assert "This meeting is already cancelled." in again
    assert "Yes, cancel this meeting" not in again
    assert "2 meetings still to come will be cancelled." in page(
        client, f"/events/{event.first}/cancel-series"
    )


def test_the_confirmation_pages_are_refused_to_those_who_may_not_cancel(
    app, client, auth, clock, staff, member
):
    event = make_event(app, staff.id, now=clock())
    other_staff = make_account(app, "oak-staff", role="staff")
    auth.login(member)
    for path in ("cancel", "cancel-series"):
        assert client.get(f"/events/{event.first}/{path}").status_code == 403
    other = app.test_client()
    auth.login(other_staff, client=other)  # staff who do not run it: not theirs to see
    for path in ("cancel", "cancel-series"):
        assert other.get(f"/events/{event.first}/{path}").status_code == 404
    assert cancelled(app, [event.first]) == [False]
