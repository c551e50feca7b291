"""RSVP to a whole series, and cancel the rest of it, in one step (issue 14, point 3).

Rules: a series RSVP takes a place in each meeting still taking RSVPs (not started, not
cancelled) that has one, and the waiting list of each that is full; a meeting already
answered stays as it was; a program's meetings take no RSVPs (the place in the program
is the RSVP). Cancelling the rest removes the RSVPs to meetings not yet started (a freed
place goes to the next person waiting, who is told) and leaves those that have started.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from advocacy.events import errors, rsvps, scheduling
from advocacy.events.models import Rsvp
from advocacy.extensions import db
from tests.support.event_rules import NOW, notices_of, person, shown, weekly_series
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
