"""Staff change only the events they run (issue 13, point 5; DESIGN §3 Staff tools).

An event of its own is run by its hosts: its creator and the co-hosts the creator or an
admin adds (and by admins). A program's meeting is run by the program's hosts, whoever
scheduled it. Only they change it (details, venue, a meeting's time and places), cancel
it, see its attendees and take attendance; other staff get 404, as for a meeting that
does not exist, and nothing is written. The table of tests/support/hosts.py holds for
every such route.
"""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from advocacy.events import hosts, rsvps, scheduling
from advocacy.events.models import Event, EventHost, Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.programs import hosts as program_hosts
from advocacy.programs.models import Program
from advocacy.staff.models import AuditEntry
from tests.support.events import make_event
from tests.support.hosts import (
    ROLES,
    RUNNERS,
    Case,
    account,
    cells,
    check_cell,
    choosing_cases,
    make_people,
    signed_in,
)
from tests.support.programs import make_program
from tests.support.snapshots import differences, snapshot

NEW_VENUE = "Room 9, 14 Orchard Row"


@pytest.fixture
def people(app):
    return make_people(app)


@pytest.fixture
def ids(app, clock, people) -> dict:
    """A weekly event (three meetings, the first in two days) the creator scheduled, the
    co-host the creator added, and the attendee's RSVP to the first meeting."""
    made = make_event(app, people["creator"].id, now=clock(), recurrence="weekly", weeks=2)
    with app.app_context():
        event = db.session.get(Event, made.id)
        hosts.add_host(account(people["creator"].id), event, "alder-staff", now=clock())
        booking = rsvps.rsvp(account(people["attendee"].id), made.first, now=clock())
        db.session.commit()
        rsvp_id = booking.id
    return {
        "rsvp_id": rsvp_id,
        "event_id": made.id,
        "occurrence_id": made.first,
        "cohost_id": people["cohost"].id,
        "attendee_id": people["attendee"].id,
        "year": clock().year,
    }


def occurrence(ids) -> Occurrence:
    return db.session.get(Occurrence, ids["occurrence_id"])


def hosted_by(ids) -> set[int]:
    return set(
        db.session.scalars(
            select(EventHost.account_id).where(EventHost.event_id == ids["event_id"])
        )
    )


def details_form(_ids) -> dict:
    """The event's details as the builder made them, with a new venue."""
    return {
        "part": "details",
        "details-title": "Tuesday peer circle",
        "details-description": "A calm space to talk.",
        "details-mode": "in_person",
        "details-area": "Brooklyn",
        "details-venue": NEW_VENUE,
        "details-timezone": "America/New_York",
        "details-language": "en",
        "details-accessibility": "Step-free entrance.",
    }


def meeting_form(ids) -> dict:
    return {
        "part": "meeting",
        "meeting-day": f"{ids['year'] + 1}-01-05",
        "meeting-starts": "17:00",
        "meeting-ends": "18:00",
        "meeting-capacity": "3",
    }


CASES = {
    "edit page": Case("GET", "/events/{occurrence_id}/edit", RUNNERS, 200),
    "change the details and venue": Case(
        "POST",
        "/events/{occurrence_id}/edit",
        RUNNERS,
        303,
        data=details_form,
        done=lambda ids: db.session.get(Event, ids["event_id"]).venue == NEW_VENUE,
    ),
    "move a meeting": Case(
        "POST",
        "/events/{occurrence_id}/edit",
        RUNNERS,
        303,
        data=meeting_form,
        done=lambda ids: occurrence(ids).capacity == 3,
    ),
    "cancel a meeting": Case(
        "POST",
        "/events/{occurrence_id}/cancel",
        RUNNERS,
        303,
        done=lambda ids: occurrence(ids).is_cancelled,
    ),
    "cancel the series": Case(
        "POST",
        "/events/{occurrence_id}/cancel-series",
        RUNNERS,
        303,
        data=lambda ids: {"confirm": "yes"},
        done=lambda ids: all(
            o.is_cancelled for o in db.session.get(Event, ids["event_id"]).occurrences
        ),
    ),
    "attendees": Case(
        "GET",
        "/events/{occurrence_id}/attendees",
        RUNNERS,
        200,
        secret=lambda _ids: "cedar-member",
    ),
    "attendance": Case(
        "POST",
        "/events/{occurrence_id}/attendees",
        RUNNERS,
        303,
        data=lambda ids: {"present": str(ids["rsvp_id"])},
        done=lambda ids: db.session.scalar(select(Rsvp.attended)) is True,
        after_start=True,
    ),
    **choosing_cases("/events/{occurrence_id}", hosted_by),
}


@pytest.mark.parametrize(**cells(CASES))
def test_only_those_who_run_an_event_change_it_see_its_people_or_choose_its_hosts(
    app, clock, people, ids, name, role
):
    check_cell(app, clock, people, ids, CASES[name], role)


@pytest.fixture
def meeting(app, clock, people) -> dict:
    """A program the creator made, with the co-host added, and a meeting of it that
    another staff member scheduled before hosts existed (the service lets anyone)."""
    made = make_program(app, people["creator"].id, now=clock(), meetings=0)
    with app.app_context():
        program = db.session.get(Program, made.id)
        program_hosts.add_host(account(people["creator"].id), program, "alder-staff", now=clock())
        event = scheduling.schedule_event(
            account(people["other_staff"].id),
            scheduling.EventDetails(
                title="Program meeting",
                description="",
                is_online=False,
                area="Queens",
                venue="Program room 7",
                timezone="America/New_York",
                language="en",
                accessibility="",
            ),
            scheduling.Schedule(
                first_day=clock().date().replace(year=clock().year + 1),
                starts=time(18),
                ends=time(19),
                capacity=None,
            ),
            now=clock(),
            program_id=made.id,
        )
        db.session.commit()
        return {
            "program_id": made.id,
            "event_id": event.id,
            "occurrence_id": event.occurrences[0].id,
            "cohost_id": people["cohost"].id,
            "year": clock().year,
        }


MEETING_CASES = {
    "edit page": CASES["edit page"],
    "change the details and venue": CASES["change the details and venue"],
    "cancel a meeting": CASES["cancel a meeting"],
    "attendees": Case("GET", "/events/{occurrence_id}/attendees", RUNNERS, 200),
}


@pytest.mark.parametrize(**cells(MEETING_CASES))
def test_a_program_meeting_is_run_by_the_program_s_hosts_not_by_whoever_scheduled_it(
    app, clock, people, meeting, name, role
):
    # other_staff scheduled this meeting, but does not run the program: 404, nothing written.
    check_cell(app, clock, people, meeting, MEETING_CASES[name], role)


@pytest.mark.parametrize("role", ["creator", "admin"])
def test_a_program_meeting_has_no_hosts_of_its_own_its_page_points_to_the_program(
    app, clock, people, meeting, role
):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EventHost)) == 0
    client = signed_in(app, clock, people[role])
    page = client.get(f"/events/{meeting['occurrence_id']}").get_data(as_text=True)
    assert "Run by the people who run its program." in page
    assert f'href="/programs/{meeting["program_id"]}"' in page
    assert "Add co-host" not in page
    before = snapshot(app)
    added = client.post(
        f"/events/{meeting['occurrence_id']}/hosts", data={"pseudonym": "birch-staff"}
    )
    removed = client.post(f"/events/{meeting['occurrence_id']}/hosts/{meeting['cohost_id']}/remove")
    assert (added.status_code, removed.status_code) == (404, 404)
    assert differences(before, snapshot(app)) == {}


# The event page: who runs it, and choosing co-hosts.

HEADING = "People who run this"


def test_the_page_lists_who_runs_it_to_them_and_the_form_to_creator_and_admins(
    app, clock, people, ids
):
    path = f"/events/{ids['occurrence_id']}"
    remove = f"/events/{ids['occurrence_id']}/hosts/{ids['cohost_id']}/remove"
    for role in ("creator", "admin"):
        page = signed_in(app, clock, people[role]).get(path).get_data(as_text=True)
        assert HEADING in page
        assert page.index("maple-staff") < page.index("alder-staff")
        assert "Add co-host" in page
        assert remove in page
    cohost_page = signed_in(app, clock, people["cohost"]).get(path).get_data(as_text=True)
    assert HEADING in cohost_page
    assert "Add co-host" not in cohost_page
    assert remove not in cohost_page
    assert f"/events/{ids['occurrence_id']}/edit" in cohost_page
    for role in ("other_staff", "member", "mentor"):
        page = signed_in(app, clock, people[role]).get(path).get_data(as_text=True)
        assert HEADING not in page
        assert "alder-staff" not in page
        assert f"/events/{ids['occurrence_id']}/edit" not in page
        assert f"/events/{ids['occurrence_id']}/cancel" not in page
    # Other staff still see the counts (never who): as before.
    other = signed_in(app, clock, people["other_staff"]).get(path).get_data(as_text=True)
    assert "Confirmed: 1" in other


def test_a_co_host_is_added_and_removed_by_the_creator_and_each_change_audited(
    app, clock, people, ids
):
    client = signed_in(app, clock, people["creator"])
    path = f"/events/{ids['occurrence_id']}"
    added = client.post(f"{path}/hosts", data={"pseudonym": "BIRCH-STAFF"})
    assert added.status_code == 303
    assert added.headers["Location"] == path
    assert "birch-staff now helps run this." in client.get(path).get_data(as_text=True)
    removed = client.post(f"{path}/hosts/{ids['cohost_id']}/remove")
    assert removed.status_code == 303
    assert "alder-staff no longer runs this." in client.get(path).get_data(as_text=True)
    with app.app_context():
        assert hosted_by(ids) == {people["creator"].id, people["newcomer"].id}
        entries = db.session.execute(
            select(AuditEntry.actor_id, AuditEntry.action, AuditEntry.target_id, AuditEntry.detail)
            .where(AuditEntry.action.in_(["host_added", "host_removed"]))
            .order_by(AuditEntry.id)
        ).all()
    creator, event = people["creator"].id, f"event {ids['event_id']}"
    assert [tuple(e) for e in entries] == [
        (creator, "host_added", ids["cohost_id"], event),  # the fixture's
        (creator, "host_added", people["newcomer"].id, event),
        (creator, "host_removed", ids["cohost_id"], event),
    ]


def test_a_member_s_pseudonym_is_refused_calmly_and_kept_in_the_form(app, clock, people, ids):
    client = signed_in(app, clock, people["creator"])
    before = snapshot(app)
    response = client.post(
        f"/events/{ids['occurrence_id']}/hosts", data={"pseudonym": "cedar-member"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is no staff or admin account with that pseudonym." in page
    assert "Please check the highlighted field below." not in page  # not at the top: by the field
    assert 'value="cedar-member"' in page
    assert differences(before, snapshot(app)) == {}


def test_the_last_host_of_an_event_stays(app, clock, people, ids):
    client = signed_in(app, clock, people["admin"])
    path = f"/events/{ids['occurrence_id']}"
    assert client.post(f"{path}/hosts/{ids['cohost_id']}/remove").status_code == 303
    before = snapshot(app)
    refused = client.post(f"{path}/hosts/{people['creator'].id}/remove")
    assert refused.status_code == 303
    assert "Someone has to run it" in client.get(path).get_data(as_text=True)
    assert differences(before, snapshot(app)) == {}


def test_a_staff_member_who_deletes_their_account_leaves_no_host_row(app, clock, people, ids):
    cohost = people["cohost"]
    response = signed_in(app, clock, cohost).post(
        "/account/delete", data={"password": cohost.password}
    )
    assert response.status_code == 303
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(EventHost).where(EventHost.account_id == cohost.id)
            )
            == 0
        )
        assert hosted_by(ids) == {people["creator"].id}


def test_a_host_row_never_lets_a_member_or_mentor_run_an_event(app, clock, people, ids):
    with app.app_context():
        for role in ("member", "mentor"):
            db.session.add(EventHost(event_id=ids["event_id"], account_id=people[role].id))
        db.session.commit()
        event = db.session.get(Event, ids["event_id"])
        verdicts = {role: hosts.runs(account(people[role].id), event) for role in ROLES}
        assert verdicts == {
            "creator": True,
            "cohost": True,
            "other_staff": False,
            "admin": True,
            "member": False,
            "mentor": False,
        }
        assert hosts.runs(None, event) is False
        # Listed: only hosts who are staff or admin, first added first.
        assert hosts.hosts(event) == [
            (people["creator"].id, "maple-staff"),
            (ids["cohost_id"], "alder-staff"),
        ]
    page = signed_in(app, clock, people["member"]).get(f"/events/{ids['occurrence_id']}/edit")
    assert page.status_code == 403


def test_the_privacy_holder_itself_exports_and_forgets_the_events_an_account_runs(app, people, ids):
    # Not only the database's ON DELETE CASCADE: the purge and deletion go through here.
    with app.app_context():
        (holder,) = [h for h in registry.holders() if h.name == "events"]
        cohost = account(ids["cohost_id"])
        assert holder.export(cohost)["events_run"] == ["Tuesday peer circle"]
        holder.delete(cohost)
        db.session.flush()
        assert hosted_by(ids) == {people["creator"].id}
        assert holder.export(cohost)["events_run"] == []
        db.session.rollback()
