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

from datetime import datetime, timedelta

import pytest

from advocacy.accounts.models import Account, Role
from advocacy.events import rsvps
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.programs import completion
from advocacy.programs import services as programs
from advocacy.stories import reading
from advocacy.stories import reports as story_reports
from tests.support.accounts import MadeAccount, make_account
from tests.support.events import make_event
from tests.support.forensic import (
    INSECURE,
    all_in_the_files,
    canary,
    none_left_in_the_files,
    pragma,
)
from tests.support.forensic import mode as mode  # noqa: PLC0414 (the fixture)
from tests.support.programs import make_program
from tests.support.stories import make_story

pytestmark = pytest.mark.sqlite_only


def stored_time(moment: datetime) -> str:
    """How SQLite stores a UTC timestamp: its microseconds make it unique."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


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
        reading.set_hidden_warnings(account, ["violence", "self_harm"])
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

    all_in_the_files(database_file, canaries)

    response = client.post(
        "/account/delete", data={"password": member.password, "published_stories": "delete"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/signed-out?reason=deleted")
    with app.app_context():
        assert db.session.get(Account, member.id) is None

    none_left_in_the_files(database_file, canaries, mode)


def test_a_program_removed_from_an_account_leaves_no_trace_in_the_sqlite_files(
    app, client, auth, clock, database_file, mode
):
    # A survivor removes an ended program from their account so that no record of their
    # taking part is left: their place and letter (timestamps unique to the microsecond)
    # must be gone from the bytes, as after a story's withdrawal, not left in the -wal.
    member = make_account(app, "willow-member")
    staff = make_account(app, "maple-staff", role=Role.STAFF)
    now = clock()
    # Made and asked for 30 days ago; it ended 2 days ago.
    enrolled_at = now - timedelta(days=30) + timedelta(microseconds=577215)
    made_at = enrolled_at - timedelta(seconds=1)  # the program stays: its own time
    program = make_program(app, staff.id, now=made_at, starts_in=10, ends_in=28)
    letter_at = now + timedelta(microseconds=662607)
    with app.app_context():
        account = db.session.get(Account, member.id)
        enrollment = programs.enroll(account, program.id, now=enrolled_at)
        completion.complete(program.id, enrollment.id, now=now)
        completion.issue_letter(account, program.id, now=letter_at)
        db.session.commit()
    canaries = {
        "enrollment time": stored_time(enrolled_at),
        "letter time": stored_time(letter_at),
    }
    all_in_the_files(database_file, canaries)

    assert auth.login(member).status_code == 303
    response = client.post(f"/programs/{program.id}/remove", data={"confirm": "yes"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Account, member.id) is not None  # the account stays

    none_left_in_the_files(database_file, canaries, mode)
