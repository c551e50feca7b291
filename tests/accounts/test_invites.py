"""Invites: each role invites only within its rights; codes shown once, stored hashed."""

import pytest
from sqlalchemy import func, select

from advocacy.accounts.models import Invite
from advocacy.extensions import db
from tests.accounts.helpers import codes_in


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
