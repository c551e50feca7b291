"""Findings of the security review, each pinned by a test."""

import base64
import json
import sqlite3
import threading
import time
import zlib
from pathlib import Path

import pytest
from sqlalchemy import event

from advocacy.extensions import db
from tests.accounts.helpers import NEW, invite_code, join, recover
from tests.support.accounts import PASSWORD, give_recovery_codes, make_account
from tests.support.ceiling import CEILING_SECONDS


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


def sleeping(thread: threading.Thread) -> bool:
    """Poll until thread sleeps in a nanosleep, or has finished (False).

    SQLite waits for a lock by sleeping and trying again; Linux names the kernel function a
    sleeping thread waits in (/proc/<pid>/task/<tid>/wchan), which for that sleep is a
    nanosleep (a thread waiting for Python's GIL waits in a futex instead).
    """
    wait_channel = Path(f"/proc/self/task/{thread.native_id}/wchan")
    deadline = time.monotonic() + CEILING_SECONDS
    while thread.is_alive() and time.monotonic() < deadline:
        try:
            if "nanosleep" in wait_channel.read_text():
                return True
        except OSError:  # the thread has just finished
            return False
        time.sleep(0.01)
    return False


def wait_channels_are_shown() -> bool:
    """Whether this system shows what a sleeping thread waits in (Linux /proc, not hidden)."""
    sleeper = threading.Thread(target=time.sleep, args=(1,), daemon=True)
    sleeper.start()
    return Path("/proc/self/task").is_dir() and sleeping(sleeper)


@pytest.mark.sqlite_only
def test_quick_exit_leaves_even_while_the_database_is_busy(
    app, client, auth, member, database_file
):
    if not wait_channels_are_shown():
        pytest.skip("this system does not show what a thread waits in (/proc/.../wchan)")
    auth.login(member)
    copied = client.get_cookie("advocacy_session").value
    exit_writes = threading.Event()

    def watch_for_the_write(dbapi_connection, _record, _proxy):
        # SQLite calls this as each statement starts, on the request's own connection.
        def started(statement: str) -> None:
            if statement.startswith(("BEGIN IMMEDIATE", "INSERT", "UPDATE", "DELETE")):
                exit_writes.set()

        dbapi_connection.set_trace_callback(started)

    # Another writer holds the lock until exit is seen waiting for it.
    holder = sqlite3.connect(database_file, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    answers = []
    # The site's own quick exit (from another site it would end only this browser).
    leaving = threading.Thread(
        target=lambda: answers.append(
            client.get("/exit", headers={"Sec-Fetch-Site": "same-origin"})
        )
    )
    with app.app_context():
        engine = db.engine
    event.listen(engine, "checkout", watch_for_the_write)
    leaving.start()
    try:
        waited = exit_writes.wait(CEILING_SECONDS) and sleeping(leaving)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        leaving.join(CEILING_SECONDS)
        event.remove(engine, "checkout", watch_for_the_write)
    assert waited, "exit did not wait for the lock: it failed at once, or never wrote"
    # Once the lock was free, exit went on: it left, and ended every session.
    [response] = answers
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"]
    thief = app.test_client()
    thief.set_cookie("advocacy_session", copied)
    assert thief.get("/account").status_code == 302


def test_demo_data_is_refused_in_production(app, runner):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "not in production" in result.output


def test_export_password_is_the_current_one(app, client, auth, member):
    auth.login(member)
    assert client.post("/account/export", data={"password": PASSWORD}).status_code == 200


def password_steps(app, client, auth, member, clock) -> dict:
    """Each request that hashes or checks a password with argon2id: (prepare, send)."""
    codes: list[str] = []

    def signed_in() -> None:
        auth.login(member)

    def with_codes() -> None:
        codes.extend(give_recovery_codes(app, member.id))

    return {
        "sign-in": (None, lambda: auth.login(member)),
        "password re-entry": (
            signed_in,
            lambda: client.post("/account/confirm", data={"password": PASSWORD}),
        ),
        "password change": (
            signed_in,
            lambda: client.post(
                "/account/password",
                data={"current_password": PASSWORD, "password": NEW, "password_confirm": NEW},
            ),
        ),
        "new recovery codes": (
            signed_in,
            lambda: client.post("/account/recovery-codes", data={"password": PASSWORD}),
        ),
        "join": (
            None,
            lambda: join(client, invite_code(app, clock()), pseudonym="Quiet Fern"),
        ),
        "recovery": (
            with_codes,
            lambda: recover(client, member.pseudonym, codes[0]),
        ),
    }


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "step",
    ["sign-in", "password re-entry", "password change", "new recovery codes", "join", "recovery"],
)
def test_passwords_are_hashed_and_checked_without_holding_the_write_lock(
    app, client, auth, clock, member, database_file, monkeypatch, step
):
    """argon2id takes CPU seconds on a busy machine: other writers must not wait for it.

    A spy on the password and code hasher tries to write from another connection each time a
    password is hashed or checked; it must find the write lock free every time.
    """
    from advocacy.extensions import passwords

    prepare, send = password_steps(app, client, auth, member, clock)[step]
    if prepare:
        prepare()
    lock_was_free = []

    def another_writer_tries() -> None:
        other = sqlite3.connect(database_file, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once if the lock is held
            other.execute("ROLLBACK")
            lock_was_free.append(True)
        except sqlite3.OperationalError:
            lock_was_free.append(False)
        finally:
            other.close()

    for name in ("hash", "verify", "hash_code", "verify_code"):
        real = getattr(passwords, name)

        def spied(*args, _real=real):
            another_writer_tries()
            return _real(*args)

        monkeypatch.setattr(passwords, name, spied)

    assert send().status_code in (200, 303)  # join follows its redirect to the codes page
    assert lock_was_free  # the spy saw the password work
    assert all(lock_was_free), lock_was_free
