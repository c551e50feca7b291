"""Finding programs at the service (advocacy/programs/catalog.py; DESIGN §3 Programs).

- The list's rest (after the open programs) goes on, page after page, with the programs
  that start the same day as the one a page ended on, each once.
- A member's own programs: those still running first, then the finished ones, each soonest
  start first. Finished: the program has ended (its last day passed, in the site's
  calendar, or staff marked it completed) or the member's completion is recorded, even
  while the program runs on. A program on its last day is still running.
- When a program ended: its last day once passed; none when staff marked it completed on or
  before its last day.
- What a member reads before asking (schedule): the meetings still to come that are not
  cancelled, soonest first (not in the order they were made), the first ten, how many more
  and the last of all; no "more" when there is none.
"""

from __future__ import annotations

from datetime import date

import pytest

from advocacy.events import scheduling
from advocacy.programs import catalog, completion, services
from tests.support.event_rules import NOW, person
from tests.support.program_rules import DAY, TODAY, meeting, program

pytestmark = pytest.mark.usefixtures("in_request")


def test_a_page_ending_in_the_rest_goes_on_with_programs_starting_the_same_day():
    staff, member = person("maple", "staff"), person("ash")
    first, second, third = (
        program(staff, title, starts_in=30, status="closed") for title in ("R0", "R1", "R2")
    )
    assert catalog.programs_page(member, None) == [first, second, third]
    assert catalog.programs_page(member, catalog.ListCursor.at(first)) == [second, third]
    assert catalog.programs_page(member, catalog.ListCursor.at(second)) == [third]
    assert catalog.programs_page(member, catalog.ListCursor.at(third)) == []


def test_a_completion_puts_a_running_program_with_the_finished_and_a_last_day_does_not():
    staff, member = person("maple", "staff"), person("ash")
    running = program(staff, "Running", starts_in=30)
    done_early = program(staff, "Done early", starts_in=-5)  # began 5 days ago, runs 60
    last_day = program(staff, "Last day", starts_in=-70, ends_on=TODAY)
    over = program(staff, "Over", starts_in=-90, ends_on=TODAY - DAY)
    places = {made.id: services.enroll(member, made.id, now=NOW) for made in (running, done_early)}
    for made in (last_day, over):
        services.enroll(member, made.id, now=NOW)
    completion.complete(done_early.id, places[done_early.id].id, now=NOW)
    mine = [made.title for made, _place in catalog.my_programs(member.id, now=NOW)]
    assert mine == ["Last day", "Running", "Over", "Done early"]
    assert not catalog.has_ended(done_early, NOW)  # the program runs on; the member finished


def test_a_program_marked_completed_on_its_last_day_ended_then_not_on_that_day():
    staff = person("maple", "staff")
    on_last_day = program(staff, "On its last day", starts_in=-60, ends_on=TODAY)
    before_it = program(staff, "Before its last day", starts_in=-60, ends_on=TODAY + DAY)
    over = program(staff, "Over", starts_in=-60, ends_on=TODAY - DAY)
    running = program(staff, "Running", starts_in=-60, ends_on=TODAY)
    for made in (on_last_day, before_it):
        made.status = "completed"
    assert catalog.endings([on_last_day, before_it, over, running], NOW) == {
        on_last_day.id: None,
        before_it.id: None,
        over.id: date(2026, 11, 26),
    }


def test_the_schedule_lists_meetings_to_come_by_time_never_cancelled_ones():
    staff = person("maple", "staff")
    made = program(staff)
    # Made in the opposite order to their days: the last made meets first.
    later, cancelled, sooner = (meeting(staff, made, in_days=days) for days in (9, 5, 2))
    scheduling.cancel_occurrence(cancelled.id, now=NOW)
    shown = catalog.schedule(made.id, NOW)
    assert [occurrence for occurrence, _event in shown.shown] == [sooner, later]
    assert (shown.more, shown.last[0]) == (0, later)


def test_past_ten_meetings_the_schedule_counts_the_rest_and_names_the_last_by_time():
    staff = person("maple", "staff")
    made = program(staff)
    # Twelve meetings made latest first: the one made first meets last.
    made_first, *others = (meeting(staff, made, in_days=days) for days in range(13, 1, -1))
    shown = catalog.schedule(made.id, NOW)
    assert [occurrence for occurrence, _event in shown.shown] == others[::-1][:10]
    assert (shown.more, shown.last[0]) == (2, made_first)
