"""Small helpers shared by the accounts tests."""

from __future__ import annotations

import re
from datetime import timedelta

from advocacy.accounts.invites import create_invite
from advocacy.extensions import db, passwords

# Invite codes have 3 groups of 4; recovery and reset codes 4 groups (80 bits).
CODE_PATTERN = re.compile(r"<(?:li|strong)>([0-9A-Z]{4}(?:-[0-9A-Z]{4}){2,3})</(?:li|strong)>")


def invite_code(app, now, role="member", uses=1, days=14) -> str:
    """Create an invite as the command line would, and return its code."""
    with app.app_context():
        code = create_invite(
            role=role, uses=uses, expires_in=timedelta(days=days), now=now, inviter=None
        )
        db.session.commit()
        return code


def join(
    client, code, pseudonym="Quiet Fern", password="quiet river lantern morning", confirm=None
):
    """Post the join form (and follow to the recovery codes page when it worked)."""
    return client.post(
        "/join",
        data={
            "invite_code": code,
            "pseudonym": pseudonym,
            "password": password,
            "password_confirm": confirm if confirm is not None else password,
            "action": "join",
        },
        follow_redirects=True,
    )


NEW = "harbor juniper morning ember"  # a password a member changes to


def recover(client, pseudonym, code, password=NEW):
    """Post /recover: a one-time code and a new password (typed twice)."""
    return client.post(
        "/recover",
        data={
            "pseudonym": pseudonym,
            "code": code,
            "password": password,
            "password_confirm": password,
        },
    )


def codes_in(response) -> list[str]:
    """Return the recovery or invite codes shown on a page."""
    return CODE_PATTERN.findall(response.get_data(as_text=True))


def change_meanwhile(monkeypatch, hasher: str, change) -> None:
    """While a password or code is hashed or checked (`hasher`, a method of `passwords`,
    run outside any transaction), another request commits change(connection)."""
    real = getattr(passwords, hasher)

    def hash_while_another_request_commits(*secrets):
        with db.engine.begin() as other:
            change(other)
        return real(*secrets)

    monkeypatch.setattr(passwords, hasher, hash_while_another_request_commits)
