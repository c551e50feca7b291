"""Findings of the security review, each pinned by a test."""

import base64
import json
import re
import sqlite3
import threading
import time
import zlib

import pytest

from tests.accounts.helpers import invite_code, join
from tests.support.accounts import PASSWORD, make_account


def session_payload(client) -> dict:
    """Decode the (signed, not encrypted) session cookie, as anyone holding it could."""
    value = client.get_cookie("advocacy_session").value
    compressed = value.startswith(".")
    data = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return json.loads(zlib.decompress(raw) if compressed else raw)


def test_session_cookie_holds_no_hash_of_address_or_browser(app, client, auth, member):
    auth.login(member)
    client.get("/account")
    assert "_id" not in session_payload(client)


@pytest.mark.parametrize(
    "app_overrides",
    [{"LIMIT_LOGIN_PER_ACCOUNT": "3 per 15 minutes", "LIMIT_LOGIN_PER_CLIENT": "100 per hour"}],
)
def test_junk_codes_from_one_client_do_not_lock_out_staff(app, client, auth, staff):
    attacker = app.test_client()
    for _ in range(5):
        attacker.post("/login/code", data={"code": "000000"})
    assert auth.login(staff).status_code == 303
    assert client.get("/staff").status_code == 200


def test_join_does_not_reveal_taken_pseudonyms_without_an_invite(app, client, clock):
    make_account(app, "river member")
    body = join(client, "", pseudonym="river member").get_data(as_text=True)
    assert "That pseudonym is taken" not in body
    assert "invite code can" in body
    with_invite = join(client, invite_code(app, clock()), pseudonym="River Member")
    assert "That pseudonym is taken" in with_invite.get_data(as_text=True)


# Password re-entry is throttled: tests/test_throttles.py (every step that checks a secret).


@pytest.mark.sqlite_only
def test_quick_exit_leaves_even_while_the_database_is_busy(
    app, client, auth, member, database_file
):
    auth.login(member)
    copied = client.get_cookie("advocacy_session").value
    held, release = threading.Event(), threading.Event()

    def hold_write_lock():
        connection = sqlite3.connect(database_file, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(5)
        time.sleep(0.3)
        connection.execute("ROLLBACK")
        connection.close()

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    held.wait(5)
    release.set()  # the lock goes 0.3 s later; exit must wait for it, not fail
    # The site's own quick exit (from another site it would end only this browser).
    response = client.get("/exit", headers={"Sec-Fetch-Site": "same-origin"})
    holder.join()
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"]
    thief = app.test_client()
    thief.set_cookie("advocacy_session", copied)
    assert thief.get("/account").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/notices?before=",
        "/admin?after=",
        "/admin/audit?before=",
        "/events?after=2026-01-01T00:00:00_",
        "/programs?after=2026-01-01_",
    ],
)
def test_oversized_page_cursors_are_ignored(app, client, auth, admin, path):
    auth.login(admin)
    oversized = client.get(path + "9" * 30)
    assert oversized.status_code == 200
    # Ignored means the first page, exactly as without a cursor (form tokens aside).
    first = client.get(path.split("?")[0])
    assert without_tokens(oversized.get_data(as_text=True)) == without_tokens(
        first.get_data(as_text=True)
    )


def without_tokens(html: str) -> str:
    """Drop the CSRF tokens (signed with the time) so two renderings compare equal."""
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]*"', "", html)


def test_demo_data_is_refused_in_production(app, runner):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "not in production" in result.output


def test_export_password_is_the_current_one(app, client, auth, member):
    auth.login(member)
    assert client.post("/account/export", data={"password": PASSWORD}).status_code == 200
