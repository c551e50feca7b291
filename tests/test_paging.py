"""Every paged list: the next-page link carries on exactly where the page ended, and a
cursor that is not one shows the first page.

The rule (advocacy.domain): a cursor is an id of 1 to 18 ASCII digits, or, for lists in
time order, '<ISO date or timestamp with its UTC offset>_<id>'. Anything else (too long,
a digit of another script, no offset, junk) is ignored, which means the first page:
never an error, never an empty or shifted page. Each list is filled with more items than
fit on one page, named so the page shows which ones it holds; the expected order is the
list's own rule (newest first, soonest first, by id), written in each filler below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.extensions import db
from advocacy.moderation.models import ModerationEntry
from advocacy.notices.services import notify
from advocacy.staff.models import AuditEntry
from tests.support.accounts import Clock, MadeAccount, make_account
from tests.support.events import make_event
from tests.support.help import make_resource
from tests.support.programs import make_program
from tests.support.stories import WHEN, make_story


@dataclass
class Scene:
    """Four accounts, made in this order (so by id): admin, staff, mentor, member."""

    app: Flask
    clock: Clock
    admin: MadeAccount
    staff: MadeAccount
    mentor: MadeAccount
    member: MadeAccount


@pytest.fixture
def scene(app, clock) -> Scene:
    made = [make_account(app, f"{role}-paging", role=role) for role in PAGING_ROLES]
    return Scene(app, clock, *made)


PAGING_ROLES = ("admin", "staff", "mentor", "member")


def fill_notices(scene: Scene) -> list[str]:
    """35 notices for the admin; the list shows the newest first."""
    with scene.app.app_context():
        for n in range(35):
            notify(
                scene.admin.id,
                "waitlist_promoted",
                now=scene.clock() + timedelta(minutes=n),
                title=f"Circle {n:02d}",
            )
        db.session.commit()
    return [f"Circle {n:02d}" for n in reversed(range(35))]


def fill_accounts(scene: Scene) -> list[str]:
    """55 more accounts; the roles screen lists every account by id, oldest first."""
    for n in range(55):
        make_account(scene.app, f"paged-{n:02d}")
    return [f"{role}-paging" for role in PAGING_ROLES] + [f"paged-{n:02d}" for n in range(55)]


def fill_audit(scene: Scene) -> list[str]:
    """55 audit entries; the audit log shows the newest first."""
    with scene.app.app_context():
        db.session.add_all(
            AuditEntry(
                actor_id=scene.admin.id,
                target_id=scene.member.id,
                action="role_changed",
                detail=f"entry {n:02d}",
                created_at=scene.clock() + timedelta(minutes=n),
            )
            for n in range(55)
        )
        db.session.commit()
    return [f"entry {n:02d}" for n in reversed(range(55))]


def fill_moderation_log(scene: Scene) -> list[str]:
    """55 decisions; the moderation log shows the newest first."""
    with scene.app.app_context():
        db.session.add_all(
            ModerationEntry(
                actor_id=scene.mentor.id,
                action="approve",
                note=f"note {n:02d}",
                created_at=scene.clock() + timedelta(minutes=n),
            )
            for n in range(55)
        )
        db.session.commit()
    return [f"note {n:02d}" for n in reversed(range(55))]


def fill_events(scene: Scene) -> list[str]:
    """25 meetings on 25 coming days; the list shows the soonest first."""
    for n in range(25):
        make_event(
            scene.app, scene.staff.id, now=scene.clock(), in_days=n + 1, title=f"Meeting {n:02d}"
        )
    return [f"Meeting {n:02d}" for n in range(25)]


def fill_programs(scene: Scene) -> list[str]:
    """23 programs starting the same day; the list shows the soonest first, then by id."""
    for n in range(23):
        make_program(
            scene.app, scene.staff.id, now=scene.clock(), meetings=0, title=f"Program {n:02d}"
        )
    return [f"Program {n:02d}" for n in range(23)]


def fill_stories(scene: Scene) -> list[str]:
    """23 stories published a minute apart; the list shows the newest first."""
    for n in range(23):
        make_story(
            scene.app,
            scene.member.id,
            title=f"Story {n:02d}",
            mentor_id=scene.mentor.id,
            now=WHEN + timedelta(minutes=n),
        )
    return [f"Story {n:02d}" for n in reversed(range(23))]


def fill_help(scene: Scene) -> list[str]:
    """23 resources changed a minute apart; the library shows the last changed first."""
    for n in range(23):
        make_resource(scene.app, title=f"Help {n:02d}", now=WHEN + timedelta(minutes=n))
    return [f"Help {n:02d}" for n in reversed(range(23))]


@dataclass(frozen=True)
class PagedList:
    """One list that pages with a cursor in its address."""

    path: str
    parameter: str  # "before" or "after"
    item: re.Pattern  # group 1: the name of one item, as filled in
    fill: Callable[[Scene], list[str]]  # makes the items; their names in the list's order
    key: str = ""  # a well-formed time key, for lists whose cursor is '<key>_<id>'

    def names(self, client: FlaskClient, cursor: str | None = None) -> list[str]:
        """The names the page shows, in order (the page must answer 200)."""
        query = {} if cursor is None else {self.parameter: cursor}
        response = client.get(self.path, query_string=query)
        assert response.status_code == 200, (self.path, cursor, response.status_code)
        return self.item.findall(response.get_data(as_text=True))

    def next_cursor(self, client: FlaskClient, cursor: str | None) -> str | None:
        """The cursor the page's next-page link carries, or None on the last page."""
        query = {} if cursor is None else {self.parameter: cursor}
        body = client.get(self.path, query_string=query).get_data(as_text=True)
        link = re.search(rf'href="{self.path}\?(?:[^"]*&amp;)?{self.parameter}=([^"&]+)', body)
        return unquote(link.group(1)) if link else None


LISTS = {
    "notices": PagedList("/notices", "before", re.compile(r"“(Circle \d\d)”"), fill_notices),
    "accounts": PagedList(
        "/admin", "after", re.compile(r'<th scope="row">([^<]+)</th>'), fill_accounts
    ),
    "audit log": PagedList("/admin/audit", "before", re.compile(r"\((entry \d\d)\)"), fill_audit),
    "moderation log": PagedList(
        "/moderation/log", "before", re.compile(r">(note \d\d)<"), fill_moderation_log
    ),
    "events": PagedList(
        "/events",
        "after",
        re.compile(r'<h3><a href="/events/\d+">(Meeting \d\d)</a></h3>'),
        fill_events,
        key="2026-11-28T18:00:00-05:00",
    ),
    "programs": PagedList(
        "/programs",
        "after",
        re.compile(r'<h2><a href="/programs/\d+">(Program \d\d)</a></h2>'),
        fill_programs,
        key="open_2026-12-18",
    ),
    "help": PagedList(
        "/help",
        "before",
        re.compile(r'class="resource-title"><a href="/help/\d+" lang="en">(Help \d\d)</a>'),
        fill_help,
        key="2026-11-20T12:30:00+00:00",
    ),
    "stories": PagedList(
        "/stories",
        "before",
        re.compile(r'class="story-title"><a href="/stories/\d+">(Story \d\d)</a>'),
        fill_stories,
        key="2026-11-01T12:30:00+00:00",
    ),
}


# Cursor-shaped text: a date, maybe a time and an offset, then an id of any length.
TIME_CURSOR = r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]{5,12}([+-][0-9:]{2,5}|Z)?)?_[0-9]{1,20}"


def not_cursors(paged: PagedList) -> list[str]:
    """Cursors the rule ignores: too long, digits of other scripts, junk, odd times."""
    # 2^31: past PostgreSQL's integer ids, where it would be an error, not an empty page.
    ids = ["2147483648", "9" * 18, "9" * 19, "9" * 30, "²", "1²", "٣", "１", "⑦", "৯"]
    ids += ["-1", "1.5", " 7", "7 ", "x", ""]
    if not paged.key:
        return ids
    return [f"{paged.key}_{bad}" for bad in ids] + [
        "1",
        "_1",
        "not-a-time_1",
        "2026-11-28T18:00:00_1",  # no UTC offset
        "0001-01-01T00:00:00+14:00_1",  # before what UTC can hold
        "9999-12-31T23:59:59-14:00_1",  # after it
        "2026-02-30_1",
    ]


@pytest.fixture(params=list(LISTS), ids=list(LISTS))
def filled(request, scene, auth) -> tuple[PagedList, list[str], FlaskClient]:
    """One list, filled past its first page, and the admin's signed-in client."""
    paged = LISTS[request.param]
    expected = paged.fill(scene)
    auth.login(scene.admin)
    return paged, expected, auth.client


def test_pages_follow_on_in_order_and_odd_cursors_show_the_first(filled):
    paged, expected, client = filled
    first = paged.names(client)
    assert 0 < len(first) < len(expected), "the list must need a second page"
    # Following "next" from the first page shows every item once, in the list's order.
    shown, cursor, pages = list(first), paged.next_cursor(client, None), 1
    while cursor is not None:
        page = paged.names(client, cursor)
        assert page, f"an empty page after cursor {cursor!r}"
        shown += page
        cursor, pages = paged.next_cursor(client, cursor), pages + 1
    assert shown == expected
    assert pages >= 2
    # A cursor that is not one is ignored: the first page, exactly.
    for cursor in not_cursors(paged):
        assert paged.names(client, cursor) == first, cursor


def test_any_cursor_text_shows_a_run_of_the_list_never_an_error(filled):
    paged, expected, client = filled

    @settings(max_examples=50, deadline=None)
    @given(
        st.one_of(
            st.text(max_size=40),
            st.from_regex(TIME_CURSOR, fullmatch=True),
            st.from_regex(r"[0-9²٣]{1,25}", fullmatch=True),
        )
    )
    def shows_a_run(cursor):
        if any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in cursor):  # C0, DEL, C1
            # A control character never reaches the list: a calm 400 (tests/test_edge.py).
            response = client.get(paged.path, query_string={paged.parameter: cursor})
            assert response.status_code == 400, (cursor, response.status_code)
            return
        names = paged.names(client, cursor)
        # Whatever the cursor, the page holds consecutive items in the list's order.
        runs = [expected[start : start + len(names)] for start in range(len(expected) + 1)]
        assert names in runs, (cursor, names)

    shows_a_run()
