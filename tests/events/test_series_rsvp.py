"""RSVP to a whole series, and cancel the rest of it, in one step (issue 14, point 3).

Rules: a series RSVP takes a place in each meeting still taking RSVPs (not started, not
cancelled) that has one, and the waiting list of each that is full; a meeting already
answered stays as it was; a program's meetings take no RSVPs (the place in the program
is the RSVP); the answer lists each kind soonest first (at one time, the meeting made
first), and no other event is touched. Cancelling the rest removes the RSVPs to meetings
not yet started (a freed place goes to the next person waiting, who is told) and leaves
those that have started, from the start instant on, and other events' RSVPs; it goes
meeting by meeting in id order, as a series RSVP takes them.
"""

from datetime import time, timedelta

import pytest
from sqlalchemy import func, select, text

from advocacy.events import errors, rsvps, scheduling
from advocacy.events.models import Rsvp
from advocacy.extensions import db
from tests.support.event_rules import (
    NOW,
    READ_BACKWARDS,
    notices_of,
    person,
    shown,
    weekly_series,
)
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)

pytestmark = pytest.mark.usefixtures("session")


def statuses(account) -> dict[int, str]:
    rows = db.session.execute(
        select(Rsvp.occurrence_id, Rsvp.status).where(Rsvp.account_id == account.id)
    )
    return dict(rows.all())


def test_a_place_where_there_is_one_and_the_waiting_list_where_it_is_full():
    meetings = weekly_series(person("maple", "staff"), meetings=4, capacity=1)
    early = person("ash")
    rsvps.rsvp(early, meetings[1].id, now=NOW)  # the second meeting's one place
    member = person("birch")
    answer = rsvps.rsvp_series(member, meetings[0].event_id, now=NOW)
    assert [o.id for o in answer.confirmed] == [meetings[0].id, meetings[2].id, meetings[3].id]
    assert [o.id for o in answer.waitlisted] == [meetings[1].id]
    assert answer.already == []
    assert statuses(member) == {
        meetings[0].id: "confirmed",
        meetings[1].id: "waitlisted",
        meetings[2].id: "confirmed",
        meetings[3].id: "confirmed",
    }
    for occurrence in meetings:
        db.session.refresh(occurrence)
    assert [o.taken for o in meetings] == [1, 1, 1, 1]


def test_a_meeting_already_answered_stays_as_it_was_and_nothing_is_doubled():
    meetings = weekly_series(person("maple", "staff"), meetings=3, capacity=1)
    rsvps.rsvp(person("ash"), meetings[0].id, now=NOW)
    member = person("birch")
    rsvps.rsvp(member, meetings[0].id, now=NOW)  # waiting for the first meeting
    answer = rsvps.rsvp_series(member, meetings[0].event_id, now=NOW)
    assert [o.id for o in answer.already] == [meetings[0].id]
    assert statuses(member)[meetings[0].id] == "waitlisted"
    again = rsvps.rsvp_series(member, meetings[0].event_id, now=NOW)
    assert (again.confirmed, again.waitlisted) == ([], [])
    count = select(func.count()).select_from(Rsvp).where(Rsvp.account_id == member.id)
    assert db.session.scalar(count) == 3


def test_started_and_cancelled_meetings_are_left_out():
    meetings = weekly_series(person("maple", "staff"), meetings=3, capacity=None)
    scheduling.cancel_occurrence(meetings[2].id, now=NOW)
    member = person("birch")
    after_first_started = meetings[0].starts_at
    answer = rsvps.rsvp_series(member, meetings[0].event_id, now=after_first_started)
    assert [o.id for o in answer.confirmed] == [meetings[1].id]
    assert statuses(member) == {meetings[1].id: "confirmed"}


def test_nothing_to_take_is_refused_calmly_and_writes_nothing():
    meetings = weekly_series(person("maple", "staff"), meetings=2, capacity=None)
    member = person("birch")
    with pytest.raises(errors.EventNotOpen) as refused:
        rsvps.rsvp_series(member, meetings[0].event_id, now=meetings[1].starts_at)
    assert shown(refused) == (
        "This meeting has already started, ended or been cancelled, so it can't take RSVPs."
    )
    assert statuses(member) == {}


def test_cancelling_the_rest_frees_places_for_those_waiting_and_keeps_the_past():
    meetings = weekly_series(person("maple", "staff"), meetings=3, capacity=1)
    member, waiting = person("birch"), person("cedar")
    rsvps.rsvp_series(member, meetings[0].event_id, now=NOW)
    rsvps.rsvp(waiting, meetings[2].id, now=NOW)
    assert statuses(waiting) == {meetings[2].id: "waitlisted"}
    during_first = meetings[0].starts_at + timedelta(minutes=5)
    cancelled = rsvps.cancel_series_rsvps(member, meetings[0].event_id, now=during_first)
    assert cancelled == 2
    assert statuses(member) == {meetings[0].id: "confirmed"}  # it has started: kept
    assert statuses(waiting) == {meetings[2].id: "confirmed"}
    assert [n.kind for n in notices_of(waiting)] == ["waitlist_promoted"]


def test_cancelling_with_nothing_to_cancel_says_so():
    meetings = weekly_series(person("maple", "staff"), meetings=2, capacity=None)
    with pytest.raises(errors.NoRsvp) as refused:
        rsvps.cancel_series_rsvps(person("birch"), meetings[0].event_id, now=NOW)
    assert shown(refused) == "You have no RSVPs to this group's meetings still to come."


def move(occurrence, *, to):
    """Staff move one meeting to 18:00–19:00 (UTC) on another day (`to`)."""
    scheduling.change_occurrence(
        occurrence.id, day=to, starts=time(18), ends=time(19), capacity=None, now=NOW
    )


def test_the_answer_is_soonest_first_and_no_other_event_is_touched():
    staff = person("maple", "staff")
    meetings = weekly_series(staff, meetings=3, capacity=None)
    other = weekly_series(staff, meetings=2, capacity=None)
    move(meetings[0], to=meetings[2].starts_at.date() + timedelta(days=1))  # now the last
    member = person("birch")
    answer = rsvps.rsvp_series(member, meetings[0].event_id, now=NOW)
    assert [o.id for o in answer.confirmed] == [meetings[1].id, meetings[2].id, meetings[0].id]
    assert statuses(member) == {occurrence.id: "confirmed" for occurrence in meetings}
    assert rsvps.open_meetings(other[0].event_id, NOW) == other


def test_meetings_at_one_time_are_answered_in_the_order_made():
    meetings = weekly_series(person("maple", "staff"), meetings=2, capacity=None)
    # The first moves to the second's time: PostgreSQL writes its row anew, after the
    # second's, and with statistics (ANALYZE) reads the small table whole and sorts.
    move(meetings[0], to=meetings[1].starts_at.date())
    db.session.execute(text("ANALYZE"))
    answer = rsvps.rsvp_series(person("birch"), meetings[0].event_id, now=NOW)
    assert [o.id for o in answer.confirmed] == [meetings[0].id, meetings[1].id]


def test_cancelling_the_rest_keeps_a_meeting_starting_that_instant_and_other_events():
    staff = person("maple", "staff")
    meetings = weekly_series(staff, meetings=3, capacity=None)
    other = weekly_series(staff, meetings=2, capacity=None)
    member = person("birch")
    for occurrence in (meetings[0], other[0]):
        rsvps.rsvp_series(member, occurrence.event_id, now=NOW)
    starting = meetings[0].starts_at
    assert rsvps.cancel_series_rsvps(member, meetings[0].event_id, now=starting) == 2
    assert statuses(member) == {o.id: "confirmed" for o in (meetings[0], *other)}


@pytest.mark.parametrize(
    "backwards", [pytest.param(False, id="rows-read-forwards"), READ_BACKWARDS]
)
def test_the_rest_is_let_go_in_the_order_the_meetings_were_made(backwards):
    # Meeting by meeting in id order, as a series RSVP takes them (so the two never wait
    # on each other in a circle): the one waiting for both is told in that order.
    if backwards:
        db.session.execute(text("PRAGMA reverse_unordered_selects = ON"))
    meetings = weekly_series(person("maple", "staff"), meetings=2, capacity=1)
    member, waiting = person("birch"), person("cedar")
    for occurrence in (meetings[1], meetings[0]):  # the later one answered first
        rsvps.rsvp(member, occurrence.id, now=NOW)
    for occurrence in meetings:
        rsvps.rsvp(waiting, occurrence.id, now=NOW)
    assert rsvps.cancel_series_rsvps(member, meetings[0].event_id, now=NOW) == 2
    assert [notice.link for notice in notices_of(waiting)] == [
        f"/events/{meetings[0].id}",
        f"/events/{meetings[1].id}",
    ]
