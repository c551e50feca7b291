"""Choosing who runs it, the same for an event and a program (events/host_views.py).

The rules, written here from the task and DESIGN §3/§1 (never read from the code):

- adding someone who already helps run it says so calmly ("… already helps run this.
  Nothing was changed.") and writes nothing;
- the list says "(you)" next to the viewer; the creator (or an admin who hosts it) stops
  running it only after confirming on a page of its own (its button works without
  JavaScript); one tap on a remove button naming yourself only leads there, nothing
  written; afterwards they are refused (404) like any other staff member;
- the last person who runs it can never stop, on the page or by a request;
- a refused co-host is shown next to its field (aria-describedby, the page opening on
  the field), not in a summary at the top of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from advocacy.events import hosts as event_hosts
from advocacy.events.models import Event, EventHost
from advocacy.extensions import db
from advocacy.programs import hosts as program_hosts
from advocacy.programs.models import Program, ProgramHost
from tests.support.events import make_event
from tests.support.hosts import account, audit_entries, make_people, signed_in
from tests.support.programs import make_program
from tests.support.snapshots import differences, snapshot

NOT_STAFF = (
    "There is no staff or admin account with that pseudonym. "
    "Only staff and admins can run programs and events."
)
LAST_HOST = (
    "Someone has to run it: this is the only person who does. "
    "Add someone else first, then remove them."
)


@dataclass(frozen=True)
class Thing:
    """An event or a program the creator made and the co-host helps run."""

    kind: str  # "event" or "program", as the audit log names it
    id: int
    page: str  # its page
    edit: str  # a page only those who run it may open
    title: str

    @property
    def leave(self) -> str:
        return f"{self.page}/hosts/leave"

    def hosts(self, app) -> set[int]:
        model, key = (
            (EventHost, EventHost.event_id)
            if self.kind == "event"
            else (ProgramHost, ProgramHost.program_id)
        )
        with app.app_context():
            return set(db.session.scalars(select(model.account_id).where(key == self.id)))


@pytest.fixture
def people(app):
    return make_people(app)


@pytest.fixture(params=["event", "program"])
def thing(request, app, clock, people) -> Thing:
    creator = people["creator"].id
    if request.param == "event":
        made = make_event(app, creator, now=clock())
        page, rules, model = f"/events/{made.first}", event_hosts, Event
        made_thing = Thing("event", made.id, page, f"{page}/edit", "Tuesday peer circle")
    else:
        made = make_program(app, creator, now=clock())
        page, rules, model = f"/programs/{made.id}", program_hosts, Program
        made_thing = Thing("program", made.id, page, f"{page}/roster", "Healing together")
    with app.app_context():
        parent = db.session.get(model, made.id)
        rules.add_host(account(creator), parent, "alder-staff", now=clock())
        db.session.commit()
    return made_thing


def text_after(client, response) -> str:
    """Follow a redirect and return the page it leads to."""
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_adding_someone_who_already_helps_run_it_says_so_and_writes_nothing(
    app, clock, people, thing
):
    client = signed_in(app, clock, people["creator"])
    before = snapshot(app)
    response = client.post(f"{thing.page}/hosts", data={"pseudonym": "ALDER-STAFF"})
    assert response.headers["Location"] == thing.page
    page = text_after(client, response)
    assert "alder-staff already helps run this. Nothing was changed." in page
    assert "now helps run this" not in page
    yourself = client.post(f"{thing.page}/hosts", data={"pseudonym": "maple-staff"})
    page = text_after(client, yourself)
    assert "You already help run this. Nothing was changed." in page
    assert "now helps run this" not in page
    assert differences(before, snapshot(app)) == {}


def test_the_list_says_you_and_the_creator_stops_running_it_only_once_confirmed(
    app, clock, people, thing
):
    creator, cohost = people["creator"].id, people["cohost"].id
    client = signed_in(app, clock, people["creator"])
    page = client.get(thing.page).get_data(as_text=True)
    assert "maple-staff (you)" in page
    assert "alder-staff (you)" not in page
    assert f'href="{thing.leave}"' in page
    assert f"/hosts/{creator}/remove" not in page  # no one-tap button for yourself
    assert f"/hosts/{cohost}/remove" in page
    cohost_page = signed_in(app, clock, people["cohost"]).get(thing.page).get_data(as_text=True)
    assert "alder-staff (you)" in cohost_page
    assert "maple-staff (you)" not in cohost_page

    # One tap naming yourself (an old page, a crafted request) only leads to the question.
    before = snapshot(app)
    tapped = client.post(f"{thing.page}/hosts/{creator}/remove")
    assert (tapped.status_code, tapped.headers["Location"]) == (303, thing.leave)
    question = client.get(thing.leave)
    assert question.status_code == 200
    asked = question.get_data(as_text=True)
    assert f"Stop running “{thing.title}”?" in asked
    assert "Still running it: alder-staff." in asked
    assert 'name="confirm" value="yes"' in asked
    unconfirmed = client.post(thing.leave)
    assert unconfirmed.headers["Location"] == thing.leave
    assert "You stop running it only once you confirm on this page." in text_after(
        client, unconfirmed
    )
    assert differences(before, snapshot(app)) == {}

    confirmed = client.post(thing.leave, data={"confirm": "yes"})
    assert confirmed.headers["Location"] == thing.page
    assert f"You no longer help run “{thing.title}”." in text_after(client, confirmed)
    assert thing.hosts(app) == {cohost}
    assert audit_entries(app)[-1] == (creator, "host_removed", creator, f"{thing.kind} {thing.id}")
    # Now refused like any other staff member, the question included.
    assert client.get(thing.edit).status_code == 404
    assert client.get(thing.leave).status_code == 404
    # A second tap of the button: told calmly, nothing written.
    after = snapshot(app)
    again = client.post(thing.leave, data={"confirm": "yes"})
    assert again.headers["Location"] == thing.page
    assert "You don't help run this now. Nothing was changed." in text_after(client, again)
    assert differences(after, snapshot(app)) == {}


def test_the_last_person_who_runs_it_can_never_stop(app, clock, people, thing):
    creator = people["creator"].id
    admin = signed_in(app, clock, people["admin"])
    assert admin.post(f"{thing.page}/hosts/{people['cohost'].id}/remove").status_code == 303
    client = signed_in(app, clock, people["creator"])
    page = client.get(thing.page).get_data(as_text=True)
    assert "maple-staff (you)" in page
    assert thing.leave not in page
    asked = client.get(thing.leave).get_data(as_text=True)
    assert "You are the only person who runs it" in asked
    assert 'name="confirm"' not in asked
    before = snapshot(app)
    refused = client.post(thing.leave, data={"confirm": "yes"})
    assert refused.headers["Location"] == thing.leave
    assert LAST_HOST in text_after(client, refused)
    assert differences(before, snapshot(app)) == {}
    assert thing.hosts(app) == {creator}


def test_only_its_creator_or_an_admin_among_its_hosts_is_asked(app, clock, people, thing):
    roles = ("cohost", "other_staff", "admin", "member", "mentor")
    clients = {role: signed_in(app, clock, people[role]) for role in roles}
    before = snapshot(app)
    # A co-host does not choose who runs it: 404, as for removing anyone.
    assert clients["cohost"].get(thing.leave).status_code == 404
    assert clients["cohost"].post(thing.leave, data={"confirm": "yes"}).status_code == 404
    # Other staff, and an admin who is not one of its hosts, have nothing to leave.
    assert clients["other_staff"].get(thing.leave).status_code == 404
    nothing = clients["admin"].get(thing.leave).get_data(as_text=True)
    assert "You are not listed among the people who run it, so there is nothing to stop." in (
        nothing
    )
    assert 'name="confirm"' not in nothing
    for role in ("other_staff", "admin"):
        client = clients[role]
        said = text_after(client, client.post(thing.leave, data={"confirm": "yes"}))
        assert "You don't help run this now. Nothing was changed." in said
    for role in ("member", "mentor"):
        assert clients[role].get(thing.leave).status_code == 403
        assert clients[role].post(thing.leave, data={"confirm": "yes"}).status_code == 403
    assert differences(before, snapshot(app)) == {}
    # An admin who hosts it stops being listed, and still runs it (admins run everything).
    admin = clients["admin"]
    assert admin.post(f"{thing.page}/hosts", data={"pseudonym": "wren-admin"}).status_code == 303
    assert "wren-admin (you)" in admin.get(thing.page).get_data(as_text=True)
    assert "As an admin, you can still change it." in admin.get(thing.leave).get_data(as_text=True)
    assert admin.post(thing.leave, data={"confirm": "yes"}).status_code == 303
    assert people["admin"].id not in thing.hosts(app)
    assert admin.get(thing.edit).status_code == 200


INPUT = re.compile(r"<input[^>]*\bid=\"pseudonym\"[^>]*>")


def test_a_refused_co_host_is_shown_next_to_its_field_not_at_the_top(app, clock, people, thing):
    client = signed_in(app, clock, people["creator"])
    before = snapshot(app)
    response = client.post(f"{thing.page}/hosts", data={"pseudonym": "river-member"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert differences(before, snapshot(app)) == {}
    assert page.count(NOT_STAFF) == 1
    assert "Please check the highlighted field" not in page
    # The message is the field's own, in the form, after the section's heading.
    error = page.index(f'<p class="error" id="pseudonym-error">{NOT_STAFF}</p>')
    form = page.index(f'action="{thing.page}/hosts"')
    (field,) = INPUT.findall(page)
    assert page.index("People who run this") < form < error < page.index(field)
    assert 'aria-describedby="pseudonym-hint pseudonym-error"' in field
    assert 'aria-invalid="true"' in field
    assert "autofocus" in field  # the page opens on the field, even without JavaScript
    assert 'value="river-member"' in field
    # A page without a refusal does not jump to the form.
    assert "autofocus" not in client.get(thing.page).get_data(as_text=True)
