"""RSVP rules at the service level, to the second: places, the queue, promotion, notices.

Rules (DESIGN §Events): beyond capacity members are waitlisted and promoted automatically,
longest-waiting first, when a place frees up; a meeting that has started, ended or been
cancelled takes no RSVPs and promotes nobody; a promoted member is told in the app. An
order the rule names (the queue, the home list) must hold whatever way the database reads
the rows. Each RSVP (a place or a place in the queue) counts once for the whole site in
the month it was made (reports/counting.py). A request stopped at the fault point
rsvp.place_taken has counted its place and written no RSVP row (advocacy/faults.py), the
moment tests/test_worker_kill.py kills it at.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text, update

from advocacy.accounts.models import Account
from advocacy.events import attendance, errors, rsvps, scheduling
from advocacy.events import finding as event_finding
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.reports.models import MonthlyCount
from tests.support.event_rules import NOW, READ_BACKWARDS, meeting, notices_of, person, shown
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)
from tests.support.faults import Stopped, stop_at

pytestmark = pytest.mark.usefixtures("session")
SECOND = timedelta(seconds=1)


def taken(occurrence: Occurrence) -> int:
    db.session.refresh(occurrence)
    return occurrence.taken


def status_by_pseudonym(occurrence: Occurrence) -> dict[str, str]:
    rows = db.session.execute(
        select(Rsvp.account_id, Rsvp.status).where(Rsvp.occurrence_id == occurrence.id)
    )
    return {db.session.get(Account, a).pseudonym: s for a, s in rows}


def test_places_up_to_capacity_then_the_queue_in_order():
    staff = person("maple", "staff")
    occurrence = meeting(staff, capacity=2)
    a, b, c, d = (person(name) for name in ("ash", "birch", "cedar", "dune"))
    bookings = [rsvps.rsvp(who, occurrence.id, now=NOW) for who in (a, b, c, d)]
    assert [booking.status for booking in bookings] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert bookings[0].created_at == NOW
    assert bookings[0].account_id == a.id
    assert taken(occurrence) == 2
    assert [rsvps.waitlist_position(booking) for booking in bookings[2:]] == [1, 2]
    assert attendance.counts(occurrence.id) == {"confirmed": 2, "waitlisted": 2}


def test_each_rsvp_counts_once_for_the_whole_site_in_its_month():
    occurrence = meeting(person("maple", "staff"), capacity=1)
    rsvps.rsvp(person("ash"), occurrence.id, now=NOW)  # the one place
    rsvps.rsvp(person("birch"), occurrence.id, now=NOW)  # the queue
    counts = select(
        MonthlyCount.month, MonthlyCount.program_id, MonthlyCount.measure, MonthlyCount.count
    )
    assert db.session.execute(counts).all() == [(date(2026, 11, 1), None, "rsvp", 2)]


def test_no_capacity_means_no_queue():
    occurrence = meeting(person("maple", "staff"), capacity=None)
    statuses = [rsvps.rsvp(person(f"member-{n}"), occurrence.id, now=NOW).status for n in range(3)]
    assert statuses == ["confirmed"] * 3
    assert taken(occurrence) == 3
    assert attendance.counts(occurrence.id) == {"confirmed": 3, "waitlisted": 0}


def test_rsvps_close_at_the_start_instant():
    occurrence = meeting(person("maple", "staff"), capacity=None)
    early = rsvps.rsvp(person("ash"), occurrence.id, now=occurrence.starts_at - SECOND)
    assert early.status == "confirmed"
    with pytest.raises(errors.EventNotOpen) as refused:
        rsvps.rsvp(person("birch"), occurrence.id, now=occurrence.starts_at)
    assert shown(refused) == (
        "This meeting has already started, ended or been cancelled, so it can't take RSVPs."
    )
    assert taken(occurrence) == 1


def test_no_rsvp_to_a_cancelled_or_missing_meeting_or_twice():
    occurrence = meeting(person("maple", "staff"))
    member = person("ash")
    rsvps.rsvp(member, occurrence.id, now=NOW)
    with pytest.raises(errors.AlreadyResponded) as refused:
        rsvps.rsvp(member, occurrence.id, now=NOW)
    assert shown(refused) == "You have already RSVP'd to this meeting."
    scheduling.cancel_occurrence(occurrence.id, now=NOW)
    with pytest.raises(errors.EventNotOpen):
        rsvps.rsvp(person("birch"), occurrence.id, now=NOW)
    with pytest.raises(errors.EventNotOpen):
        rsvps.rsvp(member, occurrence.id + 1000, now=NOW)
    assert taken(occurrence) == 1


@pytest.mark.parametrize(
    "backwards", [pytest.param(False, id="rows-read-forwards"), READ_BACKWARDS]
)
def test_cancelling_a_place_promotes_the_longest_waiting_and_tells_only_them(backwards):
    if backwards:
        db.session.execute(text("PRAGMA reverse_unordered_selects = ON"))
    occurrence = meeting(person("maple", "staff"), title="Tuesday circle")
    first, second, third = person("ash"), person("birch"), person("cedar")
    for who in (first, second, third):
        rsvps.rsvp(who, occurrence.id, now=NOW)
    later = NOW + timedelta(hours=1)
    promoted = rsvps.cancel_rsvp(first, occurrence.id, now=later)
    assert [booking.account_id for booking in promoted] == [second.id]
    assert status_by_pseudonym(occurrence) == {"birch": "confirmed", "cedar": "waitlisted"}
    assert taken(occurrence) == 1
    (notice,) = notices_of(second)
    assert (notice.kind, notice.link, notice.params) == (
        "waitlist_promoted",
        f"/events/{occurrence.id}",
        {"title": "Tuesday circle"},
    )
    assert notice.created_at == later
    assert notices_of(third) == []
    assert notices_of(first) == []
    third_booking = rsvps.rsvp_of(third.id, occurrence.id)
    assert rsvps.waitlist_position(third_booking) == 1


def test_a_freed_place_after_the_start_goes_to_nobody():
    occurrence = meeting(person("maple", "staff"))
    first, second = person("ash"), person("birch")
    rsvps.rsvp(first, occurrence.id, now=NOW)
    rsvps.rsvp(second, occurrence.id, now=NOW)
    assert rsvps.cancel_rsvp(first, occurrence.id, now=occurrence.starts_at) == []
    assert status_by_pseudonym(occurrence) == {"birch": "waitlisted"}
    assert taken(occurrence) == 0
    assert notices_of(second) == []


def test_a_freed_place_one_second_before_the_start_is_passed_on():
    occurrence = meeting(person("maple", "staff"))
    first, second = person("ash"), person("birch")
    rsvps.rsvp(first, occurrence.id, now=NOW)
    rsvps.rsvp(second, occurrence.id, now=NOW)
    promoted = rsvps.cancel_rsvp(first, occurrence.id, now=occurrence.starts_at - SECOND)
    assert [booking.account_id for booking in promoted] == [second.id]
    assert taken(occurrence) == 1


def test_leaving_the_queue_frees_no_place():
    occurrence = meeting(person("maple", "staff"))
    first, second, third = person("ash"), person("birch"), person("cedar")
    for who in (first, second, third):
        rsvps.rsvp(who, occurrence.id, now=NOW)
    assert rsvps.cancel_rsvp(second, occurrence.id, now=NOW) == []
    assert status_by_pseudonym(occurrence) == {"ash": "confirmed", "cedar": "waitlisted"}
    assert taken(occurrence) == 1
    assert rsvps.rsvp_of(second.id, occurrence.id) is None


def test_cancelling_without_an_rsvp_is_refused():
    occurrence = meeting(person("maple", "staff"))
    with pytest.raises(errors.NoRsvp) as refused:
        rsvps.cancel_rsvp(person("ash"), occurrence.id, now=NOW)
    assert shown(refused) == "You don't have an RSVP for this meeting."


def test_the_queue_number_counts_only_this_meetings_queue():
    staff = person("maple", "staff")
    busy, quiet = meeting(staff, title="Busy"), meeting(staff, title="Quiet")
    ash, birch, cedar = person("ash"), person("birch"), person("cedar")
    rsvps.rsvp(ash, busy.id, now=NOW)
    rsvps.rsvp(birch, busy.id, now=NOW)  # waits for Busy
    rsvps.rsvp(ash, quiet.id, now=NOW)
    rsvps.rsvp(cedar, quiet.id, now=NOW)  # waits for Quiet, after birch waits for Busy
    assert rsvps.waitlist_position(rsvps.rsvp_of(cedar.id, quiet.id)) == 1
    assert rsvps.waitlist_position(rsvps.rsvp_of(birch.id, busy.id)) == 1


def test_home_shows_my_next_three_meetings_soonest_first():
    staff = person("maple", "staff")
    member = person("ash")
    days = [5, 2, 4, 3, 1]
    meetings = {
        day: meeting(staff, starts=NOW + timedelta(days=day), title=f"Day {day}") for day in days
    }
    for occurrence in meetings.values():
        rsvps.rsvp(member, occurrence.id, now=NOW)
    scheduling.cancel_occurrence(meetings[2].id, now=NOW)
    rows = event_finding.my_upcoming(member.id, NOW)
    assert [(event.title, status) for _, event, status in rows] == [
        ("Day 1", "confirmed"),
        ("Day 3", "confirmed"),
        ("Day 4", "confirmed"),
    ]
    # A meeting that has just ended is gone; one ending a second later is still there.
    first = meetings[1]
    assert (
        event_finding.my_upcoming(member.id, first.ends_at - SECOND, limit=1)[0][0].id == first.id
    )
    assert event_finding.my_upcoming(member.id, first.ends_at, limit=1)[0][0].id == meetings[3].id
    assert event_finding.my_upcoming(person("birch").id, NOW) == []


def test_the_place_count_stays_between_zero_and_capacity():
    occurrence = meeting(person("maple", "staff"), capacity=1)
    neighbour = meeting(person("oak", "staff"), capacity=1)
    assert rsvps.take_place(neighbour.id) is True
    rsvps.release_place(occurrence.id)
    assert taken(occurrence) == 0  # never below zero
    assert taken(neighbour) == 1  # and only this meeting's count moves
    assert rsvps.take_place(occurrence.id) is True
    assert rsvps.take_place(occurrence.id) is False  # full
    assert taken(occurrence) == 1
    rsvps.release_place(occurrence.id)
    assert (taken(occurrence), taken(neighbour)) == (0, 1)


@pytest.mark.parametrize("site", ["no-statistics", "analyzed", "analyzed-new-site"])
def test_home_breaks_a_tie_in_start_time_by_the_meeting_made_first(site):
    staff, member = person("maple", "staff"), person("ash")
    same = NOW + timedelta(days=1)
    made_first, made_second = meeting(staff, starts=same), meeting(staff, starts=same)
    # RSVP order must not decide. Each RSVP counts a place: PostgreSQL writes the meeting's
    # row anew, the second's first; on a new site, with statistics (ANALYZE), it reads the
    # small tables whole, in the order the rows were written, and sorts.
    rsvps.rsvp(member, made_second.id, now=NOW)
    rsvps.rsvp(member, made_first.id, now=NOW)
    if site == "analyzed":
        # A site in use: other members' RSVPs to meetings long over, and the statistics
        # a database gathers (ANALYZE) saying one member has few RSVPs. SQLite then reads
        # the member's RSVPs first, in the order they were made, and sorts what it found.
        past = NOW - timedelta(days=30)
        for n in range(10):
            over = meeting(staff, starts=past + timedelta(hours=n), now=past - timedelta(days=1))
            rsvps.rsvp(person(f"member-{n}"), over.id, now=past - timedelta(days=1))
    if site != "no-statistics":
        db.session.execute(text("ANALYZE"))
    rows = event_finding.my_upcoming(member.id, NOW)
    assert [occurrence.id for occurrence, _, _ in rows] == [made_first.id, made_second.id]
    assert event_finding.my_upcoming(member.id, NOW, limit=1)[0][0].id == made_first.id


def test_the_locked_meeting_is_read_fresh_not_from_the_sessions_memory():
    occurrence = meeting(person("maple", "staff"))
    assert occurrence.is_cancelled is False  # now held in the session's memory
    # Another request cancels it: the row changes behind the loaded object's back.
    db.session.execute(
        update(Occurrence)
        .where(Occurrence.id == occurrence.id)
        .values(is_cancelled=True)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(errors.EventNotOpen):
        rsvps.rsvp(person("ash"), occurrence.id, now=NOW)


def test_a_place_freed_at_a_cancelled_meeting_goes_to_nobody():
    occurrence = meeting(person("maple", "staff"))
    first, second = person("ash"), person("birch")
    rsvps.rsvp(first, occurrence.id, now=NOW)
    rsvps.rsvp(second, occurrence.id, now=NOW)
    scheduling.cancel_occurrence(occurrence.id, now=NOW)
    assert rsvps.cancel_rsvp(first, occurrence.id, now=NOW) == []
    assert status_by_pseudonym(occurrence) == {"birch": "waitlisted"}
    assert [n.kind for n in notices_of(second)] == ["event_cancelled"]


def test_two_freed_places_go_to_the_two_longest_waiting():
    occurrence = meeting(person("maple", "staff"), capacity=1)
    people = [person(name) for name in ("ash", "birch", "cedar", "dune")]
    for who in people:
        rsvps.rsvp(who, occurrence.id, now=NOW)
    scheduling.change_occurrence(
        occurrence.id,
        day=occurrence.starts_at.date(),
        starts=occurrence.starts_at.time(),
        ends=occurrence.ends_at.time(),
        capacity=3,
        now=NOW,
    )
    assert status_by_pseudonym(occurrence) == {
        "ash": "confirmed",
        "birch": "confirmed",
        "cedar": "confirmed",
        "dune": "waitlisted",
    }
    assert taken(occurrence) == 3


def test_a_freed_place_goes_to_this_meetings_queue_only():
    staff = person("maple", "staff")
    busy, other = meeting(staff, title="Busy"), meeting(staff, title="Other")
    ash, birch, cedar = person("ash"), person("birch"), person("cedar")
    rsvps.rsvp(cedar, other.id, now=NOW)
    rsvps.rsvp(birch, other.id, now=NOW)  # waits for Other, the longest waiting anywhere
    rsvps.rsvp(ash, busy.id, now=NOW)
    rsvps.rsvp(cedar, busy.id, now=NOW)  # waits for Busy
    promoted = rsvps.cancel_rsvp(ash, busy.id, now=NOW)
    assert [booking.account_id for booking in promoted] == [cedar.id]
    assert status_by_pseudonym(other) == {"cedar": "confirmed", "birch": "waitlisted"}
    assert notices_of(birch) == []


def test_the_rsvp_fault_point_is_after_the_place_is_counted_and_before_the_row(monkeypatch):
    # The worker-kill test arms "rsvp.place_taken" by name and relies on this moment
    # (advocacy/faults.py POINTS): the meeting's place counted, no RSVP row yet.
    occurrence = meeting(person("maple", "staff"), capacity=2)
    member = person("ash")
    stop_at(monkeypatch, "rsvp.committed")
    rsvps.rsvp(person("birch"), occurrence.id, now=NOW)  # another point: not stopped
    stop_at(monkeypatch, "rsvp.place_taken")
    with pytest.raises(Stopped) as stopped:
        rsvps.rsvp(member, occurrence.id, now=NOW)
    assert str(stopped.value) == "rsvp.place_taken"
    assert taken(occurrence) == 2
    assert rsvps.rsvp_of(member.id, occurrence.id) is None
