"""Invites: each role invites only within its rights; codes shown once, stored hashed."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from advocacy.accounts.models import Account, Invite
from advocacy.extensions import db
from tests.accounts.helpers import codes_in, join
from tests.support.dates import english_date


def invites_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Invite))


@pytest.mark.parametrize(
    ("inviter", "allowed", "refused"),
    [
        ("mentor", ["member"], ["mentor", "staff", "admin"]),
        ("staff", ["member", "mentor"], ["staff", "admin"]),
        ("admin", ["member", "mentor", "staff", "admin"], []),
    ],
)
def test_invite_rights_follow_the_role(app, client, auth, request, inviter, allowed, refused):
    auth.login(request.getfixturevalue(inviter))
    page = client.get("/invites").get_data(as_text=True)
    for role in allowed:
        assert f'value="{role}"' in page
        response = client.post("/invites", data={"role": role, "uses": 2, "days": 7})
        assert len(codes_in(response)) == 1
    for role in refused:
        assert f'value="{role}"' not in page
        response = client.post("/invites", data={"role": role, "uses": 1, "days": 7})
        assert codes_in(response) == []
    assert invites_count(app) == len(allowed)


def test_invite_codes_are_stored_only_as_hashes(app, client, auth, mentor):
    auth.login(mentor)
    (code,) = codes_in(client.post("/invites", data={"role": "member", "uses": 1, "days": 7}))
    with app.app_context():
        invite = db.session.scalar(select(Invite))
        assert invite.code_hash.startswith("$argon2id$")
        assert code.replace("-", "") not in invite.code_hash
        assert invite.created_by_id == mentor.id


@pytest.mark.parametrize(("uses", "days"), [(0, 7), (501, 7), (1, 0), (1, 91), ("x", 7)])
def test_out_of_range_invites_are_refused_calmly(app, client, auth, staff, uses, days):
    auth.login(staff)
    response = client.post("/invites", data={"role": "member", "uses": uses, "days": days})
    assert codes_in(response) == []
    assert 'class="error"' in response.get_data(as_text=True)
    assert invites_count(app) == 0


def test_command_line_invite(app, runner):
    result = runner.invoke(
        args=["invite", "create", "--role", "staff", "--uses", "3", "--expires", "12h"]
    )
    assert result.exit_code == 0
    assert len(result.output.strip()) == 14
    with app.app_context():
        invite = db.session.scalar(select(Invite))
        assert (invite.role, invite.uses_left) == ("staff", 3)
    bad = runner.invoke(args=["invite", "create", "--expires", "forever"])
    assert bad.exit_code != 0


def open_invite(client, role="member", uses=3, days=7):
    (code,) = codes_in(client.post("/invites", data={"role": role, "uses": uses, "days": days}))
    return code


def invite_id_for(app, creator_id):
    with app.app_context():
        return db.session.scalar(select(Invite.id).where(Invite.created_by_id == creator_id))


def test_a_new_code_is_shown_with_its_role_and_expiry(app, client, auth, clock, staff):
    auth.login(staff)
    response = client.post("/invites", data={"role": "mentor", "uses": 2, "days": 7})
    body = response.get_data(as_text=True)
    expires_on = english_date((clock() + timedelta(days=7)).date())
    assert f"Role: Mentor. Expires on {expires_on}." in body
    assert "It can be used 2 times." in body


def test_open_invites_are_listed_without_their_codes(app, client, auth, clock, staff, mentor):
    auth.login(staff)
    code = open_invite(client, role="mentor", uses=3, days=7)
    mentor_client = app.test_client()
    auth.login(mentor, client=mentor_client)
    mentor_code = open_invite(mentor_client)
    page = client.get("/invites").get_data(as_text=True)
    assert "Open invites" in page
    assert english_date((clock() + timedelta(days=7)).date()) in page
    assert '<td data-label="Role">Mentor</td>' in page
    assert '<td data-label="Uses left">3</td>' in page
    for shown in (code, mentor_code):
        assert shown not in page
        assert shown.replace("-", "") not in page
    # Only their own: the mentor's invite is not on the staff member's page.
    assert f"/invites/{invite_id_for(app, mentor.id)}/revoke" not in page
    assert f"/invites/{invite_id_for(app, staff.id)}/revoke" in page


def test_admins_see_every_open_invite_with_its_maker(app, client, auth, admin, mentor):
    mentor_client = app.test_client()
    auth.login(mentor, client=mentor_client)
    code = open_invite(mentor_client)
    auth.login(admin)
    page = client.get("/invites").get_data(as_text=True)
    assert f"/invites/{invite_id_for(app, mentor.id)}/revoke" in page
    assert mentor.pseudonym in page
    assert code not in page


def test_used_up_or_expired_invites_are_not_listed(app, client, auth, clock, mentor):
    auth.login(mentor)
    code = open_invite(client, uses=1, days=1)
    join(app.test_client(), code, pseudonym="Quiet Fern")
    open_invite(client, uses=1, days=1)
    clock.advance(days=1, minutes=1)
    auth.login(mentor)
    assert "No open invites." in client.get("/invites").get_data(as_text=True)


def test_the_creator_revokes_an_invite_and_it_cannot_be_used(app, client, auth, mentor):
    auth.login(mentor)
    code = open_invite(client)
    invite_id = invite_id_for(app, mentor.id)
    response = client.post(f"/invites/{invite_id}/revoke")
    assert response.status_code == 303
    assert response.headers["Location"] == "/invites"
    with app.app_context():
        assert db.session.get(Invite, invite_id).uses_left == 0
    assert "No open invites." in client.get("/invites").get_data(as_text=True)
    joined = join(app.test_client(), code, pseudonym="Quiet Fern")
    assert "That invite code can" in joined.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account)) == 1


def test_an_admin_revokes_anyones_invite(app, client, auth, admin, mentor):
    mentor_client = app.test_client()
    auth.login(mentor, client=mentor_client)
    open_invite(mentor_client)
    invite_id = invite_id_for(app, mentor.id)
    auth.login(admin)
    assert client.post(f"/invites/{invite_id}/revoke").status_code == 303
    with app.app_context():
        assert db.session.get(Invite, invite_id).uses_left == 0


def test_someone_elses_invite_is_not_there_to_revoke(app, client, auth, staff, mentor):
    mentor_client = app.test_client()
    auth.login(mentor, client=mentor_client)
    open_invite(mentor_client, uses=3)
    invite_id = invite_id_for(app, mentor.id)
    auth.login(staff)
    assert client.post(f"/invites/{invite_id}/revoke").status_code == 404
    assert client.post("/invites/999999/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(Invite, invite_id).uses_left == 3


def test_the_revoke_button_names_the_role_as_a_lower_case_word(app, client, auth, staff):
    # Read by screen readers inside a sentence: "Revoke the mentor invite that expires on …".
    auth.login(staff)
    client.post("/invites", data={"role": "mentor", "uses": 1, "days": 7})
    english = client.get("/invites", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "the mentor invite that expires on" in english
    assert "the Mentor invite" not in english
    spanish = client.get("/invites", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "la invitación con rol “persona mentora” que vence" in spanish
