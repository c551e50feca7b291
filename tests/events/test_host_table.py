"""Who runs an event, as the host table holds it (events/hosts.py HostTable, the event
hosts' table), called directly in one session.

Rules (DESIGN §3 Staff tools; the docstrings of HostTable):
- an event lists its own hosts only, those who are staff or admin, first added first
  (not in the order the accounts were made);
- removing a host takes that event's row of that account and no other; an id that is no
  host of it is answered None and nothing is written, not even an audit entry;
- an account whose role changes lets go of every event it hosts (release): its rows go,
  and where nobody else who is staff or admin runs one, the admin making the change (the
  taker) runs it instead; with no taker nobody does. A host row of a member counts for
  nobody. `letting_go` says the same counts beforehand and writes nothing;
- a program's meetings are run by whoever the programs domain says runs the program
  (register_program_hosts); with none registered, no staff member runs one.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from advocacy.events import hosts
from advocacy.events.hosts import EVENT_HOSTS
from advocacy.events.models import EventHost
from advocacy.extensions import db
from advocacy.staff.models import AuditEntry
from tests.support.event_rules import NOW, hosts_of, meeting, person
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)


def rows_of(account_id: int) -> set[int]:
    """The event ids the account has host rows for."""
    return set(
        db.session.scalars(select(EventHost.event_id).where(EventHost.account_id == account_id))
    )


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def event_by(creator, title: str) -> int:
    """A new event of its own, run by its creator; return its id."""
    return meeting(creator, title=title).event_id


@pytest.mark.usefixtures("session")
def test_an_event_lists_its_own_hosts_first_added_first():
    ash = person("ash-staff", "staff")  # made first: the lower id
    birch = person("birch-staff", "staff")
    shared = event_by(birch, "Shared")
    EVENT_HOSTS.add(birch, shared, "ash-staff", now=NOW)
    own = event_by(ash, "Ash's own")
    assert EVENT_HOSTS.listing(shared) == [(birch.id, "birch-staff"), (ash.id, "ash-staff")]
    assert EVENT_HOSTS.listing(own) == [(ash.id, "ash-staff")]


@pytest.mark.usefixtures("session")
def test_removing_a_host_takes_only_that_event_s_row_and_a_non_host_changes_nothing():
    ash, birch = person("ash-staff", "staff"), person("birch-staff", "staff")
    member = person("cedar")
    shared, elsewhere = event_by(ash, "Shared"), event_by(ash, "Elsewhere")
    for event_id in (shared, elsewhere):
        EVENT_HOSTS.add(ash, event_id, "birch-staff", now=NOW)
    audited = audit_count()
    # An account that runs nothing here, and an id of no account: None, nothing written.
    assert EVENT_HOSTS.remove(ash, shared, member.id, now=NOW) is None
    assert EVENT_HOSTS.remove(ash, shared, member.id + 100, now=NOW) is None
    assert (hosts_of(shared), audit_count()) == ({ash.id, birch.id}, audited)
    assert EVENT_HOSTS.remove(ash, shared, birch.id, now=NOW) is birch
    assert hosts_of(shared) == {ash.id}
    assert hosts_of(elsewhere) == {ash.id, birch.id}  # still runs the other one
    assert audit_count() == audited + 1


def leaving_world() -> SimpleNamespace:
    """maple-staff, who is leaving, runs "alone" by themself, "shared" with oak-staff, and
    "with a member" with a member's stray row (it counts for nobody); oak-staff alone runs
    "oak's"; wren-admin runs nothing yet."""
    maple, oak = person("maple-staff", "staff"), person("oak-staff", "staff")
    admin, member = person("wren-admin", "admin"), person("river")
    world = SimpleNamespace(maple=maple, oak=oak, admin=admin, member=member)
    world.alone = event_by(maple, "Alone")
    world.shared = event_by(maple, "Shared")
    EVENT_HOSTS.add(maple, world.shared, "oak-staff", now=NOW)
    world.with_member = event_by(maple, "With a member")
    db.session.add(EventHost(event_id=world.with_member, account_id=member.id))
    world.oaks = event_by(oak, "Oak's")
    db.session.flush()
    return world


@pytest.mark.usefixtures("session")
def test_letting_go_says_how_many_and_how_many_nobody_else_runs_writing_nothing():
    world = leaving_world()
    ids = [world.alone, world.shared, world.with_member]
    assert EVENT_HOSTS.left_alone(world.maple.id, ids) == [world.alone, world.with_member]
    assert EVENT_HOSTS.left_alone(world.maple.id, ids[::-1]) == [world.with_member, world.alone]
    before = {event_id: hosts_of(event_id) for event_id in [*ids, world.oaks]}
    assert EVENT_HOSTS.letting_go(world.maple.id) == (3, 2)
    assert EVENT_HOSTS.letting_go(world.oak.id) == (2, 1)  # "oak's" only: maple runs "shared"
    assert EVENT_HOSTS.letting_go(world.admin.id) == (0, 0)
    assert {event_id: hosts_of(event_id) for event_id in before} == before


@pytest.mark.usefixtures("session")
def test_the_taker_runs_what_nobody_else_would_and_nothing_else():
    world = leaving_world()
    assert EVENT_HOSTS.release(world.maple.id, world.admin.id) == (3, 2)
    assert rows_of(world.maple.id) == set()
    assert hosts_of(world.alone) == {world.admin.id}
    assert hosts_of(world.shared) == {world.oak.id}
    assert hosts_of(world.with_member) == {world.member.id, world.admin.id}
    assert hosts_of(world.oaks) == {world.oak.id}
    # Someone with no rows lets go of nothing.
    assert EVENT_HOSTS.release(person("pine-staff", "staff").id, world.admin.id) == (0, 0)


@pytest.mark.usefixtures("session")
def test_with_no_taker_the_rows_simply_go():
    world = leaving_world()
    assert EVENT_HOSTS.release(world.maple.id, None) == (3, 0)
    assert rows_of(world.maple.id) == set()
    assert (hosts_of(world.alone), hosts_of(world.shared)) == (set(), {world.oak.id})
    assert hosts_of(world.with_member) == {world.member.id}
    assert db.session.scalar(select(func.count()).select_from(EventHost)) == 3


def test_the_programs_domain_says_who_runs_a_program_s_meetings(monkeypatch):
    monkeypatch.setattr(hosts, "_program_host", None)
    meeting_of_7 = SimpleNamespace(program_id=7, id=70)

    def staff(account_id: int) -> SimpleNamespace:
        return SimpleNamespace(id=account_id, role="staff", is_authenticated=True)

    assert hosts.runs(staff(5), meeting_of_7) is False  # none registered: fails closed
    hosts.register_program_hosts(lambda account_id, program_id: (account_id, program_id) == (5, 7))
    assert hosts.runs(staff(5), meeting_of_7) is True
    assert hosts.runs(staff(6), meeting_of_7) is False
