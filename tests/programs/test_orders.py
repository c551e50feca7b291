"""Program orders hold whatever way the database reads the rows.

Rules (DESIGN §Programs): programs soonest first, and starting the same day the program
made first, in the list (among the open ones and in the rest) and in a member's own
programs; a program's meetings soonest first, at the same time the meeting made first (on
its page, on the roster, and in the schedule read before asking, whose last is the last
of that order); the roster's statuses each in request order (its names, and its lines
with attendance); a freed place goes to the longest-waiting request.

SQLite reads these rows in id order, so only PostgreSQL tells these orders from the order
the rows happen to be stored in: a row written anew (an UPDATE) is stored after the
others, a new row can take the space a deleted one held once it is freed (VACUUM), and
with statistics gathered (ANALYZE) small tables are read whole, in that stored order.
"""

from datetime import time

import pytest
from sqlalchemy import text

from advocacy.events import scheduling
from advocacy.extensions import db
from advocacy.programs import attendance, catalog, services
from tests.support.database import free_deleted_rows_space
from tests.support.event_rules import NOW, details, notices_of, person
from tests.support.program_rules import DAY, TODAY, details_of, meeting, program

pytestmark = pytest.mark.usefixtures("in_request")


def test_programs_starting_the_same_day_stay_in_the_order_made_after_places_change():
    staff, member = person("maple", "staff"), person("ash")
    first, second, third = (
        program(staff, title, starts_in=30, needs_approval=True) for title in ("A", "B", "C")
    )
    requests = [services.enroll(member, made.id, now=NOW) for made in (first, second, third)]
    # Staff approve the request for A last, and another member asks for a place in A:
    # PostgreSQL writes A's row and the member's place in A anew, after C's.
    for request in (requests[1], requests[2], requests[0]):
        services.approve(request.program_id, request.id, note="", now=NOW)
    services.enroll(person("birch"), first.id, now=NOW)
    assert [made.title for made in catalog.programs_page(member, None)] == ["A", "B", "C"]
    assert catalog.programs_page(member, catalog.ListCursor.at(first)) == [second, third]
    assert [made.title for made, _ in catalog.my_programs(member.id, now=NOW)] == ["A", "B", "C"]


def test_a_program_s_meetings_at_one_time_stay_in_the_order_made_after_one_changes():
    staff = person("maple", "staff")
    made = program(staff)
    first, second, third = (meeting(staff, made, in_days=2) for _ in range(3))
    # Staff rename the first and give it a capacity: PostgreSQL writes its rows (the event
    # and the meeting) anew, after the third's, and with statistics gathered (ANALYZE)
    # reads these small tables whole, in that order.
    scheduling.update_event(first.event, details("Circle, renamed"), now=NOW)
    scheduling.change_occurrence(
        first.id, day=TODAY + 2 * DAY, starts=time(12), ends=time(13), capacity=5, now=NOW
    )
    db.session.execute(text("ANALYZE"))
    assert [occurrence for occurrence, _ in catalog.meetings(made.id)] == [first, second, third]
    # The roster's list of meetings too.
    lines = attendance.meeting_lines(made.id)
    assert [line.occurrence for line in lines] == [first, second, third]


def test_the_roster_keeps_each_status_in_request_order_whatever_order_staff_decide_in():
    staff = person("maple", "staff")
    made = program(staff, capacity=3, needs_approval=True)
    joined = {name: person(name) for name in ("cedar", "birch", "ash")}
    requests = [
        services.enroll(joined[name], made.id, now=NOW) for name in ("ash", "birch", "cedar")
    ]
    # The accounts joined the site in the opposite order to their requests, and staff decide
    # the latest request first: PostgreSQL writes each row anew as it is decided, so the
    # requests are stored backwards too, and only the ORDER BY keeps their order.
    for request in reversed(requests):
        services.approve(made.id, request.id, note="", now=NOW)
    in_request_order = [("confirmed", "ash"), ("confirmed", "birch"), ("confirmed", "cedar")]
    assert [(e.status, name) for e, name in services.roster(made.id)] == in_request_order
    # The roster page's lines, with their attendance counts, too.
    lines = attendance.roster_lines(made.id)
    assert [(line.enrollment.status, line.pseudonym) for line in lines] == in_request_order


def test_a_freed_place_goes_to_the_longest_waiting_not_to_a_request_stored_before_it():
    staff = person("maple", "staff")
    made = program(staff, capacity=1)
    placed, leaving, waiting, newer = (person(name) for name in ("ash", "birch", "cedar", "dune"))
    for member in (placed, leaving, waiting):
        services.enroll(member, made.id, now=NOW)
    services.withdraw(leaving, made.id, now=NOW)  # left the queue: the row is deleted
    free_deleted_rows_space("enrollments")
    services.enroll(newer, made.id, now=NOW)  # stored where the deleted request was
    assert services.withdraw(placed, made.id, now=NOW) == [
        services.enrollment_of(waiting.id, made.id)
    ]
    assert [(n.kind, n.created_at) for n in notices_of(waiting)] == [("waitlist_promoted", NOW)]
    assert notices_of(newer) == []


def test_a_page_in_the_rest_keeps_programs_starting_the_same_day_in_the_order_made():
    staff, member = person("maple", "staff"), person("ash")
    first, second, third, fourth = (
        program(staff, title, starts_in=30, status="closed") for title in ("A", "B", "C", "D")
    )
    # Staff rename B and C, C first: PostgreSQL writes their rows anew, after D's, and
    # with statistics gathered (ANALYZE) reads the small table whole, in that order.
    for made in (third, second):
        catalog.update_program(made.id, details_of(made, title=f"{made.title}, renamed"), now=NOW)
    db.session.execute(text("ANALYZE"))
    assert catalog.programs_page(member, catalog.ListCursor.at(first)) == [second, third, fourth]


def test_the_schedule_keeps_meetings_at_one_time_in_the_order_made_after_one_changes():
    staff = person("maple", "staff")
    made = program(staff)
    first, second, third = (meeting(staff, made, in_days=2) for _ in range(3))
    # As for the program's meetings: the first is written anew, after the third.
    scheduling.change_occurrence(
        first.id, day=TODAY + 2 * DAY, starts=time(12), ends=time(13), capacity=5, now=NOW
    )
    db.session.execute(text("ANALYZE"))
    shown = catalog.schedule(made.id, NOW)
    assert [occurrence for occurrence, _ in shown.shown] == [first, second, third]
    assert shown.last[0] == third  # the last of all: at the latest time, made last
