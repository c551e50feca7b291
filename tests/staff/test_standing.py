"""Stopping a harmful member: pause, resume, remove, and posting stops (issue point 5).

Expected words and dates are written here from the rules: the calm pause message, a
removed name held back 180 days, posting stops of 1 to 365 days.
"""

from __future__ import annotations

import html
import re
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from advocacy.accounts.models import Account, RetiredName
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.privacy import services as privacy
from advocacy.staff.models import AuditEntry
from advocacy.stories import reports
from advocacy.stories.models import Story
from tests.accounts.helpers import invite_code, join
from tests.support.accounts import PASSWORD, load_account, make_account
from tests.support.stories import make_story

PAUSED = (
    "This account is paused. Please talk to a staff member you trust, "
    "or the person who invited you."
)
PAUSE = {"action": "pause", "confirm": "yes"}  # the pause page's button
WRONG_PASSWORD = "That pseudonym and password don't match. Please try again."
TAKEN = "That pseudonym is taken"
# The clock starts on 27 November 2026 at noon (tests/support/accounts.py): 15 days later.
STOPPED_UNTIL = (
    "You can't post stories or reports until 12 December 2026. If you think this is a "
    "mistake, talk to a mentor or staff member."
)
STORY = {
    "title": "A quiet morning",
    "body": "Plain words, nothing that names anyone.",
    "audience": "members",
    "byline": "pseudonym",
}


def canary() -> str:
    """A string found nowhere else (lower case, as the pseudonym key keeps it)."""
    return "cnry" + secrets.token_hex(8)


def sqlite_bytes(database: Path) -> dict[str, bytes]:
    files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    return {path.name: path.read_bytes() for path in files if path.exists()}


def found_in(files: dict[str, bytes], canaries: dict[str, str]) -> list[str]:
    return sorted(
        what for what, value in canaries.items() if any(value.encode() in d for d in files.values())
    )


def audit_rows(app) -> list[tuple]:
    with app.app_context():
        return [
            (e.actor_id, e.target_id, e.action, e.detail)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def notice_kinds(app, account_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notice.kind).where(Notice.account_id == account_id).order_by(Notice.id)
            )
        )


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


# Pausing


def test_pausing_asks_first_on_its_own_page_and_a_stray_tap_changes_nothing(
    app, client, auth, admin, member
):
    auth.login(admin)
    listed = client.get("/admin").get_data(as_text=True)
    asking = f"/admin/accounts/{member.id}/pause"
    assert f'<a href="{asking}">Pause…<span class="visually-hidden"> river-member' in listed
    page = client.get(asking).get_data(as_text=True)
    assert "Pause river-member?" in page
    assert "They are signed out on every device at once." in page
    assert "Nothing of theirs is deleted." in page
    assert 'name="confirm" value="yes">Yes, pause river-member</button>' in page

    # The action without the page's confirmation (an old list, a crafted form): nothing.
    before = len(audit_rows(app))
    refused = client.post(asking, data={"action": "pause"}, follow_redirects=True)
    assert "An account is paused only once you confirm it on this page." in refused.text
    assert load_account(app, member.id).paused_at is None
    assert len(audit_rows(app)) == before
    assert notice_kinds(app, member.id) == []
    # Anything but "yes" as the confirmation is refused outright.
    odd = client.post(asking, data={"action": "pause", "confirm": "maybe"})
    assert odd.status_code == 400
    assert load_account(app, member.id).paused_at is None

    assert client.post(asking, data=PAUSE).status_code == 303
    assert load_account(app, member.id).paused_at is not None
    # Paused: the list offers Resume at once (giving access back needs no question).
    listed = client.get("/admin").get_data(as_text=True)
    assert f'action="{asking}"' in listed
    assert "Resume<span" in listed
    assert "river-member is paused already." in client.get(asking).get_data(as_text=True)


def test_pause_ends_every_session_and_sign_in_says_calmly_whom_to_ask(
    app, client, auth, admin, member
):
    member_client = app.test_client()
    auth.login(member, client=member_client)
    assert signed_in(member_client)
    auth.login(admin)

    token = load_account(app, member.id).session_token
    response = client.post(f"/admin/accounts/{member.id}/pause", data=PAUSE)
    assert response.status_code == 303
    assert load_account(app, member.id).paused_at is not None
    assert load_account(app, member.id).session_token != token
    assert member_client.get("/account").headers["Location"].startswith("/login")

    # The right password: the calm message, and no session of any kind.
    fresh = app.test_client()
    answer = auth.login(member, client=fresh)
    assert answer.status_code == 200
    assert PAUSED in answer.get_data(as_text=True)
    assert not signed_in(fresh)
    # A wrong password gets the usual answer: nothing says the account is paused.
    wrong = auth.login(member, password="not the right password at all", client=fresh)
    body = wrong.get_data(as_text=True)
    assert WRONG_PASSWORD in body
    assert "paused" not in body

    resumed = client.post(f"/admin/accounts/{member.id}/pause", data={"action": "resume"})
    assert resumed.status_code == 303
    assert load_account(app, member.id).paused_at is None
    assert auth.login(member, client=fresh).status_code == 303
    assert signed_in(fresh)
    assert audit_rows(app) == [
        (admin.id, member.id, "account_paused", ""),
        (admin.id, member.id, "account_resumed", ""),
    ]
    assert notice_kinds(app, member.id) == ["account_paused", "account_resumed"]


def test_a_paused_account_with_a_second_factor_is_stopped_at_the_password(
    app, client, auth, admin, mentor
):
    auth.login(admin)
    client.post(f"/admin/accounts/{mentor.id}/pause", data=PAUSE)
    fresh = app.test_client()
    response = fresh.post(
        "/login", data={"pseudonym": mentor.pseudonym, "password": mentor.password}
    )
    assert response.status_code == 200  # never on to the code step
    assert PAUSED in response.get_data(as_text=True)
    with fresh.session_transaction() as session:
        assert "pending_account" not in session


def test_a_paused_account_is_refused_even_with_its_current_token(app, auth, member):
    """Belt and braces: the session loader refuses a paused account whatever the cookie."""
    member_client = app.test_client()
    auth.login(member, client=member_client)
    with app.app_context():
        account = db.session.get(Account, member.id)
        account.paused_at = auth.clock()  # paused without replacing the token
        db.session.commit()
    assert not signed_in(member_client)


@pytest.mark.parametrize("role", ["member", "mentor", "staff"])
def test_only_admins_pause_or_remove(app, client, auth, other_member, role):
    actor = make_account(app, f"oak-{role}", role=role)
    auth.login(actor)
    pause = client.post(f"/admin/accounts/{other_member.id}/pause", data=PAUSE)
    remove = client.post(
        f"/admin/accounts/{other_member.id}/remove", data={"pseudonym": other_member.pseudonym}
    )
    assert (pause.status_code, remove.status_code) == (403, 403)
    assert load_account(app, other_member.id).paused_at is None
    assert audit_rows(app) == []


def test_an_admin_never_pauses_or_removes_themselves(app, client, auth, admin):
    auth.login(admin)
    client.post(f"/admin/accounts/{admin.id}/pause", data=PAUSE)
    path = f"/admin/accounts/{admin.id}/remove"
    response = client.post(path, data={"pseudonym": admin.pseudonym})
    assert response.status_code == 400
    assert load_account(app, admin.id).paused_at is None
    assert signed_in(client)
    assert audit_rows(app) == []


def test_an_admin_may_pause_another_admin(app, client, auth, admin):
    other = make_account(app, "birch-admin", role="admin")
    auth.login(admin)
    client.post(f"/admin/accounts/{other.id}/pause", data=PAUSE)
    assert load_account(app, other.id).paused_at is not None


# Removing


def linked_rows(app, account_id: int) -> dict[str, int]:
    """Rows in every column that refers to accounts.id (read from the schema) for the account."""
    counts = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if any(fk.target_fullname == "accounts.id" for fk in column.foreign_keys):
                    counts[f"{table.name}.{column.name}"] = db.session.scalar(
                        select(func.count()).select_from(table).where(column == account_id)
                    )
        counts["accounts.id"] = db.session.scalar(
            select(func.count()).select_from(Account).where(Account.id == account_id)
        )
    return counts


def login_answer(app, pseudonym: str) -> tuple[int, str]:
    """Status and body of a sign-in attempt, with the typed name taken out (and the form
    token, which is each new session's own)."""
    response = app.test_client().post(
        "/login", data={"pseudonym": pseudonym, "password": "quiet river lantern morning"}
    )
    page = response.get_data(as_text=True).replace(pseudonym, "NAME")
    return response.status_code, re.sub(r'name="csrf_token" value="[^"]*"', "TOKEN", page)


def test_removal_deletes_everything_and_holds_the_name_back_180_days(
    app, client, auth, clock, admin, member, other_member
):
    story = make_story(app, member.id, title="Gone with the account", now=clock())
    theirs = make_story(app, other_member.id, now=clock())
    make_story(app, member.id, state="draft", now=clock())
    with app.app_context():
        reports.report(
            db.session.get(Account, member.id), theirs, category="spam", note="", now=clock()
        )
        db.session.commit()
    member_client = app.test_client()
    auth.login(member, client=member_client)
    assert sum(linked_rows(app, member.id).values()) > 3  # positive control
    auth.login(admin)

    page = client.get(f"/admin/accounts/{member.id}/remove")
    assert page.status_code == 200
    assert member.pseudonym in page.get_data(as_text=True)
    mistyped = client.post(f"/admin/accounts/{member.id}/remove", data={"pseudonym": "river"})
    assert mistyped.status_code == 400
    assert load_account(app, member.id) is not None

    response = client.post(
        f"/admin/accounts/{member.id}/remove", data={"pseudonym": member.pseudonym.upper()}
    )
    assert response.status_code == 303
    assert not signed_in(member_client)
    assert set(linked_rows(app, member.id).values()) == {0}
    assert client.get(f"/stories/{story}").status_code == 404
    assert audit_rows(app) == [(admin.id, None, "account_removed", "member")]

    # Sign-in answers exactly as for a name that never existed.
    assert login_answer(app, member.pseudonym) == login_answer(app, "never-here-before")

    # Only a hash of the name is kept, never the name.
    with app.app_context():
        (retired,) = db.session.scalars(select(RetiredName))
        kept = f"{retired.key_hash} {retired.retired_until}"
    assert retired.retired_until == clock() + timedelta(days=180)
    assert "river" not in kept.lower()
    assert len(retired.key_hash) == 64

    # Nobody takes the name (in any case) for 180 days; afterwards it is free.
    for name in (member.pseudonym, "RIVER-member"):
        taken = join(app.test_client(), invite_code(app, clock()), pseudonym=name)
        assert TAKEN in taken.get_data(as_text=True)
    auth.login(other_member, client=member_client)
    renamed = member_client.post(
        "/account/pseudonym", data={"pseudonym": "River-Member", "password": PASSWORD}
    )
    assert renamed.status_code == 400
    assert TAKEN in renamed.get_data(as_text=True)
    with app.app_context():
        keys = set(db.session.scalars(select(Account.pseudonym_key)))
    assert "river-member" not in keys

    clock.advance(days=180, seconds=1)
    joined = join(app.test_client(), invite_code(app, clock()), pseudonym=member.pseudonym)
    assert TAKEN not in joined.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Account).where(Account.pseudonym == member.pseudonym))


def test_the_purge_forgets_a_retired_name_after_its_period_and_the_privacy_page_says_so(
    app, client, auth, clock, admin, member
):
    auth.login(admin)
    client.post(f"/admin/accounts/{member.id}/remove", data={"pseudonym": member.pseudonym})
    page = client.get("/privacy").get_data(as_text=True)
    assert "kept only as a keyed hash" in page
    with app.app_context():
        assert privacy.purge(clock() + timedelta(days=179))["retired names"] == 0
        assert db.session.scalar(select(func.count()).select_from(RetiredName)) == 1
        assert privacy.purge(clock() + timedelta(days=181))["retired names"] == 1
        assert db.session.scalar(select(func.count()).select_from(RetiredName)) == 0


@pytest.mark.sqlite_only
def test_a_removed_account_leaves_only_the_name_hash_in_the_sqlite_files(
    app, client, auth, clock, admin, database_file
):
    name, title, text = (canary() for _ in range(3))
    member = make_account(app, name)
    make_story(app, member.id, title=f"Title {title}", body=f"Words {text}", now=clock())
    with app.app_context():
        account = db.session.get(Account, member.id)
        canaries = {
            "pseudonym": name,
            "story title": title,
            "story text": text,
            "password hash": account.password_hash,
            "session token": account.session_token,
        }
    assert found_in(sqlite_bytes(database_file), canaries) == sorted(canaries)  # control
    auth.login(admin)
    response = client.post(f"/admin/accounts/{member.id}/remove", data={"pseudonym": name})
    assert response.status_code == 303
    assert found_in(sqlite_bytes(database_file), canaries) == []
    with app.app_context():
        (key_hash,) = db.session.scalars(select(RetiredName.key_hash))
    assert key_hash.encode() in sqlite_bytes(database_file)["test.sqlite3"]


# Posting stops


def stop_page(story_id: int) -> str:
    return f"/moderation/stories/{story_id}/posting"


def test_a_posting_stop_refuses_stories_and_reports_until_its_date(
    app, client, auth, clock, mentor, member, other_member
):
    pending = make_story(app, member.id, state="pending", now=clock())
    theirs = make_story(app, other_member.id, now=clock())
    auth.login(mentor)
    assert "Stop the author posting" in client.get(f"/moderation/stories/{pending}").text
    response = client.post(stop_page(pending), data={"action": "stop", "days": "15"})
    assert response.status_code == 303
    assert audit_rows(app) == [(mentor.id, member.id, "posting_stopped", "15 days")]
    assert notice_kinds(app, member.id) == ["posting_stopped"]

    auth.logout()
    auth.login(member)
    assert "until 12 December 2026" in client.get("/notices").text
    assert STOPPED_UNTIL in client.get("/account").text
    assert STOPPED_UNTIL in client.get("/stories/new").text
    refused = client.post("/stories/new", data={**STORY, "action": "submit"})
    assert refused.status_code == 400
    assert STOPPED_UNTIL in refused.text
    report = client.post(f"/stories/{theirs}/report", data={"category": "harassment", "note": ""})
    assert report.status_code == 400
    assert STOPPED_UNTIL in report.text
    edit = client.post(f"/stories/{pending}/edit", data={**STORY, "action": "submit"})
    assert edit.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Story)) == 2
        assert db.session.get(Story, pending).status == "pending"
    # A draft only the author sees can still be kept.
    assert client.post("/stories/new", data={**STORY, "action": "save"}).status_code == 303

    clock.advance(days=15, seconds=1)
    auth.login(member)
    assert STOPPED_UNTIL not in client.get("/account").text
    allowed = client.post("/stories/new", data={**STORY, "action": "submit"})
    assert allowed.status_code == 303
    report = client.post(f"/stories/{theirs}/report", data={"category": "harassment", "note": ""})
    assert report.status_code == 303


def test_a_posting_stop_can_be_lifted_early(app, client, auth, clock, admin, member):
    pending = make_story(app, member.id, state="pending", now=clock())
    auth.login(admin)
    client.post(stop_page(pending), data={"action": "stop", "days": "30"})
    client.post(stop_page(pending), data={"action": "lift"})
    assert load_account(app, member.id).posting_stopped_until is None
    assert [row[2] for row in audit_rows(app)] == ["posting_stopped", "posting_stop_lifted"]
    assert notice_kinds(app, member.id) == ["posting_stopped", "posting_stop_lifted"]


@pytest.mark.parametrize("days", ["0", "366", "", "ten"])
def test_a_posting_stop_is_one_to_365_days(app, client, auth, clock, mentor, member, days):
    pending = make_story(app, member.id, state="pending", now=clock())
    auth.login(mentor)
    response = client.post(stop_page(pending), data={"action": "stop", "days": days})
    assert response.status_code == 400
    assert load_account(app, member.id).posting_stopped_until is None
    assert audit_rows(app) == []


def test_a_mentor_never_stops_themselves_or_another_mentor(app, client, auth, clock, mentor):
    other = make_account(app, "lark-mentor", role="mentor")
    own = make_story(app, mentor.id, state="pending", now=clock())
    theirs = make_story(app, other.id, state="pending", now=clock())
    auth.login(mentor)
    for story in (own, theirs):
        client.post(stop_page(story), data={"action": "stop", "days": "7"})
    assert load_account(app, mentor.id).posting_stopped_until is None
    assert load_account(app, other.id).posting_stopped_until is None
    assert audit_rows(app) == []


def test_an_admin_may_stop_a_mentor_posting(app, client, auth, clock, admin, mentor):
    story = make_story(app, mentor.id, state="pending", now=clock())
    auth.login(admin)
    client.post(stop_page(story), data={"action": "stop", "days": "7"})
    assert load_account(app, mentor.id).posting_stopped_until == clock() + timedelta(days=7)


@pytest.mark.parametrize("role", ["member", "staff"])
def test_members_and_staff_cannot_stop_anyone_posting(app, client, auth, clock, member, role):
    pending = make_story(app, member.id, state="pending", now=clock())
    actor = make_account(app, f"oak-{role}", role=role)
    auth.login(actor)
    response = client.post(stop_page(pending), data={"action": "stop", "days": "7"})
    assert response.status_code == 403
    assert load_account(app, member.id).posting_stopped_until is None


def test_the_posting_page_never_opens_a_draft(app, client, auth, clock, mentor, member):
    draft = make_story(app, member.id, state="draft", title="A private draft", now=clock())
    auth.login(mentor)
    response = client.get(stop_page(draft))
    assert response.status_code == 404
    assert "A private draft" not in response.text
    assert client.post(stop_page(draft), data={"action": "stop", "days": "5"}).status_code == 404
    assert load_account(app, member.id).posting_stopped_until is None


def test_an_anonymous_storys_posting_page_gives_no_date(app, client, auth, clock, admin, member):
    """A date could tie an "Anonymous" story to its author's named ones."""
    named = make_story(app, member.id, now=clock())
    anonymous = make_story(app, member.id, now=clock(), anonymous=True)
    auth.login(admin)
    client.post(stop_page(named), data={"action": "stop", "days": "17"})
    assert "14 December 2026" in client.get(stop_page(named)).text
    page = client.get(stop_page(anonymous)).text
    assert "can't post stories or reports for now" in page
    assert "December" not in page


def test_after_pausing_or_resuming_the_list_shows_that_account_and_its_new_standing(
    app, client, auth, admin, member
):
    """Not the top of a long list: the account just paused or resumed, found by its
    pseudonym, its standing beside the message."""
    auth.login(admin)
    landing = f"/admin?q={quote(member.pseudonym)}"
    pause = client.post(f"/admin/accounts/{member.id}/pause", data=PAUSE)
    assert (pause.status_code, pause.headers["Location"]) == (303, landing)
    rows = rows_of(client.get(landing).get_data(as_text=True))
    assert rows == [(member.pseudonym, "Paused")]
    resume = client.post(f"/admin/accounts/{member.id}/pause", data={"action": "resume"})
    assert (resume.status_code, resume.headers["Location"]) == (303, landing)
    assert rows_of(client.get(landing).get_data(as_text=True)) == [(member.pseudonym, "Active")]


def rows_of(page: str) -> list[tuple[str, str]]:
    """The accounts table's rows: (pseudonym, the first word of its standing)."""
    found = re.findall(r'<th scope="row">([^<]+)</th>.*?data-label="Standing">\s*(\w+)', page, re.S)
    return [(html.unescape(name), standing) for name, standing in found]
