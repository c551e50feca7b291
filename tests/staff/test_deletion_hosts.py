"""Deleting an account never leaves what it alone ran with nobody named (issue 13
leftovers), as a role change does not (staff/roles.py; DESIGN §3 Staff tools).

The rules, written here from the task (never read from the code under test):

- however a staff or admin account is deleted (by its owner, by an admin, by the purge
  of inactive accounts), each program and event that no other staff or admin runs gets
  an admin as its host: the admin removing it, or else the longest-standing admin who is
  not paused (never the account being deleted); what others still run, they run;
- the audit log keeps one entry about the admin who takes over, with counts only ("1
  program, 1 event"): "hosts_taken_over" by the admin who removed the account, or
  "hosts_handed_over" by nobody when its owner or the purge deleted it (the log then says
  it happened by itself); once the removing admin is deleted too, their entry shows a
  deleted account, never "by itself"; nothing in the log, in the notices or on the pages
  names the deleted account; the admin who takes over gets a notice saying how many,
  naming nobody, unless they removed the account themself (they saw it on the page that
  asked first: no notice about their own action);
- deletion is never refused or held up for this: with no admin who can take over, the
  deletion still succeeds, the programs and events stay (with nobody named), and the
  log keeps one "hosts_left_unstaffed" entry with the counts, by nobody;
- the host rows of a member or mentor (left from before the rule that role changes drop
  them) count for nothing: nobody takes over, nothing is logged;
- what a deletion writes (the log entry, the notice) is dated when the deletion happened:
  the time the service is given, never whatever the clock says when it gets there.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, select

from advocacy.accounts import services, standing
from advocacy.accounts.models import Account
from advocacy.clock import local_date
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.notices.services import message_for
from advocacy.privacy import services as privacy
from advocacy.privacy.rules import rule_for
from advocacy.programs.models import ProgramHost
from advocacy.staff.models import AuditEntry
from tests.support.accounts import PASSWORD, load_account, make_account
from tests.support.hosts import audit_entries, hosts_of, signed_in


def delete_own(app, clock, who) -> None:
    client = signed_in(app, clock, who)
    page = " ".join(client.get("/account/delete").get_data(as_text=True).split())
    said = "Any program or event that only you run stays, and an admin runs it from then on."
    assert (said in page) == (who.role in ("staff", "admin"))
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert load_account(app, who.id) is None


def notices_to(app, account_id: int) -> list[tuple[str, dict, str]]:
    """(kind, params, words) of the account's notices, oldest first."""
    with app.test_request_context():
        notices = db.session.scalars(
            select(Notice).where(Notice.account_id == account_id).order_by(Notice.id)
        )
        return [(n.kind, n.params, message_for(n)) for n in notices]


def new_entries(app, before: list) -> list[tuple]:
    return audit_entries(app)[len(before) :]


def pause(app, account_id: int, clock) -> None:
    with app.app_context():
        db.session.get(Account, account_id).paused_at = clock()
        db.session.commit()


TAKEN = (
    "An account was deleted, and you now run 1 program and 1 event that had no one else. "
    "You can hand each one to someone else from its page."
)


def test_a_staff_member_deleting_their_account_leaves_what_they_ran_alone_to_an_admin(
    app, clock, people, world
):
    maple, wren = people["creator"].id, people["admin"].id
    before = audit_entries(app)
    delete_own(app, clock, people["cohost"])
    assert hosts_of(app, world) == {
        "shared": {maple},
        "alone": {wren},
        "shared_event": {maple},
        "alone_event": {wren},
    }
    assert new_entries(app, before) == [(None, "hosts_handed_over", wren, "1 program, 1 event")]
    assert notices_to(app, wren) == [("hosts_taken_over", {"programs": 1, "events": 1}, TAKEN)]
    # The admin runs it, named as its host; the deleted account is named nowhere.
    admin = signed_in(app, clock, people["admin"])
    program_page = admin.get(f"/programs/{world['alone']}").get_data(as_text=True)
    assert "wren-admin (you)" in program_page
    audit = admin.get("/admin/audit").get_data(as_text=True)
    assert BY_ITSELF in audit
    for page in (program_page, audit):
        assert "alder-staff" not in page
    maple_client = signed_in(app, clock, people["creator"])
    assert maple_client.get(world["paths"]["shared"]).status_code == 200


def test_an_admin_removing_a_staff_member_takes_over_what_only_they_ran(app, clock, people, world):
    # wren-admin is older, but the admin removing the account takes over.
    wren = people["admin"].id
    newer = make_account(app, "zinnia-admin", role="admin")
    before = audit_entries(app)
    remover = signed_in(app, clock, newer)
    path = f"/admin/accounts/{people['cohost'].id}/remove"
    page = " ".join(remover.get(path).get_data(as_text=True).split())
    assert "Any program or event that only they run, you run from then on" in page
    response = remover.post(path, data={"pseudonym": "alder-staff"})
    assert response.status_code == 303
    assert hosts_of(app, world)["alone"] == {newer.id}
    assert hosts_of(app, world)["alone_event"] == {newer.id}
    assert [e for e in new_entries(app, before) if e[1] == "hosts_taken_over"] == [
        (newer.id, "hosts_taken_over", newer.id, "1 program, 1 event")
    ]
    assert notices_to(app, wren) == []
    assert notices_to(app, newer.id) == []  # their own action: said on the page before


BY_ITSELF = "(by itself, when an account was deleted)"


def audit_rows(client, action: str) -> list[str]:
    """The audit page's rows for `action` (as shown: "hosts taken over"), words only."""
    page = client.get("/admin/audit").get_data(as_text=True)
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in page.split("<tr>")]
    return [row for row in rows if action.replace("_", " ") in row]


def test_a_hand_over_by_an_admin_since_deleted_never_reads_as_by_itself(app, clock, people, world):
    wren = people["admin"]
    zinnia = make_account(app, "zinnia-admin", role="admin")
    remover = signed_in(app, clock, zinnia)
    remover.post(f"/admin/accounts/{people['cohost'].id}/remove", data={"pseudonym": "alder-staff"})
    assert hosts_of(app, world)["alone"] == {zinnia.id}
    delete_own(app, clock, zinnia)  # what zinnia ran goes on to wren, by itself
    assert hosts_of(app, world)["alone"] == {wren.id}
    admin = signed_in(app, clock, wren)
    (taken,) = audit_rows(admin, "hosts_taken_over")
    assert "(deleted account) hosts taken over (1 program and 1 event) (deleted account)" in taken
    assert BY_ITSELF not in taken
    (handed,) = audit_rows(admin, "hosts_handed_over")
    assert f"{BY_ITSELF} hosts handed over (1 program and 1 event) wren-admin" in handed
    # Told of the hand-over that happened by itself, not the one zinnia did and saw.
    assert [kind for kind, _params, _words in notices_to(app, wren.id)] == ["hosts_taken_over"]
    assert notices_to(app, zinnia.id) == []


def test_the_longest_standing_admin_who_is_not_paused_takes_over(app, clock, people, world):
    wren = people["admin"].id  # the oldest admin, paused
    pause(app, wren, clock)
    oak = make_account(app, "oak-admin", role="admin")
    make_account(app, "zinnia-admin", role="admin")
    delete_own(app, clock, people["cohost"])
    assert hosts_of(app, world)["alone"] == {oak.id}
    assert hosts_of(app, world)["alone_event"] == {oak.id}


def test_an_admin_deleting_their_own_account_leaves_it_to_another_admin(app, clock, people, world):
    alder = people["cohost"]
    with app.app_context():
        # An admin older than wren-admin: the oldest admin, but the one being deleted.
        db.session.get(Account, alder.id).role = "admin"
        db.session.commit()
    delete_own(app, clock, alder)
    assert hosts_of(app, world)["alone"] == {people["admin"].id}


def test_with_no_admin_to_take_over_the_deletion_still_succeeds(app, clock, people, world):
    wren = people["admin"].id
    pause(app, wren, clock)  # the only admin cannot sign in: nobody to take over
    before = audit_entries(app)
    delete_own(app, clock, people["cohost"])
    assert hosts_of(app, world) == {
        "shared": {people["creator"].id},
        "alone": set(),
        "shared_event": {people["creator"].id},
        "alone_event": set(),
    }
    assert new_entries(app, before) == [(None, "hosts_left_unstaffed", None, "1 program, 1 event")]
    assert notices_to(app, wren) == []
    # The program is still there, and an admin (once one can sign in) still runs it.
    with app.app_context():
        db.session.get(Account, wren).paused_at = None
        db.session.commit()
    admin = signed_in(app, clock, people["admin"])
    assert admin.get(world["paths"]["alone"]).status_code == 200


def test_with_no_admin_account_at_all_the_deletion_still_succeeds(app, clock, people, world):
    with app.app_context():
        db.session.delete(db.session.get(Account, people["admin"].id))
        db.session.commit()
    delete_own(app, clock, people["cohost"])
    assert hosts_of(app, world)["alone"] == set()


def test_the_purge_of_inactive_accounts_hands_over_too(app, clock, people, world):
    wren = people["admin"].id
    with app.app_context():
        days = rule_for("account").days
        today = local_date(clock())
        for made in people.values():  # everyone else signed in today
            db.session.get(Account, made.id).last_login_on = today
        db.session.get(Account, people["cohost"].id).last_login_on = today - timedelta(
            days=days + 1
        )
        db.session.commit()
    before = audit_entries(app)
    with app.app_context():
        privacy.purge(clock())
    assert load_account(app, people["cohost"].id) is None
    assert load_account(app, wren) is not None
    assert hosts_of(app, world)["alone"] == {wren}
    assert [e for e in new_entries(app, before) if e[1] == "hosts_handed_over"] == [
        (None, "hosts_handed_over", wren, "1 program, 1 event")
    ]


def test_a_member_s_old_host_rows_are_not_taken_over(app, clock, people, world):
    # A program whose only host row is a member's (left from before role changes dropped
    # them): it has nobody who may run it, but the member's row counts for nothing.
    member = people["member"]
    with app.app_context():
        db.session.execute(delete(ProgramHost).where(ProgramHost.program_id == world["alone"]))
        db.session.add(ProgramHost(program_id=world["alone"], account_id=member.id))
        db.session.commit()
    before = audit_entries(app)
    delete_own(app, clock, member)
    assert hosts_of(app, world)["alone"] == set()
    assert new_entries(app, before) == []
    assert notices_to(app, people["admin"].id) == []


def dated(app, model, **where) -> list[tuple]:
    """(what, when) of the rows of `model` (AuditEntry or Notice) matching `where`."""
    what = model.action if model is AuditEntry else model.kind
    with app.app_context():
        rows = db.session.execute(select(what, model.created_at).filter_by(**where))
        return [tuple(row) for row in rows]


def test_a_removal_s_hand_over_is_dated_when_the_admin_removed_the_account(
    app, clock, people, world
):
    removed_at = clock() - timedelta(hours=5)  # the clock has moved on since
    admin = people["admin"].id
    with app.app_context():
        actor = db.session.get(Account, admin)
        standing.remove(actor, people["cohost"].id, confirm="alder-staff", now=removed_at)
        db.session.commit()
    assert dated(app, AuditEntry, target_id=admin) == [("hosts_taken_over", removed_at)]


def test_a_staff_member_s_own_deletion_s_hand_over_is_dated_when_they_deleted_it(
    app, clock, people, world
):
    deleted_at = clock() - timedelta(hours=5)
    admin = people["admin"].id
    with app.app_context():
        cohost = db.session.get(Account, people["cohost"].id)
        services.delete_own_account(cohost, {}, now=deleted_at)
        db.session.commit()
    assert dated(app, AuditEntry, target_id=admin) == [("hosts_handed_over", deleted_at)]
    assert dated(app, Notice, account_id=admin) == [("hosts_taken_over", deleted_at)]
