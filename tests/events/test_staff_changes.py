"""What staff do to events, at the service level: schedule, change, cancel, attendance.

Rules (DESIGN §Events): cancelling a meeting tells everyone with an RSVP, once; a change of
title or place, or a moved meeting, tells them too; more places go to the queue at once;
attendance is for confirmed attendees, once the meeting has started, and counts the
meeting held once (the first time anyone's is recorded) and those who came by how many
more (a correction counts back), in the month it started; the attendee list
shows confirmed people first, then the queue, each in the order they RSVP'd, by pseudonym.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import current_app
from sqlalchemy import select, text

from advocacy.events import attendance as event_attendance
from advocacy.events import errors, rsvps
from advocacy.events import scheduling as event_scheduling
from advocacy.events.models import Rsvp
from advocacy.events.recurrence import Repeat
from advocacy.extensions import db
from advocacy.notices.services import message_for
from advocacy.reports.models import MonthlyCount
from tests.support.event_rules import NOW, details, meeting, notices_of, person, shown
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)

pytestmark = pytest.mark.usefixtures("session")
SECOND = timedelta(seconds=1)
LATER = NOW + timedelta(hours=3)


def test_schedule_event_keeps_what_staff_chose():
    staff = person("maple", "staff")
    event = event_scheduling.schedule_event(
        staff,
        details("Monday circle", timezone="Europe/London"),
        event_scheduling.Schedule(
            first_day=date(2026, 12, 7),
            starts=time(18),
            ends=time(19),
            capacity=6,
            repeat=Repeat("weekly", until=date(2026, 12, 21)),
        ),
        now=NOW,
    )
    assert (event.title, event.venue, event.timezone) == (
        "Monday circle",
        "Room 4B",
        "Europe/London",
    )
    assert event.recurrence_rule == (
        "DTSTART:20261207T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20261221T235959"
    )
    assert (event.created_by_id, event.created_at, event.program_id) == (staff.id, NOW, None)
    assert [o.capacity for o in event.occurrences] == [6, 6, 6]
    assert [o.taken for o in event.occurrences] == [0, 0, 0]
    one_off = event_scheduling.schedule_event(
        staff,
        details(),
        event_scheduling.Schedule(
            first_day=date(2026, 12, 7),
            starts=time(18),
            ends=time(19),
            capacity=None,
        ),
        now=NOW,
    )
    assert one_off.recurrence_rule is None


def test_the_first_meeting_must_start_after_now():
    staff = person("maple", "staff")
    at_now = event_scheduling.Schedule(
        first_day=NOW.date(), starts=NOW.time(), ends=time(13), capacity=None
    )
    with pytest.raises(errors.ScheduleInvalid) as refused:
        event_scheduling.schedule_event(staff, details(), at_now, now=NOW)
    assert shown(refused) == "The first meeting must be in the future."
    a_minute_later = event_scheduling.Schedule(
        first_day=NOW.date(), starts=time(12, 1), ends=time(13), capacity=None
    )
    assert event_scheduling.schedule_event(staff, details(), a_minute_later, now=NOW).id


def test_cancelling_a_meeting_tells_everyone_with_an_rsvp_once():
    occurrence = meeting(person("maple", "staff"), title="Tuesday circle")
    confirmed, waiting = person("ash"), person("birch")
    rsvps.rsvp(confirmed, occurrence.id, now=NOW)
    rsvps.rsvp(waiting, occurrence.id, now=NOW)
    event_scheduling.cancel_occurrence(occurrence.id, now=LATER)
    event_scheduling.cancel_occurrence(occurrence.id, now=LATER)  # again: nobody is told twice
    for who in (confirmed, waiting):
        (notice,) = notices_of(who)
        assert (notice.kind, notice.link, notice.created_at) == (
            "event_cancelled",
            f"/events/{occurrence.id}",
            LATER,
        )
        # The instant (UTC) and the event's own zone, said when read (notices/changes.py).
        assert notice.params == {
            "title": "Tuesday circle",
            "starts_at": "2026-11-29T12:00:00+00:00",
            "zone": "UTC",
        }
    assert notices_of(person("cedar")) == []


def test_the_cancellation_notice_gives_the_local_time():
    staff = person("maple", "staff")
    event = event_scheduling.schedule_event(
        staff,
        details("Evening circle", timezone="America/New_York"),
        event_scheduling.Schedule(
            first_day=date(2026, 12, 1), starts=time(18, 30), ends=time(20), capacity=None
        ),
        now=NOW,
    )
    member = person("ash")
    rsvps.rsvp(member, event.occurrences[0].id, now=NOW)
    event_scheduling.cancel_occurrence(event.occurrences[0].id, now=NOW)
    (notice,) = notices_of(member)
    assert (notice.params["starts_at"], notice.params["zone"]) == (
        "2026-12-01T23:30:00+00:00",
        "America/New_York",
    )
    # Said on the wall clock of the event's zone, named, as the change notices say times.
    with current_app.test_request_context():
        assert message_for(notice) == (
            "“Evening circle” on Tuesday 1 Dec 6:30\u202fPM (America/New_York) has been cancelled."
        )


def test_cancelling_a_series_cancels_only_what_is_still_ahead():
    staff = person("maple", "staff")
    event = event_scheduling.schedule_event(
        staff,
        details("Weekly"),
        event_scheduling.Schedule(
            first_day=date(2026, 11, 28),
            starts=time(12),
            ends=time(13),
            capacity=None,
            repeat=Repeat("weekly", until=date(2026, 12, 19)),
        ),
        now=NOW,
    )
    first, second, third, fourth = event.occurrences
    member = person("ash")
    rsvps.rsvp(member, second.id, now=NOW)
    event_scheduling.cancel_occurrence(third.id, now=NOW)
    assert len(notices_of(member)) == 0
    # At the instant the first meeting ends, it is over: three left, one already cancelled.
    assert event_scheduling.cancel_series(event, now=first.ends_at) == 2
    assert [o.is_cancelled for o in event.occurrences] == [False, True, True, True]
    (notice,) = notices_of(member)
    assert (notice.kind, notice.created_at) == ("event_series_cancelled", first.ends_at)
    assert (notice.link, notice.params["num"]) == (f"/events/{second.id}", "1")


def test_changing_title_or_place_tells_people_but_not_the_description():
    occurrence = meeting(person("maple", "staff"), title="Circle")
    event, member = occurrence.event, person("ash")
    rsvps.rsvp(member, occurrence.id, now=NOW)
    event_scheduling.update_event(event, details("Circle", description="New words"), now=NOW)
    assert event.description == "New words"
    assert notices_of(member) == []
    for change in ({"venue": "Room 9"}, {"area": "Queens"}, {"is_online": True}):
        event_scheduling.update_event(event, details("Circle", **change), now=LATER)
    event_scheduling.update_event(event, details("Renamed", is_online=True), now=LATER)
    notices = notices_of(member)
    assert [(n.kind, n.created_at) for n in notices] == [("event_changed", LATER)] * 4
    assert notices[-1].params["title"] == "Renamed"
    # The zone never changes after scheduling: the meetings' instants were fixed with it.
    event_scheduling.update_event(event, details("Renamed", timezone="Asia/Tokyo"), now=LATER)
    assert event.timezone == "UTC"


def test_moving_a_meeting_tells_people_and_a_new_capacity_is_filled():
    occurrence = meeting(person("maple", "staff"), capacity=1)
    first, second = person("ash"), person("birch")
    rsvps.rsvp(first, occurrence.id, now=NOW)
    rsvps.rsvp(second, occurrence.id, now=NOW)
    same = dict(day=occurrence.starts_at.date(), starts=time(12), ends=time(13))
    event_scheduling.change_occurrence(occurrence.id, **same, capacity=2, now=LATER)
    assert [n.kind for n in notices_of(first)] == []  # same time: nothing to tell
    assert [(n.kind, n.created_at) for n in notices_of(second)] == [("waitlist_promoted", LATER)]
    event_scheduling.change_occurrence(
        occurrence.id, day=date(2026, 12, 2), starts=time(9), ends=time(10), capacity=2, now=LATER
    )
    assert (occurrence.capacity, occurrence.taken) == (2, 2)
    assert notices_of(first)[-1].kind == "event_changed"
    assert notices_of(first)[-1].created_at == LATER


@pytest.mark.parametrize(
    ("day", "starts", "ends", "now_offset", "error", "message"),
    [
        (
            date(2026, 12, 2),
            time(10),
            time(10),
            timedelta(0),
            errors.ScheduleInvalid,
            "The end time must be after the start time.",
        ),
        (
            date(2026, 11, 28),
            time(12),
            time(13),
            timedelta(days=1),
            errors.ScheduleInvalid,
            "The meeting must be in the future.",
        ),
        (
            date(2026, 12, 2),
            time(10),
            time(11),
            timedelta(days=2, hours=1),
            errors.EventNotOpen,
            "This meeting has ended or been cancelled, so it can't change.",
        ),
    ],
)
def test_a_meeting_cannot_change_into_the_past_or_after_it_ended(
    day, starts, ends, now_offset, error, message
):
    # The meeting: 29 November 12:00-13:00 UTC.
    occurrence = meeting(person("maple", "staff"))
    with pytest.raises(error) as refused:
        event_scheduling.change_occurrence(
            occurrence.id, day=day, starts=starts, ends=ends, capacity=1, now=NOW + now_offset
        )
    assert shown(refused) == message


def test_a_moved_meeting_keeps_the_events_zone():
    staff = person("maple", "staff")
    event = event_scheduling.schedule_event(
        staff,
        details("Evening circle", timezone="America/New_York"),
        event_scheduling.Schedule(
            first_day=date(2026, 12, 1), starts=time(18), ends=time(19), capacity=None
        ),
        now=NOW,
    )
    moved = event_scheduling.change_occurrence(
        event.occurrences[0].id,
        day=date(2026, 12, 3),
        starts=time(17, 30),
        ends=time(19, 15),
        capacity=None,
        now=NOW,
    )
    # 17:30 and 19:15 EST (UTC-5).
    assert (moved.starts_at, moved.ends_at) == (
        datetime(2026, 12, 3, 22, 30, tzinfo=UTC),
        datetime(2026, 12, 4, 0, 15, tzinfo=UTC),
    )


def test_a_cancelled_meeting_cannot_change():
    occurrence = meeting(person("maple", "staff"))
    event_scheduling.cancel_occurrence(occurrence.id, now=NOW)
    with pytest.raises(errors.EventNotOpen):
        event_scheduling.change_occurrence(
            occurrence.id, day=date(2026, 12, 2), starts=time(9), ends=time(10), capacity=1, now=NOW
        )


def test_a_meeting_can_change_until_it_ends():
    occurrence = meeting(person("maple", "staff"))
    moved = event_scheduling.change_occurrence(
        occurrence.id,
        day=date(2026, 12, 2),
        starts=time(10),
        ends=time(11),
        capacity=3,
        now=occurrence.ends_at - SECOND,
    )
    assert (moved.capacity, moved.starts_at.hour) == (3, 10)


def add_rsvp(occurrence_id: int, account_id: int, status: str) -> Rsvp:
    booking = Rsvp(
        occurrence_id=occurrence_id, account_id=account_id, status=status, created_at=NOW
    )
    db.session.add(booking)
    db.session.flush()
    return booking


def test_attendees_confirmed_first_then_the_queue_with_pseudonyms():
    occurrence = meeting(person("maple", "staff"), capacity=None)
    other = meeting(person("oak", "staff"))
    add_rsvp(occurrence.id, person("ash").id, "waitlisted")
    add_rsvp(occurrence.id, person("birch").id, "confirmed")
    add_rsvp(occurrence.id, person("cedar").id, "waitlisted")
    add_rsvp(occurrence.id, person("dune").id, "confirmed")
    add_rsvp(other.id, person("elm").id, "confirmed")
    rows = event_attendance.attendees(occurrence.id)
    assert [(booking.status, name) for booking, name in rows] == [
        ("confirmed", "birch"),
        ("confirmed", "dune"),
        ("waitlisted", "ash"),
        ("waitlisted", "cedar"),
    ]


def test_attendees_each_status_in_rsvp_order_not_in_the_order_people_joined():
    occurrence = meeting(person("maple", "staff"), capacity=2)
    joined = {name: person(name) for name in ("dune", "cedar", "birch", "ash")}
    bookings = [
        rsvps.rsvp(joined[name], occurrence.id, now=NOW)
        for name in ("ash", "birch", "cedar", "dune")
    ]
    # With statistics gathered (ANALYZE), PostgreSQL reads these small tables whole and
    # joins them in the accounts' order: only the ORDER BY keeps the RSVPs' order.
    db.session.execute(text("ANALYZE"))
    rows = event_attendance.attendees(occurrence.id)
    assert [(booking.status, name) for booking, name in rows] == [
        ("confirmed", "ash"),
        ("confirmed", "birch"),
        ("waitlisted", "cedar"),
        ("waitlisted", "dune"),
    ]
    assert [booking for booking, _ in rows] == bookings


def test_attendance_is_for_confirmed_people_once_the_meeting_started():
    occurrence = meeting(person("maple", "staff"), capacity=2)
    other = meeting(person("oak", "staff"), capacity=1)
    came, missed, waiting = person("ash"), person("birch"), person("cedar")
    bookings = [rsvps.rsvp(who, occurrence.id, now=NOW) for who in (came, missed, waiting)]
    elsewhere = rsvps.rsvp(came, other.id, now=NOW)
    present = {bookings[0].id, bookings[2].id, elsewhere.id}
    with pytest.raises(errors.EventError) as refused:
        event_attendance.record_attendance(
            occurrence.id, present, now=occurrence.starts_at - SECOND
        )
    assert shown(refused) == "Attendance can be recorded once the meeting has started."
    assert [b.attended for b in bookings] == [None, None, None]
    event_attendance.record_attendance(occurrence.id, present, now=occurrence.starts_at)
    assert [b.attended for b in bookings] == [True, False, None]
    assert elsewhere.attended is None


def test_a_meeting_is_counted_held_once_and_a_correction_counts_back():
    occurrence = meeting(person("maple", "staff"), capacity=2)  # Sunday 29 November
    bookings = [rsvps.rsvp(person(name), occurrence.id, now=NOW) for name in ("ash", "birch")]
    started = occurrence.starts_at
    event_attendance.record_attendance(occurrence.id, {b.id for b in bookings}, now=started)
    # Saved again: birch did not come after all.
    event_attendance.record_attendance(occurrence.id, {bookings[0].id}, now=started)
    counts = select(MonthlyCount.month, MonthlyCount.measure, MonthlyCount.count).where(
        MonthlyCount.program_id.is_(None), MonthlyCount.measure != "rsvp"
    )
    assert sorted(db.session.execute(counts).all()) == [
        (date(2026, 11, 1), "attended", 1),
        (date(2026, 11, 1), "meeting_held", 1),
    ]
