"""Making a mentor and changing a role are asked first, on a page of their own (issue 13
leftovers; the pattern of issue 16: nothing irreversible by accident).

The rules, written here from the task (never read from the code under test):

- the accounts list's "Make mentor" and role "Change" lead to a page (GET) that says what
  will happen and writes nothing; only its button (POST) does it;
- making a mentor: the member becomes a mentor, is signed out, sets up a second factor
  and sees how moderation works here; when it can't be done (not interested, not eligible,
  already a mentor) the page says why and has no button;
- a role change: what the new role gives, that they are signed out, and for a staff
  member losing the role, how many programs and events they stop running and how many
  of those the admin takes over; your own role, or the role they have: no button;
- an account that does not exist: 404; an unknown role: 400; never a 5xx;
- members, mentors and staff are refused (403), visitors sign in; a stale sign-in
  confirms the password first.
"""

from __future__ import annotations

import re

import pytest

from advocacy.extensions import db
from advocacy.programs import hosts as program_hosts
from advocacy.programs.models import Program
from tests.support.accounts import load_account, make_account
from tests.support.events import make_event
from tests.support.hosts import account
from tests.support.pathway import make_eligible_member
from tests.support.programs import make_program
from tests.support.snapshots import differences, snapshot


def page_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def text_of(page: str) -> str:
    """The page's visible words, tags gone, entities as typed, spaces single."""
    words = re.sub(r"<[^>]+>", " ", page).replace("&#39;", "'").replace("&amp;", "&")
    return " ".join(words.split())


def buttons_posting_to(page: str, path: str) -> int:
    return len(re.findall(rf'<form method="post" action="{re.escape(path)}"', page))


# Make mentor


def test_the_list_s_make_mentor_leads_to_a_page_that_asks(app, client, auth, admin):
    member = make_eligible_member(app, "quiet-heron")
    path = f"/admin/accounts/{member.id}/mentor"
    auth.login(admin)
    listing = page_of(client, "/admin")
    assert f'href="{path}"' in listing
    assert buttons_posting_to(listing, path) == 0  # no one-tap action on the list
    before = snapshot(app)
    page = page_of(client, path)
    assert differences(before, snapshot(app)) == {}  # asking writes nothing
    words = text_of(page)
    assert "Make quiet-heron a mentor?" in words
    assert "quiet-heron completed a leadership program and said they would like to mentor." in (
        words
    )
    assert "review stories and reports" in words
    assert "signed out everywhere" in words
    assert "set up a second factor if they have none" in words
    assert "how moderation works here" in words
    assert buttons_posting_to(page, path) == 1
    assert "Yes, make them a mentor" in words
    assert 'href="/admin"' in page  # the way back
    assert load_account(app, member.id).role == "member"
    # The page's button does it.
    response = client.post(path)
    assert (response.status_code, response.headers["Location"]) == (303, "/admin")
    assert load_account(app, member.id).role == "mentor"


@pytest.mark.parametrize(
    ("interested", "role", "reason"),
    [
        (None, "member", "quiet-heron hasn't said they would like to mentor"),
        (False, "member", "quiet-heron hasn't said they would like to mentor"),
        (True, "mentor", "quiet-heron is already a mentor. Nothing was changed."),
    ],
)
def test_the_page_says_why_it_cannot_be_done_with_no_button(
    app, client, auth, admin, interested, role, reason
):
    member = make_eligible_member(app, "quiet-heron", interested=interested)
    with app.app_context():
        account(member.id).role = role
        db.session.commit()
    auth.login(admin)
    path = f"/admin/accounts/{member.id}/mentor"
    page = page_of(client, path)
    assert reason in text_of(page)
    assert buttons_posting_to(page, path) == 0


def test_a_member_who_completed_nothing_gets_no_button(app, client, auth, admin, member):
    auth.login(admin)
    path = f"/admin/accounts/{member.id}/mentor"
    page = page_of(client, path)
    assert "Only members who completed a leadership program can be made mentors here." in page
    assert buttons_posting_to(page, path) == 0


# Role change


def test_the_list_s_role_change_leads_to_a_page_that_asks(app, client, auth, admin, member):
    path = f"/admin/accounts/{member.id}/role"
    auth.login(admin)
    listing = page_of(client, "/admin")
    assert f'<form class="role-form" method="get" action="{path}">' in listing
    assert buttons_posting_to(listing, path) == 0
    before = snapshot(app)
    page = page_of(client, f"{path}?role=staff")
    assert differences(before, snapshot(app)) == {}
    words = text_of(page)
    assert "Change the role of river-member to staff?" in words
    assert "As staff they can run programs and events" in words
    assert "signed out everywhere at once" in words
    assert "set up a second factor if they have none" in words
    assert "recorded in the audit log" in words
    assert "no longer help run" not in words  # a member runs nothing
    assert buttons_posting_to(page, path) == 1
    assert '<input type="hidden" name="role" value="staff">' in page
    assert load_account(app, member.id).role == "member"
    response = client.post(path, data={"role": "staff"})
    assert response.status_code == 303
    assert load_account(app, member.id).role == "staff"
    said = text_of(page_of(client, response.headers["Location"]))
    assert "The role of river-member is now staff." in said
    log = text_of(page_of(client, "/admin/audit"))
    assert "role changed (member to staff)" in log
    assert "->" not in log


# A role inside a sentence is a lower-case word, in Spanish too; never the label.
SPANISH = {"Accept-Language": "es"}


def test_role_names_inside_sentences_are_lower_case_words_in_spanish(
    app, client, auth, admin, member
):
    auth.login(admin)
    path = f"/admin/accounts/{member.id}/role"
    asked = client.get(f"{path}?role=mentor", headers=SPANISH).get_data(as_text=True)
    assert "¿Cambiar el rol de river-member a “persona mentora”?" in text_of(asked)
    already = client.get(f"{path}?role=member", headers=SPANISH).get_data(as_text=True)
    assert "El rol de river-member ya es “integrante”." in text_of(already)
    response = client.post(path, data={"role": "mentor"}, headers=SPANISH)
    said = client.get(response.headers["Location"], headers=SPANISH).get_data(as_text=True)
    assert "El rol de river-member ahora es “persona mentora”." in text_of(said)
    for label in ("“Persona mentora”", "“Integrante”"):
        assert label not in text_of(asked) + text_of(already) + text_of(said)


def test_making_someone_an_admin_says_what_an_admin_can_do(app, client, auth, admin, member):
    auth.login(admin)
    words = text_of(page_of(client, f"/admin/accounts/{member.id}/role?role=admin"))
    assert "Change the role of river-member to admin?" in words
    assert "As an admin they can do everything" in words


def test_taking_staff_away_says_what_they_stop_running_and_what_you_take_over(
    app, client, auth, clock, admin
):
    maple = make_account(app, "maple-staff", role="staff")
    alder = make_account(app, "alder-staff", role="staff")
    shared = make_program(app, maple.id, now=clock(), title="Shared")
    make_program(app, alder.id, now=clock(), title="Alder's")
    make_event(app, alder.id, now=clock(), title="Alder's circle")
    with app.app_context():
        program_hosts.add_host(
            account(maple.id), db.session.get(Program, shared.id), "alder-staff", now=clock()
        )
        db.session.commit()
    auth.login(admin)
    path = f"/admin/accounts/{alder.id}/role"
    before = snapshot(app)
    words = text_of(page_of(client, f"{path}?role=member"))
    assert differences(before, snapshot(app)) == {}
    assert "As a member they take part in programs, events and stories" in words
    assert "They no longer help run 2 programs and 1 event" in words
    assert "You will run 1 program and 1 event that had no one else" in words
    assert "second factor" not in words  # a member has no second factor to set up
    # Between staff and admin nothing changes for who runs what.
    words = text_of(page_of(client, f"{path}?role=admin"))
    assert "no longer help run" not in words
    assert "You will run" not in words


def test_your_own_role_and_the_same_role_get_no_button(app, client, auth, admin, member):
    auth.login(admin)
    own = f"/admin/accounts/{admin.id}/role"
    page = page_of(client, f"{own}?role=member")
    assert "You can't change your own role. Ask another admin." in text_of(page)
    assert buttons_posting_to(page, own) == 0
    theirs = f"/admin/accounts/{member.id}/role"
    page = page_of(client, f"{theirs}?role=member")
    assert "The role of river-member is already member. Nothing to change." in text_of(page)
    assert buttons_posting_to(page, theirs) == 0


# Junk, refusals, freshness (both pages)


@pytest.mark.parametrize("query", ["", "?role=", "?role=owner", "?role=ADMIN", "?role=%00"])
def test_an_unknown_role_is_a_400(app, client, auth, admin, member, query):
    auth.login(admin)
    before = snapshot(app)
    assert client.get(f"/admin/accounts/{member.id}/role{query}").status_code == 400
    assert differences(before, snapshot(app)) == {}


@pytest.mark.parametrize("path", ["/admin/accounts/999999/mentor", "/admin/accounts/999999/role"])
def test_an_account_that_does_not_exist_is_a_404(app, client, auth, admin, path):
    auth.login(admin)
    assert client.get(path + "?role=staff").status_code == 404


@pytest.mark.parametrize("role", ["member", "mentor", "staff"])
@pytest.mark.parametrize("action", ["mentor", "role?role=staff"])
def test_only_admins_are_asked(app, client, auth, request, role, action):
    eligible = make_eligible_member(app, "quiet-heron")
    auth.login(request.getfixturevalue(role))
    before = snapshot(app)
    response = client.get(f"/admin/accounts/{eligible.id}/{action}")
    assert response.status_code == 403
    assert "quiet-heron" not in response.get_data(as_text=True)
    assert differences(before, snapshot(app)) == {}


@pytest.mark.parametrize("action", ["mentor", "role?role=staff"])
def test_visitors_sign_in_and_a_stale_sign_in_confirms_first(
    app, client, auth, clock, admin, action
):
    eligible = make_eligible_member(app, "quiet-heron")
    path = f"/admin/accounts/{eligible.id}/{action}"
    assert client.get(path).headers["Location"] == "/login"
    auth.login(admin)
    clock.advance(minutes=16)
    assert client.get(path).headers["Location"] == "/account/confirm"
