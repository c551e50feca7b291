"""RSVPs: places, the private waiting list, promotion with a notice, staff changes."""

import pytest
from sqlalchemy import func, select

from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.notices.models import Notice
from tests.support.accounts import make_account
from tests.support.events import VENUE, make_event


@pytest.fixture
def full_event(app, clock, staff):
    return make_event(app, staff.id, now=clock(), capacity=1)


def rsvp(app, account, occurrence_id):
    client = app.test_client()
    client.post("/login", data={"pseudonym": account.pseudonym, "password": account.password})
    response = client.post(f"/events/{occurrence_id}/rsvp")
    assert response.status_code == 303
    return client


def statuses(app, occurrence_id) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(
            select(Rsvp.account_id, Rsvp.status).where(Rsvp.occurrence_id == occurrence_id)
        )
        return dict(rows.all())


def taken(app, occurrence_id) -> int:
    with app.app_context():
        return db.session.get(Occurrence, occurrence_id).taken


def notices_of(app, account) -> list[Notice]:
    with app.app_context():
        return list(db.session.scalars(select(Notice).where(Notice.account_id == account.id)))


def test_first_gets_the_place_second_waits_and_sees_no_venue(app, full_event, member, other_member):
    first = rsvp(app, member, full_event.first)
    second = rsvp(app, other_member, full_event.first)
    assert statuses(app, full_event.first) == {
        member.id: "confirmed",
        other_member.id: "waitlisted",
    }
    assert VENUE in first.get(f"/events/{full_event.first}").get_data(as_text=True)
    page = second.get(f"/events/{full_event.first}").get_data(as_text=True)
    assert "waiting list (number 1)" in page
    assert VENUE not in page
    assert other_member.pseudonym not in first.get(f"/events/{full_event.first}").get_data(
        as_text=True
    )


def test_cancelling_promotes_the_next_and_tells_them(app, full_event, member, other_member):
    first = rsvp(app, member, full_event.first)
    third = make_account(app, "third-member")
    rsvp(app, other_member, full_event.first)
    rsvp(app, third, full_event.first)
    assert first.post(f"/events/{full_event.first}/rsvp/cancel").status_code == 303
    assert statuses(app, full_event.first) == {other_member.id: "confirmed", third.id: "waitlisted"}
    assert taken(app, full_event.first) == 1
    (notice,) = notices_of(app, other_member)
    assert notice.kind == "waitlist_promoted"
    assert notice.link == f"/events/{full_event.first}"
    assert notices_of(app, third) == []


def test_cancelling_a_waiting_place_promotes_nobody(app, full_event, member, other_member):
    rsvp(app, member, full_event.first)
    waiting = rsvp(app, other_member, full_event.first)
    waiting.post(f"/events/{full_event.first}/rsvp/cancel")
    assert statuses(app, full_event.first) == {member.id: "confirmed"}
    assert taken(app, full_event.first) == 1


def test_no_double_rsvp_and_calm_message(app, full_event, member):
    client = rsvp(app, member, full_event.first)
    client.post(f"/events/{full_event.first}/rsvp")
    body = client.get(f"/events/{full_event.first}").get_data(as_text=True)
    assert "already RSVP" in body
    assert len(statuses(app, full_event.first)) == 1
    assert taken(app, full_event.first) == 1


def test_no_rsvp_to_past_or_cancelled_meetings(app, client, auth, clock, staff, member):
    event = make_event(app, staff.id, now=clock(), in_days=1)
    auth.login(staff)
    client.post(f"/events/{event.first}/cancel")
    auth.logout()
    auth.login(member)
    client.post(f"/events/{event.first}/rsvp")
    assert statuses(app, event.first) == {}
    clock.advance(days=3)
    other = make_event(app, staff.id, now=clock(), in_days=1)
    clock.advance(days=2)
    auth.login(member)
    client.post(f"/events/{other.first}/rsvp")
    assert statuses(app, other.first) == {}
    assert "has already started, ended or been cancelled" in client.get(
        f"/events/{other.first}"
    ).get_data(as_text=True)


def test_past_meetings_are_not_listed(app, client, auth, clock, staff, member):
    make_event(app, staff.id, now=clock(), in_days=1, title="Soon over")
    clock.advance(days=3)
    auth.login(member)
    assert "Soon over" not in client.get("/events").get_data(as_text=True)


def test_cancelling_nothing_is_a_calm_message(app, client, auth, full_event, member):
    auth.login(member)
    client.post(f"/events/{full_event.first}/rsvp/cancel")
    body = client.get(f"/events/{full_event.first}").get_data(as_text=True)
    assert "have an RSVP for this meeting" in body


def test_moving_a_meeting_tells_everyone_with_an_rsvp(
    app, client, auth, clock, full_event, staff, member, other_member
):
    rsvp(app, member, full_event.first)
    rsvp(app, other_member, full_event.first)
    auth.login(staff)
    response = client.post(
        f"/events/{full_event.first}/edit",
        data={
            "part": "meeting",
            "meeting-day": f"{clock().year + 1}-01-05",
            "meeting-starts": "17:00",
            "meeting-ends": "18:00",
            "meeting-capacity": "2",
        },
    )
    assert response.status_code == 303
    assert [n.kind for n in notices_of(app, member)] == ["event_changed"]
    # More places: the one waiting is confirmed at once, and told so.
    assert statuses(app, full_event.first)[other_member.id] == "confirmed"
    assert sorted(n.kind for n in notices_of(app, other_member)) == [
        "event_changed",
        "waitlist_promoted",
    ]


def test_cancelling_a_series_tells_everyone(app, client, auth, clock, staff, member):
    event = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=3)
    rsvp(app, member, event.occurrence_ids[0])
    rsvp(app, member, event.occurrence_ids[2])
    auth.login(staff)
    client.post(f"/events/{event.first}/cancel-series", data={"confirm": "yes"})
    # One save, one notice, however many of the member's meetings it cancelled.
    assert [n.kind for n in notices_of(app, member)] == ["event_series_cancelled"]
    assert notices_of(app, member)[0].params["num"] == "2"
    auth.logout()
    auth.login(member)
    assert "Tuesday peer circle" not in client.get("/events").get_data(as_text=True)


def test_attendees_by_pseudonym_only_for_the_staff_who_runs_it(
    app, client, auth, clock, full_event, staff, member
):
    rsvp(app, member, full_event.first)
    other_staff = make_account(app, "other-staff", role="staff")
    auth.login(other_staff)
    page = client.get(f"/events/{full_event.first}").get_data(as_text=True)
    assert "Confirmed: 1" in page
    assert member.pseudonym not in page
    assert client.get(f"/events/{full_event.first}/attendees").status_code == 404
    auth.logout()
    auth.login(staff)
    assert member.pseudonym in client.get(f"/events/{full_event.first}/attendees").get_data(
        as_text=True
    )


def test_attendance_is_recorded_after_the_start(
    app, client, auth, clock, full_event, staff, member
):
    rsvp(app, member, full_event.first)
    auth.login(staff)
    with app.app_context():
        rsvp_id = db.session.scalar(select(Rsvp.id))
    client.post(f"/events/{full_event.first}/attendees", data={"present": str(rsvp_id)})
    with app.app_context():
        assert db.session.scalar(select(Rsvp.attended)) is None
    clock.advance(days=3)
    auth.login(staff)
    client.post(f"/events/{full_event.first}/attendees", data={"present": str(rsvp_id)})
    with app.app_context():
        assert db.session.scalar(select(Rsvp.attended)) is True


def test_rsvps_are_exported_and_deleted_with_the_account(app, full_event, member, other_member):
    client = rsvp(app, member, full_event.first)
    rsvp(app, other_member, full_event.first)
    data = client.post("/account/export", data={"password": member.password}).get_json()
    assert data["events"]["rsvps"][0]["status"] == "confirmed"
    assert VENUE not in str(data)
    client.post("/account/delete", data={"password": member.password})
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Rsvp).where(Rsvp.account_id == member.id)
            )
            == 0
        )
    # The freed place went to the one waiting.
    assert statuses(app, full_event.first) == {other_member.id: "confirmed"}
