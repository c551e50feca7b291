"""The program list and a program page send as many SQL queries for 60 as for 3.

Programs, enrollments and meetings all grow from 3 to 60; members (with a place, pending,
waiting, or none) and staff look. A page that loaded something per row would send more.
The program page (read before asking too), the sessions list and one session do the same
for 500 meetings, sessions and marks as for 5.
"""

from __future__ import annotations

import re
from datetime import timedelta

from advocacy.accounts.models import Account
from advocacy.events.models import Event, Occurrence
from advocacy.extensions import db
from advocacy.programs import catalog, services, sessions
from advocacy.programs.models import ProgramSession, SessionProgress
from tests.support.accounts import make_account
from tests.support.programs import MEETING_VENUE, make_program
from tests.support.queries import count_queries

FEW, MANY = 3, 60
LINK = re.compile(r'<h2><a href="/programs/(\d+)">')


def enroll(app, account_id: int, program_id: int, now) -> str:
    """Ask for a place directly through the service; return the answer."""
    with app.app_context():
        enrollment = services.enroll(db.session.get(Account, account_id), program_id, now=now)
        db.session.commit()
        return enrollment.status


def queries(app, client, path: str) -> int:
    """Count the statements one GET sends (it must succeed)."""
    with app.app_context(), count_queries() as seen:
        response = client.get(path)
    assert response.status_code == 200, path
    return seen.count


def signed_in(app, auth, account):
    client = app.test_client()
    response = auth.login(account, client=client)
    assert response.status_code in (302, 303), response.status_code
    return client


def add_programs(app, staff, member, other, clock, start: int, stop: int) -> list[str]:
    """Add programs; the member asks for a place in each (confirmed, pending or waiting)."""
    answers = []
    for n in range(start, stop):
        kind = n % 3
        program = make_program(
            app,
            staff.id,
            now=clock(),
            title=f"Program {n:02d}",
            kind="leadership" if n % 2 else "healing",
            capacity=1,
            needs_approval=kind == 1,
            meetings=0,
        ).id
        if kind == 2:
            enroll(app, other.id, program, clock())  # takes the only place
        answers.append(enroll(app, member.id, program, clock()))
    return answers


def test_program_list_queries_do_not_grow(app, auth, clock, staff, member, other_member):
    as_member, as_staff = signed_in(app, auth, member), signed_in(app, auth, staff)
    assert add_programs(app, staff, member, other_member, clock, 0, FEW) == [
        "confirmed",
        "pending",
        "waitlisted",
    ]
    few = {
        name: queries(app, c, "/programs")
        for name, c in [("member", as_member), ("staff", as_staff)]
    }

    add_programs(app, staff, member, other_member, clock, FEW, MANY)
    page = as_member.get("/programs").get_data(as_text=True)
    assert len(LINK.findall(page)) == catalog.PAGE_SIZE
    for status in ("You have a place", "Request pending", "On the waiting list"):
        assert status in page
    after = re.search(r'href="/programs\?after=([^"&]+)"', page).group(1)
    for name, client in [("member", as_member), ("staff", as_staff)]:
        assert queries(app, client, "/programs") == few[name], name
        assert queries(app, client, f"/programs?after={after}") == few[name], name


def fill_program(app, staff, people: dict, clock, *, others: list, meetings: int) -> int:
    """A program with two places: `holder` and one other confirmed, then a queue."""
    program = make_program(
        app, staff.id, now=clock(), capacity=2, meetings=meetings, title=f"{meetings} meetings"
    )
    assert len(program.meeting_ids) == meetings
    assert enroll(app, people["holder"].id, program.id, clock()) == "confirmed"
    for account in others:
        enroll(app, account.id, program.id, clock())
    assert enroll(app, people["waiter"].id, program.id, clock()) == "waitlisted"
    return program.id


def test_program_page_and_roster_queries_do_not_grow(app, auth, clock, staff):
    people = {
        "holder": make_account(app, "river-member"),
        "waiter": make_account(app, "cedar-member"),
        "visitor": make_account(app, "birch-member"),
    }
    fillers = [make_account(app, f"filler-{n:02d}") for n in range(MANY - 2)]
    few = fill_program(app, staff, people, clock, others=fillers[: FEW - 2], meetings=FEW)
    many = fill_program(app, staff, people, clock, others=fillers, meetings=MANY)
    with app.app_context():
        assert len(services.roster(few)) == FEW
        assert len(services.roster(many)) == MANY

    clients = {name: signed_in(app, auth, account) for name, account in people.items()}
    clients["staff"] = signed_in(app, auth, staff)
    for name, client in clients.items():
        assert queries(app, client, f"/programs/{few}") == queries(
            app, client, f"/programs/{many}"
        ), name
    # The pages did show everything: the holder sees each meeting, the waiter their number.
    holding = clients["holder"].get(f"/programs/{many}").get_data(as_text=True)
    assert len(re.findall(r'<a href="/events/\d+">', holding)) == MANY
    waiting = clients["waiter"].get(f"/programs/{many}").get_data(as_text=True)
    assert f"waiting list (number {MANY - 2})" in waiting
    assert queries(app, clients["staff"], f"/programs/{few}/roster") == queries(
        app, clients["staff"], f"/programs/{many}/roster"
    )


# Issue 16: the page read before asking, and the sessions, with 5 and with 500 of each.

SOME, LOTS = 5, 500


def grown_program(app, staff, people: dict, clock, rows: int) -> int:
    """A program with `rows` meetings still to come (one event's, weekly), `rows` sessions
    and, for each of its members ("holder", "reader"), `rows` sessions marked done."""
    made = make_program(app, staff.id, now=clock(), meetings=0, title=f"{rows} of each")
    first = clock() + timedelta(days=2)
    with app.app_context():
        event = Event(
            title="Weekly",
            area="Queens",
            venue=MEETING_VENUE,
            timezone="America/New_York",
            program_id=made.id,
            created_by_id=staff.id,
            created_at=clock(),
        )
        db.session.add(event)
        db.session.flush()
        db.session.add_all(
            Occurrence(
                event_id=event.id,
                starts_at=first + timedelta(weeks=n),
                ends_at=first + timedelta(weeks=n, hours=1),
            )
            for n in range(rows)
        )
        db.session.add_all(
            ProgramSession(
                program_id=made.id,
                position=n + 1,
                title=f"Session {n + 1}",
                body="Read.",
                prompt="",
                created_at=clock(),
            )
            for n in range(rows)
        )
        db.session.commit()
    for name in ("holder", "reader"):
        assert enroll(app, people[name].id, made.id, clock()) == "confirmed"
    with app.app_context():
        session_ids = [s.id for s in sessions.sessions_of(made.id)]
        for name in ("holder", "reader"):
            place = services.enrollment_of(people[name].id, made.id)
            db.session.add_all(
                SessionProgress(enrollment_id=place.id, session_id=sid) for sid in session_ids
            )
        db.session.commit()
    return made.id


def test_the_program_page_and_its_sessions_send_as_many_queries_for_500_as_for_5(
    app, auth, clock, staff
):
    people = {
        "holder": make_account(app, "river-member"),
        "reader": make_account(app, "cedar-member"),
        "asking": make_account(app, "birch-member"),  # no place: reads the schedule
    }
    some = grown_program(app, staff, people, clock, SOME)
    lots = grown_program(app, staff, people, clock, LOTS)
    clients = {name: signed_in(app, auth, account) for name, account in people.items()}
    clients["staff"] = signed_in(app, auth, staff)

    for name, client in clients.items():
        assert queries(app, client, f"/programs/{some}") == queries(
            app, client, f"/programs/{lots}"
        ), name
    for name in ("holder", "staff"):
        client = clients[name]
        assert queries(app, client, f"/programs/{some}/sessions") == queries(
            app, client, f"/programs/{lots}/sessions"
        ), name
        with app.app_context():
            middle = sessions.sessions_of(lots)[LOTS // 2].id
            first = sessions.sessions_of(some)[SOME // 2].id
        assert queries(app, client, f"/programs/{some}/sessions/{first}") == queries(
            app, client, f"/programs/{lots}/sessions/{middle}"
        ), name

    # The pages did show everything.
    before = clients["asking"].get(f"/programs/{lots}").get_data(as_text=True)
    assert before.count("(America/New_York) · Queens") == 10
    assert "And 490 more meetings" in before
    assert MEETING_VENUE not in before
    assert f"{LOTS} of {LOTS} done." in clients["holder"].get(f"/programs/{lots}/sessions").text
    desk = clients["staff"].get(f"/programs/{lots}/sessions").text
    assert desk.count("Marked done by: fewer than 5") == LOTS  # two members each
