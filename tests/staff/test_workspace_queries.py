"""The staff home sends as many SQL statements for 200 programs as for 2 (issue 13, point 1).

Each program has places (confirmed, pending, waiting), a meeting today, one later this
week and two that ended without attendance (two days and sixty days ago), and ends
within 14 days; beside each, an event of its own with RSVPs meets today. A home that
loaded anything per row would send more statements as the rows grow.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.staff import workspace
from tests.support.accounts import make_account
from tests.support.queries import count_queries
from tests.support.workspace import add_meeting, add_places, add_program, add_rsvps

FEW, MANY = 2, 200
# The `clock` fixture's start: Friday 27 November 2026, 07:00 in New York.
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def add_work(app, host_id: int, people: list[int], start: int, stop: int) -> None:
    """Programs and events numbered start..stop-1, each with work waiting."""
    with app.app_context():
        for n in range(start, stop):
            program = add_program(f"Program {n:03d}", [host_id], ends_on=date(2026, 12, 3))
            add_places(program, people[:1])
            add_places(program, people[1:2], status="pending")
            add_places(program, people[2:3], status="waitlisted")
            add_meeting(
                f"Meeting {n:03d}", datetime(2026, 11, 27, 20, tzinfo=UTC), program_id=program
            )
            add_meeting(
                f"Saturday {n:03d}", datetime(2026, 11, 28, 20, tzinfo=UTC), program_id=program
            )
            add_meeting(f"Ended {n:03d}", NOW - timedelta(days=2), program_id=program)
            # Past an event's RSVP keeping, but a program's attendance is still recordable.
            add_meeting(f"Long ago {n:03d}", NOW - timedelta(days=60), program_id=program)
            circle = add_meeting(
                f"Circle {n:03d}", datetime(2026, 11, 27, 21, tzinfo=UTC), hosts=[host_id]
            )
            add_rsvps(circle, people[:2])
            add_rsvps(circle, people[2:3], status="waitlisted")
        db.session.commit()


def service_queries(app, account_id: int) -> tuple[int, workspace.Workspace]:
    with app.app_context():
        viewer = db.session.get(Account, account_id)
        with count_queries() as seen:
            found = workspace.staff_home(viewer, now=NOW)
        return seen.count, found


def page_queries(app, client) -> tuple[int, str]:
    with count_queries(app) as seen:
        response = client.get("/staff")
    assert response.status_code == 200
    return seen.count, response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_the_staff_home_sends_as_many_queries_for_200_programs_as_for_2(app, auth, clock, role):
    viewer = make_account(app, f"maple-{role}", role=role)
    host = viewer if role == "staff" else make_account(app, "rowan-staff", role="staff")
    people = [make_account(app, f"member-{n}").id for n in range(3)]
    client = app.test_client()
    assert auth.login(viewer, client=client).status_code == 303

    add_work(app, host.id, people, 0, FEW)
    few, found = service_queries(app, viewer.id)
    assert few == 5  # one for each of the four lists, one for the moderation backlog
    assert len(found.meetings_today) == 2 * FEW
    few_page, page = page_queries(app, client)
    assert "Program 001" in page

    add_work(app, host.id, people, FEW, MANY)
    many, found = service_queries(app, viewer.id)
    assert many == few
    # Everything was there to be seen: two meetings today, one later this week, two
    # ended, one program with a request and one ending, for each of the 200.
    assert len(found.meetings_today) == 2 * MANY
    assert len(found.later_this_week) == MANY
    assert len(found.unrecorded) == 2 * MANY
    assert len(found.requests) == MANY
    assert len(found.ending) == MANY
    assert {(m.confirmed, m.waiting) for m in found.meetings_today} == {(1, 1), (2, 1)}
    many_page, page = page_queries(app, client)
    assert many_page == few_page
    assert "Program 199" in page
    assert "Circle 199" in page
