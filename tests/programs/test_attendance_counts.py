"""What the roster says about attendance, and meetings that already happened (issue 13,
point 2), at the service level with an explicit `now`.

The rule, written here from programs/attendance.py's docstring as decided for the issue:
"came to N of M meetings" counts, for one member, M = the program's meetings, not
cancelled, at which their attendance was recorded, and N = those at which they were
recorded as present. A meeting nobody took attendance at, one not started, a cancelled
one, another program's, and one from before the member had a place do not count.

An extra session: a meeting whose local day falls within the program (first and last day
included) and which has started by now, added with who came in one step; its end after
its start.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from advocacy.events.models import Event, EventHost, Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.programs import attendance, services
from advocacy.reports.models import MonthlyCount
from tests.support.event_rules import NOW, person
from tests.support.program_rules import meeting, program
from tests.support.queries import count_queries

pytestmark = pytest.mark.usefixtures("in_request")

HOUR = timedelta(hours=1)


def counts(program_id: int) -> dict[str, tuple[str, int, int]]:
    """pseudonym -> (status, came, recorded)"""
    return {
        line.pseudonym: (line.enrollment.status, line.came, line.recorded)
        for line in attendance.roster_lines(program_id)
    }


def test_came_to_n_of_m_counts_only_meetings_where_their_attendance_was_taken():
    staff = person("maple", "staff")
    made, other = program(staff, capacity=3, needs_approval=False), program(staff, "Other")
    ash, birch, cedar, dune = person("ash"), person("birch"), person("cedar"), person("dune")
    services.enroll(ash, made.id, now=NOW)
    services.enroll(birch, made.id, now=NOW)
    first, second, third, fourth, fifth, later = (
        meeting(staff, made, in_days=days) for days in (1, 2, 3, 4, 5, 9)
    )
    elsewhere = meeting(staff, other, in_days=1)
    services.enroll(ash, other.id, now=NOW)

    def record(occurrence, *present):
        attendance.record_attendance(
            made.id, occurrence.id, {p.id for p in present}, now=occurrence.starts_at
        )

    record(first, ash)  # before cedar had a place
    services.enroll(cedar, made.id, now=NOW)
    services.enroll(dune, made.id, now=NOW)  # the program is full: dune waits
    record(second, ash, birch, cedar, dune)
    record(third, ash)
    # fourth: started, but nobody took attendance; later: not started. An RSVP with nothing
    # recorded (made before a place stood in for one) counts for nothing either.
    db.session.add(
        Rsvp(occurrence_id=later.id, account_id=birch.id, status="confirmed", created_at=NOW)
    )
    record(fifth, ash, cedar)
    fifth.is_cancelled = True
    attendance.record_attendance(other.id, elsewhere.id, {ash.id}, now=elsewhere.starts_at)

    assert counts(made.id) == {
        "ash": ("confirmed", 3, 3),
        "birch": ("confirmed", 1, 3),
        "cedar": ("confirmed", 1, 2),
        "dune": ("waitlisted", 0, 0),
    }
    assert counts(other.id) == {"ash": ("confirmed", 1, 1)}
    lines = attendance.meeting_lines(made.id)
    assert [(line.occurrence, line.came, line.recorded) for line in lines] == [
        (first, 1, 2),
        (second, 3, 3),
        (third, 1, 3),
        (fourth, 0, 0),
        (fifth, 2, 3),  # cancelled: shown as such on the roster, left out of the members' M
        (later, 0, 0),
    ]
    assert all(line.event.program_id == made.id for line in lines)


def test_the_roster_keeps_its_order_requests_then_places_then_the_queue():
    staff = person("maple", "staff")
    made = program(staff, capacity=2, needs_approval=True)
    asking, placed, waiting = person("a-ask"), person("b-placed"), person("c-wait")
    services.enroll(placed, made.id, now=NOW)
    services.enroll(asking, made.id, now=NOW)
    services.enroll(waiting, made.id, now=NOW)
    services.approve(made.id, services.enrollment_of(placed.id, made.id).id, note="", now=NOW)
    assert [
        (line.pseudonym, line.enrollment.status) for line in attendance.roster_lines(made.id)
    ] == [
        ("a-ask", "pending"),
        ("b-placed", "confirmed"),
        ("c-wait", "waitlisted"),
    ]


def test_the_counts_take_one_query_however_many_members_and_meetings():
    staff = person("maple", "staff")
    statements = []
    for size in (2, 25):
        made = program(staff, f"Size {size}", capacity=size)
        members = [person(f"m{size}-{n}") for n in range(size)]
        for member in members:
            services.enroll(member, made.id, now=NOW)
        for days in range(1, size + 1):
            occurrence = meeting(staff, made, in_days=days)
            attendance.record_attendance(
                made.id, occurrence.id, {members[0].id}, now=occurrence.starts_at
            )
        db.session.flush()
        with count_queries() as roster_seen:
            lines = attendance.roster_lines(made.id)
        with count_queries() as meetings_seen:
            meetings = attendance.meeting_lines(made.id)
        assert (lines[0].came, lines[0].recorded, lines[1].came) == (size, size, 0)
        assert len(meetings) == size
        statements.append((roster_seen.count, meetings_seen.count))
    assert statements == [(1, 1), (1, 1)]


# Extra sessions


def confirmed_program():
    """A program from 2026-11-28 to 2027-01-27 (local dates) with two members and a request."""
    staff = person("maple", "staff")
    made = program(staff, capacity=3, starts_in=1)
    ash, birch, asking = person("ash"), person("birch"), person("cedar")
    services.enroll(ash, made.id, now=NOW)
    services.enroll(birch, made.id, now=NOW)
    made.needs_approval = True
    services.enroll(asking, made.id, now=NOW)
    return staff, made, ash, birch, asking


def session_on(day: date, starts: time = time(18), ends: time = time(19, 30), **changes):
    fields = {
        "title": "Extra circle",
        "area": "Queens",
        "timezone": "America/New_York",
        "day": day,
        "starts": starts,
        "ends": ends,
    }
    return attendance.PastMeeting(**(fields | changes))


def events_made() -> int:
    return db.session.scalar(select(func.count()).select_from(Event))


def test_an_extra_session_is_added_with_who_came():
    staff, made, ash, birch, asking = confirmed_program()
    now = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # 21:00 on 2 December in New York
    occurrence = attendance.add_past_meeting(
        staff, made.id, session_on(date(2026, 12, 2)), {ash.id, asking.id}, now=now
    )
    # 18:00 to 19:30 in New York on 2 December is 23:00 to 00:30 UTC.
    assert (occurrence.starts_at, occurrence.ends_at) == (
        datetime(2026, 12, 2, 23, 0, tzinfo=UTC),
        datetime(2026, 12, 3, 0, 30, tzinfo=UTC),
    )
    event = occurrence.event
    assert (event.program_id, event.title, event.area, event.timezone) == (
        made.id,
        "Extra circle",
        "Queens",
        "America/New_York",
    )
    assert (event.created_by_id, event.created_at, event.recurrence_rule, event.venue) == (
        staff.id,
        now,
        None,
        "",
    )
    assert (occurrence.capacity, occurrence.is_cancelled) == (None, False)
    # Nothing else is said of it: no description, and not online (it met in its area).
    assert (event.description, event.is_online) == ("", False)
    assert attendance.attendance(occurrence.id) == {ash.id: True, birch.id: False}
    rsvps = db.session.scalars(select(Rsvp).where(Rsvp.occurrence_id == occurrence.id)).all()
    assert {(r.status, r.created_at) for r in rsvps} == {("confirmed", now)}
    assert db.session.scalar(select(func.count()).select_from(EventHost)) == 0
    assert counts(made.id)["ash"] == ("confirmed", 1, 1)


def test_an_extra_session_is_listed_by_when_it_met_not_when_it_was_added():
    staff, made, ash, _birch, _asking = confirmed_program()
    scheduled = meeting(staff, made, in_days=5)  # 12:00 UTC on 2 December
    now = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    earlier = attendance.add_past_meeting(
        staff, made.id, session_on(date(2026, 11, 30)), {ash.id}, now=now
    )
    later = attendance.add_past_meeting(
        staff, made.id, session_on(date(2026, 12, 2), starts=time(6), ends=time(8)), set(), now=now
    )
    # 06:00 in New York on 2 December is 11:00 UTC: before the meeting scheduled first.
    lines = attendance.meeting_lines(made.id)
    assert [line.occurrence for line in lines] == [earlier, later, scheduled]


def test_an_extra_session_may_be_on_the_program_s_first_or_last_day_and_just_started():
    staff, made, ash, birch, _asking = confirmed_program()
    assert (made.starts_on, made.ends_on) == (date(2026, 11, 28), date(2027, 1, 27))
    first = attendance.add_past_meeting(
        staff, made.id, session_on(date(2026, 11, 28)), {ash.id}, now=NOW + 30 * 24 * HOUR
    )
    starts = datetime(2027, 1, 27, 23, 0, tzinfo=UTC)  # 18:00 on the last day
    last = attendance.add_past_meeting(
        staff, made.id, session_on(date(2027, 1, 27)), set(), now=starts
    )
    assert (first.starts_at, last.starts_at) == (datetime(2026, 11, 28, 23, 0, tzinfo=UTC), starts)
    assert attendance.attendance(last.id) == {ash.id: False, birch.id: False}


@pytest.mark.parametrize(
    ("typed", "field", "said"),
    [
        (
            session_on(date(2026, 11, 27)),
            "day",
            "Please choose a day within the program, from 28 November 2026 to 27 January 2027.",
        ),
        (
            session_on(date(2027, 1, 28)),
            "day",
            "Please choose a day within the program, from 28 November 2026 to 27 January 2027.",
        ),
        (
            session_on(date(2026, 12, 2), starts=time(19), ends=time(19)),
            "ends",
            "The end time must be after the start time.",
        ),
        (
            session_on(date(2026, 12, 2), starts=time(21, 0, 1), ends=time(22)),
            "starts",
            "This is for a meeting that has already happened. To plan one ahead, use "
            "“Schedule meetings” instead.",
        ),
    ],
    ids=["the day before it starts", "the day after it ends", "no length", "in the future"],
)
def test_an_extra_session_outside_the_program_or_not_yet_begun_is_refused(typed, field, said):
    staff, made, ash, _birch, _asking = confirmed_program()
    before = events_made()
    now = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # 21:00:00 on 2 December in New York
    with pytest.raises(attendance.PastMeetingRefused) as refused:
        attendance.add_past_meeting(staff, made.id, typed, {ash.id}, now=now)
    assert (refused.value.field, str(refused.value.message)) == (field, said)
    assert events_made() == before
    assert db.session.scalar(select(func.count()).select_from(Occurrence)) == 0
    assert db.session.scalar(select(func.count()).select_from(Rsvp)) == 0


# What the monthly counts and the places line are told


def program_counts(program_id: int) -> dict[tuple[date, str], int]:
    """(month, measure) -> count, for one program, straight from the table."""
    rows = db.session.execute(
        select(MonthlyCount.month, MonthlyCount.measure, MonthlyCount.count).where(
            MonthlyCount.program_id == program_id
        )
    )
    return {(month, measure): count for month, measure, count in rows}


def test_a_correction_counts_the_meeting_once_and_only_the_change_in_who_came():
    staff, made, ash, birch, _asking = confirmed_program()
    occurrence = meeting(staff, made, in_days=3)  # 30 November
    before = program_counts(made.id)
    for present in ({ash.id}, {ash.id, birch.id}, {birch.id}):
        attendance.record_attendance(made.id, occurrence.id, present, now=occurrence.starts_at)
    november = date(2026, 11, 1)
    added = {
        key: count - before.get(key, 0)
        for key, count in program_counts(made.id).items()
        if count != before.get(key, 0)
    }
    assert added == {(november, "meeting_held"): 1, (november, "attended"): 1}


def test_places_taken_and_held_are_counted_apart_and_none_held_is_zero():
    staff, made, ash, birch, asking = confirmed_program()
    request = services.enrollment_of(asking.id, made.id)
    assert attendance.places(made, NOW) == attendance.Places(
        taken=2, held=1, capacity=3, ended=False
    )
    services.approve(made.id, request.id, note="", now=NOW)
    assert attendance.places(made, NOW) == attendance.Places(
        taken=3, held=0, capacity=3, ended=False
    )
    after_the_end = datetime(2027, 1, 28, 5, 0, tzinfo=UTC)  # 00:00 on 28 January, New York
    assert attendance.places(made, after_the_end) == attendance.Places(
        taken=3, held=0, capacity=3, ended=True
    )
