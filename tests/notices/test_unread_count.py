"""The unread count in the header: right after every way a notice comes or goes, and read
with the account itself, in the one statement that loads it (issue 17, item 2).

DESIGN §3 Notices: "unread count in the header". Ways a notice changes: it is left
(notify), opened (read), all marked read, dismissed, withdrawn, deleted with its story,
purged. The header says "Notices (N new)" while N > 0, else "Notices".
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import session
from flask_login import current_user
from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.notices import services
from advocacy.notices.models import Notice
from advocacy.notices.views import unread_notices
from advocacy.privacy.services import purge
from advocacy.stories.models import Story
from tests.support.queries import count_queries
from tests.support.stories import make_story

NOTICE_DAYS = 90  # DESIGN §4: notices go 90 days after they were sent


def header_count(client) -> int:
    """The count the header shows (0 when it shows none), and the home page agrees."""
    page = client.get("/safety").get_data(as_text=True)
    found = re.findall(r"Notices \((\d+) new\)", page)
    assert len(found) <= 1
    home = client.get("/").get_data(as_text=True)
    said = re.findall(r"You have (\d+) new notices?\.", home)
    assert said == found
    return int(found[0]) if found else 0


def leave(app, account, clock, *, title="Tuesday circle", story_id=None) -> int:
    with app.app_context():
        notice = services.notify(
            account.id,
            "waitlist_promoted",
            now=clock(),
            link="/events/1",
            title=title,
            story_id=story_id,
        )
        db.session.commit()
        return notice.id


def test_the_count_follows_every_way_a_notice_comes_and_goes(
    app, client, auth, clock, member, other_member
):
    auth.login(member)
    assert header_count(client) == 0
    first, second, third = (leave(app, member, clock, title=f"Circle {n}") for n in range(3))
    leave(app, other_member, clock)  # someone else's: never counted here
    assert header_count(client) == 3
    client.post(f"/notices/{first}/open")
    assert header_count(client) == 2
    client.post(f"/notices/{second}/dismiss")
    assert header_count(client) == 1
    with app.app_context():
        services.withdraw_notices(member.id, "waitlist_promoted", "/events/1")
        db.session.commit()
    assert header_count(client) == 0
    leave(app, member, clock)
    leave(app, member, clock)
    assert header_count(client) == 2
    client.post("/notices/read")
    assert header_count(client) == 0
    assert third  # withdrawn with the rest


def test_the_count_drops_when_a_story_and_its_notices_go(app, client, auth, clock, member):
    story_id = make_story(app, member.id, now=clock())
    with app.app_context():  # the story's own notices (published) are read first
        services.mark_all_read(member.id, now=clock())
        db.session.commit()
    leave(app, member, clock, story_id=story_id)
    auth.login(member)
    assert header_count(client) == 1
    with app.app_context():
        db.session.delete(db.session.get(Story, story_id))
        db.session.commit()
    assert header_count(client) == 0


def test_the_count_drops_when_the_purge_takes_old_notices(app, client, auth, clock, member):
    leave(app, member, clock)
    clock.advance(days=NOTICE_DAYS + 1)
    leave(app, member, clock)
    auth.login(member)
    assert header_count(client) == 2
    with app.app_context():
        purge(clock())
    assert header_count(client) == 1


def signed_in_request(app, account_id: int):
    """A request context with the account signed in, as its cookie would say."""
    with app.app_context():
        token = db.session.scalar(select(Account.session_token).where(Account.id == account_id))
    context = app.test_request_context("/notices")
    context.push()
    session["_user_id"] = token
    return context


def test_a_request_that_changes_notices_counts_them_again(app, clock, member):
    leave(app, member, clock)
    context = signed_in_request(app, member.id)
    try:
        assert current_user.id == member.id
        assert unread_notices() == {"unread_notices": 1}
        services.notify(member.id, "password_changed", now=clock())
        db.session.flush()
        assert unread_notices() == {"unread_notices": 2}
        services.mark_all_read(member.id, now=clock())
        assert unread_notices() == {"unread_notices": 0}
    finally:
        db.session.rollback()
        context.pop()


@pytest.mark.parametrize("path", ["/safety", "/privacy", "/help/grounding"])
def test_a_signed_in_page_loads_the_account_and_its_count_in_one_statement(
    app, client, auth, clock, member, path
):
    leave(app, member, clock)
    auth.login(member)
    client.get(path)
    with count_queries(app) as seen:
        page = client.get(path).get_data(as_text=True)
    assert "Notices (1 new)" in page
    (statement,) = seen.statements  # nothing else: the page itself asks for nothing
    assert re.search(r"\bFROM accounts\b", statement)
    assert re.search(r"\bFROM notices\b", statement)


def reads_of_the_account(statements: list[str]) -> list[str]:
    """The statements that load one account by its session token or its id: the loader's,
    and any load of a column it left out (SQLAlchemy reads a deferred one by the id). The
    parameter is "?" on SQLite, "%(name)s" on PostgreSQL."""
    return [
        s
        for s in statements
        if re.search(r"WHERE accounts\.(session_token|id) = (\?|%\(\w+\)s)", s)
    ]


@pytest.mark.parametrize("role", ["member", "mentor", "staff", "admin"])
def test_pages_read_no_account_column_the_first_load_left_out(
    app, client, auth, clock, member, mentor, staff, admin, role
):
    people = {"member": member, "mentor": mentor, "staff": staff, "admin": admin}
    story_id = make_story(app, member.id, now=clock())
    auth.login(people[role])
    pages = ["/", "/safety", "/stories", f"/stories/{story_id}", "/events", "/programs"]
    pages += ["/notices", "/help"]
    pages += {"mentor": ["/moderation"], "staff": ["/staff"], "admin": ["/admin"]}.get(role, [])
    for page in pages:
        client.get(page)
        with count_queries(app) as seen:
            assert client.get(page).status_code == 200, page
        assert len(reads_of_the_account(seen.statements)) == 1, (page, seen.statements)


@pytest.mark.sqlite_only
def test_the_count_is_read_from_the_unread_index(app, member):
    """The count walks only the account's unread entries of ix_notices_account_unread."""
    from advocacy.accounts.loading import account_with_unread_count

    with app.app_context():
        statement = account_with_unread_count().params(session_token="a-token")
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    details = " | ".join(row[-1] for row in plan)
    assert "ix_notices_account_unread" in details, details
    assert not re.search(r"SCAN notices\b(?! USING)", details), details


def test_notices_of_other_accounts_and_read_ones_are_never_counted(app, clock, member):
    leave(app, member, clock)
    with app.app_context():
        notice = db.session.scalar(select(Notice))
        notice.read_at = clock() - timedelta(minutes=1)
        db.session.commit()
    context = signed_in_request(app, member.id)
    try:
        assert unread_notices() == {"unread_notices": 0}
    finally:
        context.pop()


def test_discreet_mode_keeps_the_count_off_the_menu_button_but_not_out_of_the_menu(
    app, client, auth, clock, member
):
    # Someone glancing at a shared phone sees "Menu", not "Menu 2 new" (newcomer's find);
    # the member still finds the count in the open menu and on the home page.
    auth.login(member)
    with app.app_context():
        for _ in range(2):
            services.notify(member.id, "event_changed", now=clock(), title="Circle")
        db.session.commit()
    shown = client.get("/safety").get_data(as_text=True)
    assert re.search(r"<summary>Menu <span class=\"badge\">2 new</span></summary>", shown)
    client.post("/account/preferences", data={"locale": "", "timezone": "", "is_discreet": "y"})
    discreet = client.get("/safety").get_data(as_text=True)
    assert "<summary>Menu</summary>" in discreet
    assert 'class="badge"' not in discreet
    assert header_count(client) == 2  # "Notices (2 new)" in the menu, and the home page
