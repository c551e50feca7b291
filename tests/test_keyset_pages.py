"""Keyset pages: following the page's own "more" link visits every listed item exactly once.

DESIGN §7: lists use keyset pagination. The events and programs lists page on
(start, id) ascending, the stories list on (published_at, id) descending, the help
library on (updated_at, id) descending; a cursor is
the last item's key and id. Ties on the key (meetings at the same minute, programs
starting the same day, stories published at the same instant) are where a cursor that
forgets the id skips or repeats items, so hypothesis draws keys from a handful of
values, with page sizes of 1 to 4 (PAGE_SIZE patched), and walks the list through the
real pages: each page's items, then its link to the next, until there is none. The
walk must give every visible item once, in the list's order; every page but the last is
full, and no link leads to an empty page. Items the reader may not see (cancelled or
ended meetings, other filters, drafts, members-only or hidden stories for a visitor)
are mixed in: they must never appear, and never shift a page.

tests/test_paging.py walks all eight paged lists at their real page size with distinct
keys and tries cursors that are not ones; the notices, moderation log, admin and audit
lists page on the id alone, so they have no ties to try here.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete

from advocacy.events import finding
from advocacy.events.models import Event, Occurrence
from advocacy.extensions import db
from advocacy.help import services as help_library
from advocacy.help.models import Resource
from advocacy.programs import catalog as programs
from advocacy.programs.models import Program
from advocacy.stories import reading
from advocacy.stories.models import Story
from tests.support.help import make_resource
from tests.support.properties import PROPERTY_SETTINGS

PAGE_SIZES = st.integers(min_value=1, max_value=4)
# Microseconds after a base time: mostly ties, neighbours one microsecond apart, an hour
# apart.
INSTANTS = st.sampled_from([0, 0, 0, 1, 3_600_000_000])


@pytest.fixture
def reader(app, auth, member, clock) -> FlaskClient:
    """A member's signed-in client (the list pages need one, except stories)."""
    auth.login(member)
    return auth.client


def walk(client: FlaskClient, first: str, item: str, more: str) -> list[list[int]]:
    """Follow a list from its first page by each page's own link; return the ids per page.

    item: the pattern of an item's link (its id in group 1); more: of the next page's.
    """
    pages, path = [], first
    while path is not None:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        pages.append([int(found) for found in re.findall(item, body)])
        assert len(pages) <= 60, "the links go round in circles"
        link = re.search(more, body)
        path = html.unescape(link.group(1)) if link else None
    return pages


def assert_walk(pages: list[list[int]], expected: list[int], page_size: int) -> None:
    """Every expected id once, in order; full pages but the last; no empty page after one."""
    assert [found for page in pages for found in page] == expected
    assert all(len(page) == page_size for page in pages[:-1])
    assert len(pages) == 1 or 1 <= len(pages[-1]) <= page_size


# Events: soonest first, the filters kept from page to page

# (start, online, listed or why not); mostly listed, so that most walks take several pages.
MEETING = st.tuples(
    INSTANTS, st.booleans(), st.sampled_from(["listed", "listed", "listed", "cancelled", "ended"])
)


@PROPERTY_SETTINGS
@given(
    page_size=PAGE_SIZES,
    meetings=st.lists(MEETING, min_size=1, max_size=12),
    mode=st.sampled_from(["", "online", "in_person"]),
)
def test_event_pages_visit_every_meeting_once(
    app, reader, clock, monkeypatch, page_size, meetings, mode
):
    monkeypatch.setattr(finding, "PAGE_SIZE", page_size)
    base = clock() + timedelta(days=1)
    with app.app_context():
        db.session.execute(delete(Event))
        expected = []
        for offset, online, state in meetings:
            starts = base + timedelta(microseconds=offset)
            if state == "ended":
                starts -= timedelta(days=2)
            event = Event(
                title="Circle",
                area="Queens",
                timezone="UTC",
                is_online=online,
                created_at=clock(),
            )
            occurrence = Occurrence(
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                is_cancelled=state == "cancelled",
            )
            event.occurrences = [occurrence]
            db.session.add(event)
            db.session.flush()
            if state == "listed" and mode in ("", "online" if online else "in_person"):
                expected.append((starts, occurrence.id))
        db.session.commit()

    pages = walk(
        reader,
        f"/events?mode={mode}",
        r'<h3><a href="/events/(\d+)">',
        r'href="(/events\?after=[^"]+)"',
    )

    assert_walk(pages, [found for _, found in sorted(expected)], page_size)


# Programs: open ones first, then the rest, each soonest start first; drafts only for staff

# (days after a start date, status)
PROGRAM = st.tuples(
    st.sampled_from([0, 0, 0, 1]), st.sampled_from(["open", "open", "closed", "draft"])
)


@PROPERTY_SETTINGS
@given(page_size=PAGE_SIZES, listed=st.lists(PROGRAM, min_size=1, max_size=12))
def test_program_pages_visit_every_program_once(app, reader, monkeypatch, page_size, listed):
    monkeypatch.setattr(programs, "PAGE_SIZE", page_size)
    with app.app_context():
        db.session.execute(delete(Program))
        expected = []
        for offset, status in listed:
            starts_on = date(2027, 1, 4) + timedelta(days=offset)
            program = Program(
                title="Healing together",
                kind="healing",
                summary="Peer support.",
                capacity=5,
                enrollment_opens_on=date(2026, 11, 1),
                enrollment_closes_on=date(2026, 12, 20),
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=60),
                status=status,
                created_at=datetime(2026, 10, 1, tzinfo=UTC),
            )
            db.session.add(program)
            db.session.flush()
            if status != "draft":
                expected.append((status != "open", starts_on, program.id))
        db.session.commit()

    pages = walk(
        reader, "/programs", r'<h2><a href="/programs/(\d+)">', r'href="(/programs\?after=[^"]+)"'
    )

    assert_walk(pages, [found for _, _, found in sorted(expected)], page_size)


# Stories: newest first; a visitor sees the public ones, a member all that are up

# (published at, audience, taken down)
STORY = st.tuples(
    INSTANTS,
    st.sampled_from(["public", "public", "members"]),
    st.sampled_from([False] * 3 + [True]),
)


@PROPERTY_SETTINGS
@given(
    page_size=PAGE_SIZES,
    published=st.lists(STORY, min_size=1, max_size=12),
    signed_in=st.booleans(),
)
def test_story_pages_visit_every_story_once(
    app, reader, member, clock, monkeypatch, page_size, published, signed_in
):
    monkeypatch.setattr(reading, "PAGE_SIZE", page_size)
    base = clock() - timedelta(days=1)
    with app.app_context():
        db.session.execute(delete(Story))
        expected = []
        for offset, audience, taken_down in published:
            at = base + timedelta(microseconds=offset)
            story = Story(
                author_id=member.id,
                title="Finding my voice",
                body="I learned to speak again.",
                status="published",
                audience=audience,
                published_at=at,
                published_title="Finding my voice",
                published_body="I learned to speak again.",
                hidden_at=at if taken_down else None,
                created_at=at,
                updated_at=at,
            )
            db.session.add(story)
            db.session.flush()
            if not taken_down and (signed_in or audience == "public"):
                expected.append((at, story.id))
        db.session.commit()

    pages = walk(
        reader if signed_in else app.test_client(),
        "/stories",
        r'<h2 class="story-title"><a href="/stories/(\d+)">',
        r'href="(/stories\?before=[^"]+)"',
    )

    assert_walk(pages, [found for _, found in sorted(expected, reverse=True)], page_size)


# The help library: last changed first; a visitor sees the resources marked for visitors,
# a member all of them; a topic filter is kept from page to page.

# (changed at, for visitors, topic)
RESOURCE = st.tuples(INSTANTS, st.booleans(), st.sampled_from(["legal", "legal", "health"]))


@PROPERTY_SETTINGS
@given(
    page_size=PAGE_SIZES,
    kept=st.lists(RESOURCE, min_size=1, max_size=12),
    signed_in=st.booleans(),
    topic=st.sampled_from(["", "legal"]),
)
def test_help_pages_visit_every_resource_once(
    app, reader, clock, monkeypatch, page_size, kept, signed_in, topic
):
    monkeypatch.setattr(help_library, "PAGE_SIZE", page_size)
    base = clock() - timedelta(days=1)
    with app.app_context():
        db.session.execute(delete(Resource))
        db.session.commit()
    expected = []
    for offset, public, category in kept:
        at = base + timedelta(microseconds=offset)
        made = make_resource(app, title="Legal aid", category=category, is_public=public, now=at)
        if (signed_in or public) and topic in ("", category):
            expected.append((at, made))

    pages = walk(
        reader if signed_in else app.test_client(),
        f"/help?category={topic}",
        r'class="resource-title"><a href="/help/(\d+)"',
        r'href="(/help\?before=[^"]+)"',
    )

    assert_walk(pages, [found for _, found in sorted(expected, reverse=True)], page_size)
