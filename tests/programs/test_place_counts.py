"""What each step of a place counts for the reports (advocacy/programs/services.py with
advocacy/reports/counting.py; DESIGN §3 Staff tools, reports).

Each step counts its own measure for its own program, in the month it happens (the site's
calendar), never for the whole site: a request ("requested"), a place given at once, on
approval or from the queue ("place_given"), a wait ("waitlisted"), a decline
("declined"), a withdrawal ("withdrawn"). A request pending staff's answer, and one moved
from the queue to staff's approval, count nothing yet.
"""

from __future__ import annotations

from datetime import date

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import services
from tests.support.accounts import make_account
from tests.support.programs import make_program
from tests.support.reports import all_counts

NOVEMBER = date(2026, 11, 1)  # the tests' clock: 27 November 2026


def test_each_step_of_a_place_counts_its_measure_for_its_program_only(app, clock, staff):
    plain = make_program(app, staff.id, now=clock(), meetings=0, capacity=1).id
    asked = make_program(app, staff.id, now=clock(), meetings=0, capacity=1, needs_approval=True).id
    people = [make_account(app, f"member-{n}").id for n in range(3)]
    with app.test_request_context():
        first, second, third = (db.session.get(Account, n) for n in people)
        # A program without approval: a place, a wait, then a withdrawal passes the place on.
        services.enroll(first, plain, now=clock())
        services.enroll(second, plain, now=clock())
        services.withdraw(first, plain, now=clock())
        # A program whose requests staff approve: a request, a wait, an approval; then a
        # withdrawal sends the wait to staff, who decline it; the next wait goes to staff.
        pending = services.enroll(first, asked, now=clock())
        services.enroll(second, asked, now=clock())
        services.approve(asked, pending.id, note="", now=clock())
        services.enroll(third, asked, now=clock())
        (moved,) = services.withdraw(first, asked, now=clock())
        assert (moved.account_id, moved.status) == (second.id, "pending")
        services.decline(asked, moved.id, note="", now=clock())
        left = [(place.account_id, place.status) for place, _name in services.roster(asked)]
        assert left == [(third.id, "pending")]
        db.session.commit()
    assert all_counts(app) == {
        (NOVEMBER, plain, "requested"): 2,
        (NOVEMBER, plain, "place_given"): 2,  # at once, then from the queue
        (NOVEMBER, plain, "waitlisted"): 1,
        (NOVEMBER, plain, "withdrawn"): 1,
        (NOVEMBER, asked, "requested"): 3,
        (NOVEMBER, asked, "place_given"): 1,  # on approval only
        (NOVEMBER, asked, "waitlisted"): 2,
        (NOVEMBER, asked, "withdrawn"): 1,
        (NOVEMBER, asked, "declined"): 1,
    }
