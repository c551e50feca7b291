"""Finding events: soonest first, filters, pages, and a fixed number of queries."""

import re

from sqlalchemy import func, select

from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from tests.support.events import make_event
from tests.support.programs import MEETING_VENUE, make_program
from tests.support.queries import count_queries

LINK = re.compile(r'<h3><a href="/events/(\d+)">([^<]+)</a></h3>')


def titles(client, query="") -> list[str]:
    return [
        title for _, title in LINK.findall(client.get(f"/events{query}").get_data(as_text=True))
    ]


def test_soonest_first_and_filters(app, client, auth, clock, staff, member):
    make_event(app, staff.id, now=clock(), in_days=10, title="Later in person")
    make_event(app, staff.id, now=clock(), in_days=2, title="Soon online", is_online=True)
    make_event(app, staff.id, now=clock(), in_days=3, title="Spanish circle", language="es")
    auth.login(member)
    assert titles(client) == ["Soon online", "Spanish circle", "Later in person"]
    assert titles(client, "?week=1") == ["Soon online", "Spanish circle"]
    assert titles(client, "?mode=online") == ["Soon online"]
    assert titles(client, "?mode=in_person") == ["Spanish circle", "Later in person"]
    assert titles(client, "?language=es") == ["Spanish circle"]
    assert titles(client, "?mode=bogus&language=zz&week=2") == titles(client)


SUMMARY = re.compile(r'<details class="filter-box"( open)?>\s*<summary>([^<]*)</summary>')


def summary(client, query="") -> tuple[bool, str]:
    """(whether the filters are unfolded, the line that says what is shown)."""
    found = SUMMARY.search(client.get(f"/events{query}").get_data(as_text=True))
    assert found, query
    return found.group(1) is not None, found.group(2)


def test_folded_filters_say_what_is_shown(app, client, auth, clock, staff, member):
    make_event(app, staff.id, now=clock(), in_days=2, title="Soon online", is_online=True)
    make_event(app, staff.id, now=clock(), in_days=3, title="Spanish circle", language="es")
    auth.login(member)
    assert summary(client) == (False, "Showing: every upcoming event")
    assert summary(client, "?week=1&mode=online") == (False, "Showing: the next 7 days, online")
    assert summary(client, "?mode=in_person&language=es") == (False, "Showing: in person, Spanish")
    # Nothing matches: the filters stay open, to show more at once, or everything.
    assert summary(client, "?mode=online&language=es") == (True, "Showing: online, Spanish")
    every = '<a class="reset" href="/events">Show every upcoming event</a>'
    assert every in client.get("/events?mode=online&language=es").get_data(as_text=True)
    assert every not in client.get("/events").get_data(as_text=True)  # already every one
    assert summary(client, "?mode=bogus&language=zz") == (False, "Showing: every upcoming event")


def test_program_meetings_are_only_for_the_programs_members(
    app, client, auth, clock, staff, member, other_member
):
    program = make_program(app, staff.id, now=clock(), title="Program")
    meeting = program.meeting_ids[0]
    auth.login(member)
    assert titles(client) == []
    assert client.get(f"/events/{meeting}").status_code == 404
    assert client.get(f"/events/{meeting}.ics").status_code == 404
    client.post(f"/programs/{program.id}/enroll")
    assert titles(client) == ["Program meeting"]
    page = client.get(f"/events/{meeting}").get_data(as_text=True)
    assert MEETING_VENUE in page
    # Enrollment stands in for an RSVP: no RSVP button, and an RSVP is refused.
    assert "/rsvp" not in page
    client.post(f"/events/{meeting}/rsvp")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rsvp)) == 0
    auth.logout()
    auth.login(other_member)
    assert client.get(f"/events/{meeting}").status_code == 404


def test_pages_follow_on_without_gaps(app, client, auth, clock, staff, member):
    weekly = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=44, title="Weekly")
    auth.login(member)
    body = client.get("/events").get_data(as_text=True)
    first = LINK.findall(body)
    after = re.search(r'href="/events\?after=([^"&]+)"', body).group(1)
    second = LINK.findall(client.get(f"/events?after={after}").get_data(as_text=True))
    # Soonest first, 20 a page: the second page starts with the 21st meeting, none skipped.
    with app.app_context():
        soonest_first = db.session.scalars(
            select(Occurrence.id)
            .where(Occurrence.event_id == weekly.id)
            .order_by(Occurrence.starts_at)
            .limit(40)
        ).all()
    assert [int(i) for i, _ in first] == soonest_first[:20]
    assert [int(i) for i, _ in second] == soonest_first[20:40]


def test_list_does_the_same_queries_for_3_and_60_meetings(app, client, auth, clock, staff, member):
    auth.login(member)
    make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=2)
    with app.app_context(), count_queries() as few:
        assert client.get("/events").status_code == 200
    for n in range(19):
        make_event(
            app,
            staff.id,
            now=clock(),
            in_days=3 + n,
            title=f"Group {n}",
            weeks=2,
            recurrence="weekly",
        )
    with app.app_context(), count_queries() as many:
        assert client.get("/events?week=0").status_code == 200
    assert many.count == few.count
