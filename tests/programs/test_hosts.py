"""Staff change only the programs they run (issue 13, point 5; DESIGN §3 Staff tools).

A program is run by its hosts: its creator and the co-hosts the creator or an admin
adds (and by admins). Only they change it, schedule its meetings, see its roster,
decide on requests and take attendance; other staff get 404, as for a program that
does not exist, and nothing is written. The table of tests/support/hosts.py holds for
every such route; the program page lists who runs it, for them only, with a form to
add or remove a co-host for the creator and admins.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from advocacy.events.models import Event, Rsvp
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.programs import hosts
from advocacy.programs import services as programs
from advocacy.programs.models import Enrollment, Program, ProgramHost
from tests.support.hosts import (
    RUNNERS,
    Case,
    account,
    audit_entries,
    cells,
    check_cell,
    choosing_cases,
    make_people,
    signed_in,
)
from tests.support.once import event_form, program_form
from tests.support.programs import make_program
from tests.support.snapshots import differences, snapshot


@pytest.fixture
def people(app):
    return make_people(app)


@pytest.fixture
def ids(app, clock, people) -> dict:
    """A program the creator made (requests need approval) with one meeting in two days, the
    co-host added by the creator, the attendee with a place and the member asking for one."""
    made = make_program(app, people["creator"].id, now=clock(), needs_approval=True)
    with app.app_context():
        program = db.session.get(Program, made.id)
        hosts.add_host(account(people["creator"].id), program, "alder-staff", now=clock())
        place = programs.enroll(account(people["attendee"].id), made.id, now=clock())
        programs.approve(made.id, place.id, note="", now=clock())
        request = programs.enroll(account(people["member"].id), made.id, now=clock())
        db.session.commit()
        return {
            "program_id": made.id,
            "meeting_id": made.meeting_ids[0],
            "enrollment_id": request.id,
            "attendee_id": people["attendee"].id,
            "cohost_id": people["cohost"].id,
            "today": clock().date(),
            "now": clock(),
        }


def program_of(ids) -> Program:
    return db.session.get(Program, ids["program_id"])


def hosted_by(ids) -> set[int]:
    return set(
        db.session.scalars(
            select(ProgramHost.account_id).where(ProgramHost.program_id == ids["program_id"])
        )
    )


def edit_form(ids) -> dict:
    """The program's own details (written as the builder made them), with a new title."""
    today = ids["today"]
    return {
        "title": "Renamed by whoever runs it",
        "kind": "healing",
        "summary": "Eight weeks of peer support.",
        "capacity": "5",
        "enrollment_opens_on": (today - timedelta(days=1)).isoformat(),
        "enrollment_closes_on": (today + timedelta(days=20)).isoformat(),
        "starts_on": (today + timedelta(days=21)).isoformat(),
        "ends_on": (today + timedelta(days=80)).isoformat(),
        "needs_approval": "y",
        "status": "open",
    }


def meetings_of(ids) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Event).where(Event.program_id == ids["program_id"])
    )


CASES = {
    "edit page": Case("GET", "/programs/{program_id}/edit", RUNNERS, 200),
    "edit": Case(
        "POST",
        "/programs/{program_id}/edit",
        RUNNERS,
        303,
        data=edit_form,
        done=lambda ids: program_of(ids).title == "Renamed by whoever runs it",
    ),
    "new meeting page": Case("GET", "/programs/{program_id}/meetings/new", RUNNERS, 200),
    "new meeting": Case(
        "POST",
        "/programs/{program_id}/meetings/new",
        RUNNERS,
        303,
        data=lambda ids: event_form(ids["now"]),
        done=lambda ids: meetings_of(ids) == 2,
    ),
    "roster": Case(
        "GET",
        "/programs/{program_id}/roster",
        RUNNERS,
        200,
        secret=lambda _ids: "river-member",
    ),
    "approve": Case(
        "POST",
        "/programs/{program_id}/roster/{enrollment_id}/approve",
        RUNNERS,
        303,
        data=lambda _ids: {"note": "Welcome."},
        done=lambda ids: db.session.get(Enrollment, ids["enrollment_id"]).status == "confirmed",
    ),
    "attendance page": Case(
        "GET",
        "/programs/{program_id}/meetings/{meeting_id}/attendance",
        RUNNERS,
        200,
        after_start=True,
        secret=lambda _ids: "cedar-member",
    ),
    "attendance": Case(
        "POST",
        "/programs/{program_id}/meetings/{meeting_id}/attendance",
        RUNNERS,
        303,
        data=lambda ids: {"present": str(ids["attendee_id"])},
        done=lambda ids: db.session.scalar(select(Rsvp.attended)) is True,
        after_start=True,
    ),
    **choosing_cases("/programs/{program_id}", hosted_by),
}


@pytest.mark.parametrize(**cells(CASES))
def test_only_those_who_run_a_program_change_it_see_its_people_or_choose_its_hosts(
    app, clock, people, ids, name, role
):
    check_cell(app, clock, people, ids, CASES[name], role)


# The program page: who runs it, and choosing co-hosts.


def hosts_now(app, ids) -> set[int]:
    with app.app_context():
        return hosted_by(ids)


HEADING = "People who run this"
ADD_BUTTON = "Add co-host"


def test_the_page_lists_who_runs_it_to_them_and_the_form_to_creator_and_admins(
    app, clock, people, ids
):
    path = f"/programs/{ids['program_id']}"
    for role in ("creator", "admin"):
        page = signed_in(app, clock, people[role]).get(path).get_data(as_text=True)
        assert HEADING in page
        assert page.index("maple-staff") < page.index("alder-staff")  # first added first
        assert ADD_BUTTON in page
        assert f"/programs/{ids['program_id']}/hosts/{ids['cohost_id']}/remove" in page
        assert f"/programs/{ids['program_id']}/edit" in page
    cohost_page = signed_in(app, clock, people["cohost"]).get(path).get_data(as_text=True)
    assert HEADING in cohost_page
    assert "maple-staff" in cohost_page
    assert ADD_BUTTON not in cohost_page
    assert "/remove" not in cohost_page
    assert f"/programs/{ids['program_id']}/roster" in cohost_page
    for role in ("other_staff", "member", "mentor"):
        page = signed_in(app, clock, people[role]).get(path).get_data(as_text=True)
        assert HEADING not in page
        assert "alder-staff" not in page
        assert f"/programs/{ids['program_id']}/edit" not in page
        assert f"/programs/{ids['program_id']}/meetings/new" not in page
        assert f"/programs/{ids['program_id']}/roster" not in page


def test_a_co_host_is_added_by_pseudonym_once_and_audited(app, clock, people, ids):
    client = signed_in(app, clock, people["creator"])
    path = f"/programs/{ids['program_id']}/hosts"
    before = audit_entries(app)
    # Any case, any separator: the pseudonym is looked up as sign-in does.
    response = client.post(path, data={"pseudonym": "Birch_Staff"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/programs/{ids['program_id']}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "birch-staff now helps run this." in page
    newcomer = people["newcomer"].id
    assert hosts_now(app, ids) == {people["creator"].id, ids["cohost_id"], newcomer}
    entry = (people["creator"].id, "host_added", newcomer, f"program {ids['program_id']}")
    assert audit_entries(app) == [*before, entry]
    # Sent again (a double tap): nothing more is written, and it says so calmly.
    again = client.post(path, data={"pseudonym": "birch-staff"})
    assert again.status_code == 303
    page = client.get(f"/programs/{ids['program_id']}").get_data(as_text=True)
    assert "birch-staff already helps run this. Nothing was changed." in page
    assert "now helps run this" not in page
    assert audit_entries(app) == [*before, entry]
    assert hosts_now(app, ids) == {people["creator"].id, ids["cohost_id"], newcomer}


NOT_STAFF = (
    "There is no staff or admin account with that pseudonym. "
    "Only staff and admins can run programs and events."
)


@pytest.mark.parametrize("typed", ["river-member", "heron-mentor", "nobody-by-that-name"])
def test_only_staff_and_admins_can_be_added_and_the_page_keeps_what_was_typed(
    app, clock, people, ids, typed
):
    client = signed_in(app, clock, people["admin"])
    before = snapshot(app)
    response = client.post(f"/programs/{ids['program_id']}/hosts", data={"pseudonym": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert NOT_STAFF in page  # one answer: a member's pseudonym says nothing about them
    assert "Please check the highlighted field below." not in page  # not at the top: by the field
    assert f'value="{typed}"' in page
    assert HEADING in page
    assert differences(before, snapshot(app)) == {}


@pytest.mark.parametrize(
    ("typed", "said"),
    [("", "Please fill this in."), ("x" * 121, "Field cannot be longer than 120 characters.")],
)
def test_an_empty_or_overlong_pseudonym_is_a_calm_400(app, clock, people, ids, typed, said):
    client = signed_in(app, clock, people["creator"])
    before = snapshot(app)
    response = client.post(f"/programs/{ids['program_id']}/hosts", data={"pseudonym": typed})
    assert response.status_code == 400
    assert said in response.get_data(as_text=True)
    assert differences(before, snapshot(app)) == {}


LAST_HOST = (
    "Someone has to run it: this is the only person who does. "
    "Add someone else first, then remove them."
)


def test_a_co_host_is_removed_and_audited_but_never_the_last_host(app, clock, people, ids):
    creator = people["creator"].id
    client = signed_in(app, clock, people["creator"])
    before = audit_entries(app)
    removed = client.post(f"/programs/{ids['program_id']}/hosts/{ids['cohost_id']}/remove")
    assert removed.status_code == 303
    assert removed.headers["Location"] == f"/programs/{ids['program_id']}"
    page = client.get(f"/programs/{ids['program_id']}").get_data(as_text=True)
    assert "alder-staff no longer runs this." in page
    assert hosts_now(app, ids) == {creator}
    entry = (creator, "host_removed", ids["cohost_id"], f"program {ids['program_id']}")
    assert audit_entries(app) == [*before, entry]
    # One host left: no button to remove them, and a request to do so is calmly refused.
    assert "/remove" not in page
    admin = signed_in(app, clock, people["admin"])
    snap = snapshot(app)
    refused = admin.post(f"/programs/{ids['program_id']}/hosts/{creator}/remove")
    assert refused.status_code == 303
    assert LAST_HOST in admin.get(f"/programs/{ids['program_id']}").get_data(as_text=True)
    assert differences(snap, snapshot(app)) == {}
    # The co-host no longer runs it.
    cohost = signed_in(app, clock, people["cohost"])
    assert cohost.get(f"/programs/{ids['program_id']}/roster").status_code == 404


def test_removing_someone_who_does_not_run_it_never_says_who_they_are(app, clock, people, ids):
    # Walking account ids through the remove address must not list pseudonyms.
    client = signed_in(app, clock, people["creator"])
    snap = snapshot(app)
    for stranger in (people["mentor"].id, people["member"].id, 2**31 - 1):
        removed = client.post(f"/programs/{ids['program_id']}/hosts/{stranger}/remove")
        assert removed.status_code == 303
        page = client.get(f"/programs/{ids['program_id']}").get_data(as_text=True)
        assert "That person no longer runs this." in page
        assert "heron-mentor" not in page
        assert "river-member" not in page
    assert differences(snap, snapshot(app)) == {}


def test_the_creator_can_hand_the_program_over_and_then_no_longer_runs_it(app, clock, people, ids):
    client = signed_in(app, clock, people["creator"])
    response = client.post(f"/programs/{ids['program_id']}/hosts/leave", data={"confirm": "yes"})
    assert response.status_code == 303
    assert hosts_now(app, ids) == {ids["cohost_id"]}
    assert client.get(f"/programs/{ids['program_id']}/roster").status_code == 404
    cohost = signed_in(app, clock, people["cohost"])
    assert cohost.get(f"/programs/{ids['program_id']}/roster").status_code == 200
    # Still only a co-host: the creator's right to choose hosts did not pass to them.
    added = cohost.post(f"/programs/{ids['program_id']}/hosts", data={"pseudonym": "birch-staff"})
    assert added.status_code == 404


def test_a_staff_member_who_deletes_their_account_leaves_no_host_row(app, clock, people, ids):
    cohost = people["cohost"]
    client = signed_in(app, clock, cohost)
    response = client.post(
        "/account/delete", data={"password": cohost.password, "published_stories": "delete"}
    )
    assert response.status_code == 303
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ProgramHost)
                .where(ProgramHost.account_id == cohost.id)
            )
            == 0
        )
        assert hosted_by(ids) == {people["creator"].id}
        assert program_of(ids) is not None


def test_a_host_who_is_no_longer_staff_neither_runs_it_nor_is_listed(app, clock, people, ids):
    with app.app_context():
        account(ids["cohost_id"]).role = "mentor"
        db.session.commit()
    page = signed_in(app, clock, people["creator"]).get(f"/programs/{ids['program_id']}")
    assert "alder-staff" not in page.get_data(as_text=True)
    with app.app_context():
        mentor = account(ids["cohost_id"])
        assert hosts.runs(mentor, program_of(ids)) is False
        assert hosts.hosts(program_of(ids)) == [(people["creator"].id, "maple-staff")]


def test_a_new_program_is_run_by_its_creator_alone(app, clock, people):
    client = signed_in(app, clock, people["creator"])
    response = client.post("/programs/new", data=program_form(clock()))
    assert response.status_code == 303
    with app.app_context():
        program = db.session.scalar(select(Program))
        assert hosts.hosts(program) == [(people["creator"].id, "maple-staff")]
        for role, runs in (("creator", True), ("cohost", False), ("admin", True)):
            assert hosts.runs(account(people[role].id), program) is runs, role
        # Nobody signed in never runs it, whether told as None or as Flask-Login's visitor.
        assert hosts.runs(None, program) is False
        assert hosts.runs(AnonymousUserMixin(), program) is False


def test_an_admin_runs_a_program_whose_creator_is_gone_and_can_give_it_a_host(
    app, clock, people, ids
):
    creator = people["creator"]
    client = signed_in(app, clock, creator)
    client.post("/account/delete", data={"password": creator.password})
    with app.app_context():
        assert program_of(ids).created_by_id is None
    admin = signed_in(app, clock, people["admin"])
    assert admin.get(f"/programs/{ids['program_id']}/roster").status_code == 200
    added = admin.post(f"/programs/{ids['program_id']}/hosts", data={"pseudonym": "birch-staff"})
    assert added.status_code == 303
    assert hosts_now(app, ids) == {ids["cohost_id"], people["newcomer"].id}


def test_the_privacy_holder_itself_exports_and_forgets_the_programs_an_account_runs(
    app, people, ids
):
    # Not only the database's ON DELETE CASCADE: the purge and deletion go through here.
    with app.app_context():
        (holder,) = [h for h in registry.holders() if h.name == "programs_run"]
        cohost = account(ids["cohost_id"])
        assert holder.export(cohost) == ["Healing together"]
        holder.delete(cohost)
        db.session.flush()
        assert hosted_by(ids) == {people["creator"].id}
        assert holder.export(cohost) == []
        assert account(ids["cohost_id"]) is not None
        db.session.rollback()
