"""Finding events: soonest first, filters, pages, and a fixed number of queries."""

import re

from advocacy.events.models import Event
from advocacy.extensions import db
from tests.support.events import make_event
from tests.support.queries import count_queries

LINK = re.compile(r'<h2><a href="/events/(\d+)">([^<]+)</a></h2>')


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


def test_program_meetings_stay_out_of_the_public_list(app, client, auth, clock, staff, member):
    event = make_event(app, staff.id, now=clock(), title="Program meeting")
    with app.app_context():
        db.session.get(Event, event.id).program_id = 1
        db.session.commit()
    auth.login(member)
    assert titles(client) == []
    assert client.get(f"/events/{event.first}").status_code == 404


def test_pages_follow_on_without_gaps(app, client, auth, clock, staff, member):
    make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=44, title="Weekly")
    auth.login(member)
    body = client.get("/events").get_data(as_text=True)
    first = LINK.findall(body)
    after = re.search(r'href="/events\?after=([^"&]+)"', body).group(1)
    second = LINK.findall(client.get(f"/events?after={after}").get_data(as_text=True))
    assert len(first) == 20
    assert len(second) == 20
    ids = [int(i) for i, _ in first + second]
    assert ids == sorted(ids)
    assert len(set(ids)) == 40


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
