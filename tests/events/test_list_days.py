"""The events list by day, with places left (issue 14, point 4).

Rules: meetings sit under a heading per local day in the site's time zone (config
DEFAULT_TIMEZONE, New York in the tests), written "Tuesday, 1 December 2026", in time
order; each card gives its hours in the site's zone, and a meeting whose event zone differs
also names its own zone and its hours there. A card says "N places left" ("1 place left"),
"Full" while the waiting list is open, and nothing for a meeting without a limit or one
that has started. Keyset pages repeat the heading of a day that runs on to the next page,
and a page costs the same number of queries however many meetings there are.
"""

from __future__ import annotations

import html
import re
from datetime import time

from tests.support.events import make_event, signed_in
from tests.support.queries import count_queries

HEADING_OR_TITLE = re.compile(r'<h2 class="day">([^<]+)</h2>|<h3><a href="/events/\d+">([^<]+)</a>')
CARD = re.compile(r'<li class="card">(.*?)</li>', re.S)
NEXT = re.compile(r'href="/events\?after=([^"&]+)"')
NNBSP = "\u202f"  # Babel (CLDR) puts a narrow no-break space before AM and PM


def days_of(body: str) -> list[tuple[str, list[str]]]:
    """The page's day headings, each with its meetings' titles, in page order."""
    days: list[tuple[str, list[str]]] = []
    for heading, title in HEADING_OR_TITLE.findall(html.unescape(body)):
        if heading:
            days.append((heading, []))
        else:
            assert days, f"{title} sits under no day heading"
            days[-1][1].append(title)
    return days


def cards_of(body: str) -> dict[str, str]:
    """Each card's text, by the meeting's title."""
    cards = {}
    for card in CARD.findall(html.unescape(body)):
        title = re.search(r"<h3><a [^>]*>([^<]+)</a>", card).group(1)
        cards[title] = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", card))
    return cards


def test_meetings_sit_under_their_local_day_in_time_order(
    app, client, auth, clock, staff, member, other_member
):
    # The tests' clock: Friday 27 November 2026, 12:00 UTC (07:00 in New York).
    now = clock()
    late = make_event(
        app, staff.id, now=now, in_days=4, title="Late circle", capacity=3,
        starts=time(23, 0), ends=time(23, 45),
    )  # fmt: skip
    # 02:00 in London on Wednesday 2 December is 21:00 on Tuesday in New York.
    make_event(
        app, staff.id, now=now, in_days=5, title="London online", capacity=None,
        timezone="Europe/London", is_online=True, starts=time(2, 0), ends=time(3, 0),
    )  # fmt: skip
    make_event(
        app, staff.id, now=now, in_days=4, title="Early circle", capacity=None,
        starts=time(8, 0), ends=time(9, 0),
    )  # fmt: skip
    full = make_event(
        app, staff.id, now=now, in_days=5, title="Morning circle", capacity=1,
        starts=time(9, 0), ends=time(10, 0),
    )  # fmt: skip
    one_left = make_event(
        app, staff.id, now=now, in_days=5, title="Two places", capacity=2,
        starts=time(11, 0), ends=time(12, 0),
    )  # fmt: skip
    other = signed_in(app, clock, other_member)
    for made in (late, full, one_left):
        assert other.post(f"/events/{made.first}/rsvp").status_code == 303

    auth.login(member)
    body = client.get("/events").get_data(as_text=True)
    assert days_of(body) == [
        ("Tuesday, 1 December 2026", ["Early circle", "London online", "Late circle"]),
        ("Wednesday, 2 December 2026", ["Morning circle", "Two places"]),
    ]
    cards = cards_of(body)
    assert f"11:00{NNBSP}PM–11:45{NNBSP}PM EST" in cards["Late circle"]
    assert "2 places left" in cards["Late circle"]
    assert "Full" in cards["Morning circle"]
    assert "places left" not in cards["Morning circle"]
    assert "1 place left" in cards["Two places"]
    assert "1 places" not in body
    assert "0 places" not in body
    for unlimited in ("London online", "Early circle"):
        assert "left" not in cards[unlimited]
        assert "Full" not in cards[unlimited]
    # London's meeting: the site's hours, then its own zone named with its own hours.
    london = cards["London online"]
    assert f"9:00{NNBSP}PM–10:00{NNBSP}PM EST" in london
    assert "Europe/London" in london
    assert f"Wed 2:00{NNBSP}AM–3:00{NNBSP}AM GMT" in london
    # New York's are in the site's zone: no zone named beyond the hours'.
    for local in ("Late circle", "Early circle", "Morning circle", "Two places"):
        assert "America/New_York" not in cards[local]
        assert "own time zone" not in cards[local]


def test_a_meeting_under_way_says_nothing_of_places(app, client, auth, clock, staff, member):
    make_event(
        app, staff.id, now=clock(), in_days=0, title="Under way", capacity=4,
        starts=time(8, 0), ends=time(10, 0),
    )  # fmt: skip
    clock.advance(hours=1, minutes=30)  # 08:30 in New York: it has started, not ended
    auth.login(member)
    body = client.get("/events").get_data(as_text=True)
    assert days_of(body) == [("Friday, 27 November 2026", ["Under way"])]
    assert "left" not in cards_of(body)["Under way"]
    assert "Full" not in cards_of(body)["Under way"]


def test_a_day_running_on_to_the_next_page_repeats_its_heading(
    app, client, auth, clock, staff, member
):
    for n in range(22):  # 22 meetings on Tuesday 1 December, a page holds 20
        make_event(
            app, staff.id, now=clock(), in_days=4, title=f"Meeting {n:02}", capacity=None,
            starts=time(8, n), ends=time(9, n),
        )  # fmt: skip
    make_event(app, staff.id, now=clock(), in_days=5, title="Wednesday circle")
    auth.login(member)
    first = client.get("/events").get_data(as_text=True)
    assert days_of(first) == [
        ("Tuesday, 1 December 2026", [f"Meeting {n:02}" for n in range(20)]),
    ]
    second = client.get(f"/events?after={NEXT.search(first).group(1)}").get_data(as_text=True)
    assert days_of(second) == [
        ("Tuesday, 1 December 2026", ["Meeting 20", "Meeting 21"]),
        ("Wednesday, 2 December 2026", ["Wednesday circle"]),
    ]
    assert NEXT.search(second) is None


def test_the_list_costs_the_same_queries_however_many_days_zones_and_places(
    app, client, auth, clock, staff, member, other_member
):
    make_event(app, staff.id, now=clock(), in_days=3, capacity=None)
    auth.login(member)
    with app.app_context(), count_queries() as few:
        assert client.get("/events").status_code == 200
    other = signed_in(app, clock, other_member)
    zones = ("America/New_York", "Europe/London", "Asia/Tokyo", "America/Los_Angeles")
    for n in range(45):
        made = make_event(
            app, staff.id, now=clock(), in_days=1 + n // 2, title=f"Group {n}",
            capacity=1 + n % 3, timezone=zones[n % 4], starts=time(1 + n % 20, 0),
            ends=time(22, 0),
        )  # fmt: skip
        if n % 3 == 0:  # full: one place, taken
            other.post(f"/events/{made.first}/rsvp")
        if n % 5 == 0:
            client.post(f"/events/{made.first}/rsvp")  # the reader's own RSVPs
    with app.app_context(), count_queries() as many:
        body = client.get("/events").get_data(as_text=True)
    assert len(days_of(body)) > 5
    assert "Full" in body
    assert many.count == few.count
    after = NEXT.search(body).group(1)
    with app.app_context(), count_queries() as later:
        assert client.get(f"/events?after={after}").status_code == 200
    assert later.count == few.count


def test_a_member_s_own_time_zone_sets_the_days_and_hours(app, client, auth, clock, staff, member):
    # 23:00 in New York on Tuesday 1 December 2026 (UTC-5) is 13:00 on Wednesday 2
    # December in Tokyo (UTC+9): under Wednesday, with the event's own zone named.
    make_event(
        app, staff.id, now=clock(), in_days=4, title="Late circle", capacity=None,
        starts=time(23, 0), ends=time(23, 45),
    )  # fmt: skip
    auth.login(member)
    client.post("/account/preferences", data={"locale": "", "timezone": "Asia/Tokyo"})
    body = client.get("/events").get_data(as_text=True)
    assert days_of(body) == [("Wednesday, 2 December 2026", ["Late circle"])]
    card = cards_of(body)["Late circle"]
    assert f"1:00{NNBSP}PM–1:45{NNBSP}PM" in card
    assert "America/New_York" in card
    assert f"Tue 11:00{NNBSP}PM–11:45{NNBSP}PM EST" in card


def test_a_meeting_s_page_also_says_its_time_in_the_member_s_own_zone(
    app, client, auth, clock, staff, member
):
    # 23:00 EST on Tuesday 1 December 2026 is 13:00 JST on Wednesday 2 December.
    made = make_event(app, staff.id, now=clock(), in_days=4, starts=time(23, 0), ends=time(23, 45))
    auth.login(member)
    page = client.get(f"/events/{made.first}").get_data(as_text=True)
    assert "In your time zone" not in page  # the site's zone is the event's
    client.post("/account/preferences", data={"locale": "", "timezone": "Asia/Tokyo"})
    page = html.unescape(client.get(f"/events/{made.first}").get_data(as_text=True))
    assert f"Tuesday, 1 December 2026, 11:00{NNBSP}PM–11:45{NNBSP}PM EST (America/New_York)" in page
    assert (
        f"In your time zone: Wednesday, 2 December 2026, 1:00{NNBSP}PM–1:45{NNBSP}PM JST "
        "(Asia/Tokyo)"
    ) in page


def test_the_home_page_s_next_meetings_also_say_the_member_s_own_time(
    app, client, auth, clock, staff, member
):
    made = make_event(app, staff.id, now=clock(), in_days=4, starts=time(23, 0), ends=time(23, 45))
    auth.login(member)
    client.post(f"/events/{made.first}/rsvp")
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert "your time" not in page
    client.post("/account/preferences", data={"locale": "", "timezone": "Asia/Tokyo"})
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert (
        f"Tuesday, 1 December 2026, 11:00{NNBSP}PM–11:45{NNBSP}PM EST (America/New_York) "
        f"(your time: Wednesday, 2 December 2026, 1:00{NNBSP}PM–1:45{NNBSP}PM JST (Asia/Tokyo))"
    ) in page
