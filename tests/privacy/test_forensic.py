"""Deleting an account leaves no trace in the bytes of the SQLite files.

A member's pseudonym, stories, report, notices, RSVP and enrollment carry unique canary
strings (RSVP and enrollment rows hold no text: their timestamps, unique to the
microsecond, are the canaries; so are the account's password hash and session token).
The canaries are first shown to be in the files (positive control); after the member
deletes their account through the form, none is left in the database, `-wal` or `-shm`
file. Negative controls find them with `secure_delete` off (in the database file) and
with the WAL checkpoint skipped (in the `-wal` file), so the test can see them.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from advocacy.accounts.models import Account, Role
from advocacy.events import rsvps
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.privacy import services as privacy
from advocacy.programs import completion
from advocacy.programs import services as programs
from advocacy.stories import reports as story_reports
from advocacy.stories import services as stories
from tests.support.accounts import MadeAccount, make_account
from tests.support.events import make_event
from tests.support.programs import make_program
from tests.support.stories import make_story

pytestmark = pytest.mark.sqlite_only


def canary() -> str:
    """A string found nowhere else: lower case, so the case-folded pseudonym key matches."""
    return "cnry" + secrets.token_hex(8)


def sqlite_bytes(database: Path) -> dict[str, bytes]:
    """The bytes of the database file and its -wal and -shm files, whichever exist."""
    files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    return {path.name: path.read_bytes() for path in files if path.exists()}


def found_in(files: dict[str, bytes], canaries: dict[str, str]) -> dict[str, list[str]]:
    """Which canaries (by what they stand for) each file holds."""
    return {
        what: [name for name, data in files.items() if value.encode() in data]
        for what, value in canaries.items()
        if any(value.encode() in data for data in files.values())
    }


def stored_time(moment: datetime) -> str:
    """How SQLite stores a UTC timestamp: its microseconds make it unique."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def pragma(name: str) -> int:
    with db.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def make_member_with_canaries(app, now: datetime) -> tuple[MadeAccount, dict[str, str]]:
    """A member whose rows carry canaries; return the member and the canaries."""
    words = {
        "pseudonym": canary(),
        "story title": canary(),
        "story text": canary(),
        "draft title": canary(),
        "draft text": canary(),
        "report note": canary(),
        "notice": canary(),
    }
    member = make_account(app, words["pseudonym"])
    staff = make_account(app, "maple-staff", role=Role.STAFF)
    neighbour = make_account(app, "cedar-member")

    published = make_story(
        app,
        member.id,
        title=f"Title {words['story title']}",
        body=f"I kept going. {words['story text']} And I still do.",
        reporters=(neighbour.id,),
        now=now,
    )
    make_story(
        app,
        member.id,
        state="draft",
        title=f"Draft {words['draft title']}",
        body=f"Not ready yet. {words['draft text']}",
        now=now,
    )
    theirs = make_story(app, neighbour.id, title="Their story", now=now)
    event = make_event(app, staff.id, title="Evening circle", now=now)
    program = make_program(app, staff.id, title="Healing together", now=now, starts_in=-1)

    rsvp_at = now + timedelta(microseconds=271828)
    enrolled_at = now + timedelta(microseconds=314159)
    letter_at = now + timedelta(microseconds=141421)
    with app.app_context():
        account = db.session.get(Account, member.id)
        story_reports.report(account, theirs, category="other", note=words["report note"], now=now)
        stories.set_hidden_warnings(account, ["violence", "self_harm"])
        notify(member.id, "event_changed", now=now, title=words["notice"])
        rsvps.rsvp(account, event.first, now=rsvp_at)
        enrollment = programs.enroll(account, program.id, now=enrolled_at)
        completion.complete(program.id, enrollment.id, now=now)
        completion.issue_letter(account, program.id, now=letter_at)
        db.session.commit()
    words |= {
        "RSVP time": stored_time(rsvp_at),
        "enrollment time": stored_time(enrolled_at),
        "letter time": stored_time(letter_at),
    }
    assert published
    return member, words


SECURE = "secure_delete-on"
INSECURE = "secure_delete-off"
NO_CHECKPOINT = "no-wal-checkpoint"


@pytest.fixture(params=[SECURE, INSECURE, NO_CHECKPOINT])
def mode(request, app, monkeypatch) -> str:
    """As configured; or, as negative controls, secure_delete turned off on every new
    connection, or the WAL checkpoint after deletion skipped."""
    if request.param == INSECURE:
        with app.app_context():

            def turn_off(dbapi_connection, _record) -> None:
                dbapi_connection.execute("PRAGMA secure_delete=OFF")

            # Runs after the app's own listener, which turns it on.
            event.listen(db.engine, "connect", turn_off)
            db.engine.dispose()
    if request.param == NO_CHECKPOINT:
        monkeypatch.setattr(privacy, "erase_traces", lambda: None)
    return request.param


def test_secure_delete_is_on_for_a_fresh_pooled_connection(app):
    with app.app_context():
        db.engine.dispose()
        assert pragma("secure_delete") == 1
        # And on the next connection the pool hands out.
        assert pragma("secure_delete") == 1


def test_deleted_account_leaves_no_canary_in_the_sqlite_files(
    app, client, auth, clock, database_file, mode
):
    member, canaries = make_member_with_canaries(app, clock())
    with app.app_context():
        assert pragma("secure_delete") == (0 if mode == INSECURE else 1)
    assert auth.login(member).status_code == 303
    with app.app_context():
        account = db.session.get(Account, member.id)
        canaries |= {
            "password hash": account.password_hash,
            "session token": account.session_token,
        }

    # Positive control: every canary is in the files now.
    before = found_in(sqlite_bytes(database_file), canaries)
    assert sorted(before) == sorted(canaries), (
        f"not in the files before deletion: {sorted(set(canaries) - set(before))}"
    )

    response = client.post(
        "/account/delete", data={"password": member.password, "published_stories": "delete"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/signed-out?reason=deleted")
    with app.app_context():
        assert db.session.get(Account, member.id) is None

    after = found_in(sqlite_bytes(database_file), canaries)
    if mode == SECURE:
        assert after == {}, f"left in the files after deletion: {after}"
    elif mode == INSECURE:
        # Without secure_delete the freed bytes stay in the database file, and the test
        # sees them.
        assert after, "secure_delete off, yet no canary found: the test cannot see them"
        assert any("test.sqlite3" in files for files in after.values())
    else:
        # Without the checkpoint, older copies of the pages stay in the -wal file.
        assert after, "no checkpoint, yet no canary found: the test cannot see them"
        assert any("test.sqlite3-wal" in files for files in after.values())
