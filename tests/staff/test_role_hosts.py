"""A role change and the programs and events the account ran (staff/roles.py).

The rules, written here from the task and DESIGN §3 (Staff tools: each program and
event has the staff who run it), never read from the code:

- an account an admin makes a member or a mentor no longer runs anything: its host
  rows go, in the same transaction as the role change, and made staff again later it is
  refused (404) like any other staff member;
- nothing is left with no staff at all: what only that account ran, the admin who made
  the change now runs (listed as its host); the change itself is not refused;
- the admin is told how many programs and events, and the audit log keeps one
  "hosts_removed" entry with the counts beside "role_changed";
- between staff and admin nothing changes for who runs what;
- rows left from before this rule are dropped when the account is made staff again.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from advocacy.extensions import db
from advocacy.programs import hosts as program_hosts
from advocacy.programs.models import Program, ProgramHost
from advocacy.staff import roles
from tests.support.hosts import (
    account,
    audit_entries,
    hosts_of,
    signed_in,
)
from tests.support.programs import make_program


def change_role(app, clock, people, who: str, role: str) -> str:
    """The admin changes `who`'s role on /admin; return the page it leads to."""
    admin = signed_in(app, clock, people["admin"])
    response = admin.post(f"/admin/accounts/{people[who].id}/role", data={"role": role})
    # Back to the list, found by the account's pseudonym: its new role beside the message.
    landing = f"/admin?q={quote(people[who].pseudonym)}"
    assert (response.status_code, response.headers["Location"]) == (303, landing)
    return admin.get(landing).get_data(as_text=True)


@pytest.mark.parametrize("role", ["member", "mentor"])
def test_a_host_made_member_or_mentor_runs_nothing_and_the_admin_takes_over_what_they_ran_alone(
    app, clock, people, world, role
):
    maple, alder, wren = (people[who].id for who in ("creator", "cohost", "admin"))
    before = audit_entries(app)
    page = change_role(app, clock, people, "cohost", role)
    assert (
        f"The role of alder-staff is now {role}. They no longer help run 2 programs and 2 events. "
        "You now run 1 program and 1 event that had no one else: you can add someone else "
        "on each one&#39;s page."
    ) in page
    assert hosts_of(app, world) == {
        "shared": {maple},
        "alone": {wren},
        "shared_event": {maple},
        "alone_event": {wren},
    }
    assert audit_entries(app) == [
        *before,
        (wren, "role_changed", alder, f"staff to {role}"),
        (wren, "hosts_removed", alder, "2 programs, 2 events; taken over: 1 program, 1 event"),
    ]
    admin = signed_in(app, clock, people["admin"])
    assert "wren-admin (you)" in admin.get(f"/programs/{world['alone']}").get_data(as_text=True)


def test_made_staff_again_a_former_host_is_refused_like_any_other_staff_member(
    app, clock, people, world
):
    change_role(app, clock, people, "cohost", "member")
    former = signed_in(app, clock, people["cohost"])
    for path in world["paths"].values():
        assert former.get(path).status_code == 403, path  # a member: a staff route
    change_role(app, clock, people, "cohost", "staff")
    former = signed_in(app, clock, people["cohost"])
    for path in world["paths"].values():
        assert former.get(path).status_code == 404, path
    page = former.get(f"/programs/{world['alone']}").get_data(as_text=True)
    assert "People who run this" not in page
    # Those who run them still do.
    maple = signed_in(app, clock, people["creator"])
    assert maple.get(world["paths"]["shared"]).status_code == 200
    assert maple.get(world["paths"]["shared_event"]).status_code == 200


def test_between_staff_and_admin_they_keep_running_what_they_ran(app, clock, people, world):
    maple, alder = people["creator"].id, people["cohost"].id
    runs = hosts_of(app, world)
    assert runs["alone"] == {alder}
    assert runs["shared"] == {maple, alder}
    before = audit_entries(app)
    change_role(app, clock, people, "cohost", "admin")
    assert hosts_of(app, world) == runs
    change_role(app, clock, people, "cohost", "staff")
    assert hosts_of(app, world) == runs
    assert [entry[1] for entry in audit_entries(app)[len(before) :]] == [
        "role_changed",
        "role_changed",
    ]


def test_an_admin_made_a_member_leaves_what_they_ran_to_the_admin_who_changed_it(
    app, clock, people
):
    oak = people["other_staff"]
    with app.app_context():
        account(oak.id).role = "admin"
        db.session.commit()
    program = make_program(app, oak.id, now=clock())
    page = change_role(app, clock, people, "other_staff", "member")
    assert "They no longer help run 1 program. You now run 1 program that had no one else" in page
    with app.app_context():
        assert program_hosts.hosts(db.session.get(Program, program.id)) == [
            (people["admin"].id, "wren-admin")
        ]


def test_rows_from_before_this_rule_go_when_the_account_is_made_staff_again(
    app, clock, people, world
):
    # A host row of a mentor (left by a role change before this rule) counts for nothing;
    # made staff, the mentor must not start running that program.
    mentor, maple = people["mentor"].id, people["creator"].id
    with app.app_context():
        db.session.add(ProgramHost(program_id=world["shared"], account_id=mentor))
        db.session.commit()
    before = audit_entries(app)
    change_role(app, clock, people, "mentor", "staff")
    assert hosts_of(app, world)["shared"] == {maple, people["cohost"].id}  # nobody took over
    assert audit_entries(app)[len(before) :] == [
        (people["admin"].id, "role_changed", mentor, "mentor to staff"),
        (people["admin"].id, "hosts_removed", mentor, "1 program"),
    ]
    client = signed_in(app, clock, people["mentor"])
    assert client.get(world["paths"]["shared"]).status_code == 404


def test_the_role_and_the_host_rows_change_in_one_transaction(app, clock, people, world):
    runs = hosts_of(app, world)
    with app.app_context():
        admin = account(people["admin"].id)
        change = roles.change_role(admin, people["cohost"].id, "member", now=clock())
        assert change.account.role == "member"
        assert program_hosts.hosts(db.session.get(Program, world["alone"])) == [
            (admin.id, "wren-admin")
        ]
        db.session.rollback()
        assert account(people["cohost"].id).role == "staff"
    assert hosts_of(app, world) == runs
