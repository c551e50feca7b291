"""Route x role tables for "staff change only what they run" (issue 13, point 5).

Each case is one request to a route that changes a program or an event or shows its
people. The roles: the staff member who created it, a co-host the creator added,
another staff member who does not run it, an admin, a member and a mentor. The rule,
written here from the issue and DESIGN §3 (never read from the code under test):

- the creator, a co-host and an admin run it: they get the route's own answer, and
  its change is made (`done`);
- only the creator and an admin choose the co-hosts (`CHOOSERS`): a co-host who tries
  is answered like any other staff member;
- other staff get 404, the answer for something that does not exist (as the roster
  always did), and nothing at all is written;
- members and mentors get the calm 403 of a staff route, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.events import hosts as event_hosts
from advocacy.events.models import Event, EventHost
from advocacy.extensions import db
from advocacy.programs import hosts as program_hosts
from advocacy.programs.models import Program, ProgramHost
from advocacy.staff.models import AuditEntry
from tests.support.accounts import AuthActions, Clock, MadeAccount, make_account
from tests.support.events import make_event
from tests.support.programs import make_program
from tests.support.snapshots import differences, snapshot

ROLES = ("creator", "cohost", "other_staff", "admin", "member", "mentor")
RUNNERS = frozenset({"creator", "cohost", "admin"})
CHOOSERS = frozenset({"creator", "admin"})
NOT_FOUND, FORBIDDEN = 404, 403


def make_people(app: Flask) -> dict[str, MadeAccount]:
    """Everyone the tables sign in as, plus a staff member to add and a member with a place."""
    return {
        "creator": make_account(app, "maple-staff", role="staff"),
        "cohost": make_account(app, "alder-staff", role="staff"),
        "other_staff": make_account(app, "rowan-staff", role="staff"),
        "admin": make_account(app, "wren-admin", role="admin"),
        "member": make_account(app, "river-member"),
        "mentor": make_account(app, "heron-mentor", role="mentor"),
        "newcomer": make_account(app, "birch-staff", role="staff"),
        "attendee": make_account(app, "cedar-member"),
    }


def account(account_id: int) -> Account:
    """The account, in the open app context."""
    return db.session.get(Account, account_id)


def audit_entries(app: Flask) -> list[tuple]:
    """Every audit entry, oldest first: (actor id, action, target id, detail)."""
    with app.app_context():
        rows = db.session.execute(
            select(
                AuditEntry.actor_id, AuditEntry.action, AuditEntry.target_id, AuditEntry.detail
            ).order_by(AuditEntry.id)
        )
        return [tuple(row) for row in rows]


def signed_in(app: Flask, clock: Clock, made: MadeAccount) -> FlaskClient:
    """A client signed in as `made` through the real forms."""
    client = app.test_client()
    assert AuthActions(app, client, clock).login(made).status_code == 303
    return client


@dataclass(frozen=True)
class Case:
    """One request: `path` is formatted with the world's ids; `data(ids)` is its form;
    `done(ids)` (in an app context) says whether its change was made."""

    method: str
    path: str
    allowed: frozenset[str]
    status: int
    data: Callable[[dict], dict] | None = None
    done: Callable[[dict], bool] | None = None
    # Attendance is taken once the meeting has started: the clock moves three days first.
    after_start: bool = False
    # Text a refused answer must not hold (a pseudonym on a roster).
    secret: Callable[[dict], str] | None = field(default=None)

    def expected(self, role: str) -> int:
        if role in self.allowed:
            return self.status
        return FORBIDDEN if role in ("member", "mentor") else NOT_FOUND


def cells(cases: dict[str, Case]) -> dict:
    """Every (case, role) pair, as pytest parameters."""
    return {
        "argnames": ("name", "role"),
        "argvalues": [(name, role) for name in sorted(cases) for role in ROLES],
    }


def check_cell(
    app: Flask,
    clock: Clock,
    people: dict[str, MadeAccount],
    ids: dict,
    case: Case,
    role: str,
) -> None:
    """Send the case's request as `role` and hold it to the rule above."""
    if case.after_start:
        clock.advance(days=3)
    client = app.test_client()
    response = AuthActions(app, client, clock).login(people[role])
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    before = snapshot(app)
    response = client.open(
        case.path.format(**ids),
        method=case.method,
        data=case.data(ids) if case.data else None,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == case.expected(role), body[:500]
    if role in case.allowed:
        if case.done is not None:
            with app.app_context():
                assert case.done(ids), "let in, but the change was not made"
        return
    assert differences(before, snapshot(app)) == {}, "refused, yet something was written"
    if case.secret is not None:
        assert case.secret(ids) not in body


def choosing_cases(page: str, hosted_by: Callable[[dict], set[int]]) -> dict[str, Case]:
    """The two co-host cases of a program or an event whose page is `page` (a path with
    the world's ids to fill in): the fixture's world has the creator and the co-host,
    and `hosted_by(ids)` (in an app context) is who hosts it. The creator or an admin adds
    birch-staff (the newcomer), or removes the co-host."""
    return {
        "add a co-host": Case(
            "POST",
            page + "/hosts",
            CHOOSERS,
            303,
            data=lambda _ids: {"pseudonym": "birch-staff"},
            done=lambda ids: len(hosted_by(ids)) == 3,
        ),
        "remove a co-host": Case(
            "POST",
            page + "/hosts/{cohost_id}/remove",
            CHOOSERS,
            303,
            done=lambda ids: ids["cohost_id"] not in hosted_by(ids),
        ),
    }


def make_world(app: Flask, clock: Clock, people: dict[str, MadeAccount]) -> dict:
    """alder-staff (`people["cohost"]`) runs program "shared" and event "shared_event" with
    maple-staff (the creator), and program "alone" (with a meeting) and event
    "alone_event" by themself. Return their ids, and paths only those who run them open."""
    maple, alder = people["creator"].id, people["cohost"].id
    shared = make_program(app, maple, now=clock(), title="Shared program")
    alone = make_program(app, alder, now=clock(), title="Alder's program")
    shared_event = make_event(app, maple, now=clock(), title="Shared circle")
    alone_event = make_event(app, alder, now=clock(), title="Alder's circle")
    with app.app_context():
        program_hosts.add_host(
            account(maple), db.session.get(Program, shared.id), "alder-staff", now=clock()
        )
        event_hosts.add_host(
            account(maple), db.session.get(Event, shared_event.id), "alder-staff", now=clock()
        )
        db.session.commit()
    return {
        "shared": shared.id,
        "alone": alone.id,
        "shared_event": shared_event.id,
        "alone_event": alone_event.id,
        "paths": {
            "shared": f"/programs/{shared.id}/roster",
            "alone": f"/programs/{alone.id}/roster",
            "alone meeting": f"/events/{alone.meeting_ids[0]}/attendees",
            "shared_event": f"/events/{shared_event.first}/edit",
            "alone_event": f"/events/{alone_event.first}/edit",
        },
    }


def hosts_of(app: Flask, world: dict) -> dict[str, set[int]]:
    """Who has host rows for each of make_world's programs and events (account ids)."""
    with app.app_context():
        programs = {
            name: set(
                db.session.scalars(
                    select(ProgramHost.account_id).where(ProgramHost.program_id == world[name])
                )
            )
            for name in ("shared", "alone")
        }
        events = {
            name: set(
                db.session.scalars(
                    select(EventHost.account_id).where(EventHost.event_id == world[name])
                )
            )
            for name in ("shared_event", "alone_event")
        }
    return programs | events
