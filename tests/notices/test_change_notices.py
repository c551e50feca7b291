"""Notices that say what changed (issue 14, point 5).

Rules: a change notice says old → new for the time (in the event's own zone) and the
title; only *that* the place or the meeting link changed, never the venue text (people on
the waiting list get it too: DESIGN §1, §3 Events); the public area may be said. One
notice per person per save, none when nothing they are told about changed, none for
anyone without an RSVP. A cancellation carries the reason staff gave, if any (none
given: none said), and keeps its meeting's instant in UTC whatever the server's own zone;
counts are said with ngettext.
"""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from itertools import combinations

import pytest
from flask import current_app

from advocacy.events import rsvps
from advocacy.events import scheduling as event_scheduling
from advocacy.events.recurrence import Repeat
from advocacy.notices.services import message_for, notify
from tests.support.event_rules import NOW, details, notices_of, person
from tests.support.event_rules import server_in_tokyo as server_in_tokyo  # noqa: PLC0414
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)

pytestmark = pytest.mark.usefixtures("session")
LATER = NOW + timedelta(hours=3)
CANARY = "VENUE-CANARY Room 7, 12 Hidden Lane"


def said(notice) -> str:
    """The notice as an English reader sees it."""
    with current_app.test_request_context():
        return message_for(notice)


def new_york_event(*, weeks: int = 0, title: str = "Evening circle", by: str = "maple"):
    """Meetings at 18:00–19:00 in New York from Tuesday 1 December 2026, weekly if asked
    (scheduled by a new staff account named `by`)."""
    return event_scheduling.schedule_event(
        person(by, "staff"),
        details(title, timezone="America/New_York", venue=CANARY),
        event_scheduling.Schedule(
            first_day=date(2026, 12, 1),
            starts=time(18),
            ends=time(19),
            capacity=5,
            repeat=Repeat("weekly", until=date(2026, 12, 1) + timedelta(weeks=weeks))
            if weeks
            else None,
        ),
        now=NOW,
    )


def test_a_moved_meeting_says_old_and_new_time_in_the_events_zone():
    event = new_york_event()
    member = person("ash")
    rsvps.rsvp(member, event.occurrences[0].id, now=NOW)
    event_scheduling.change_occurrence(
        event.occurrences[0].id,
        day=date(2026, 12, 2),
        starts=time(19),
        ends=time(20),
        capacity=5,
        now=LATER,
    )
    (notice,) = notices_of(member)
    assert said(notice) == (
        "“Evening circle” has changed. Time: Tuesday 1 Dec 6:00\u202fPM → Wednesday 2 Dec "
        "7:00\u202fPM (America/New_York)."
    )
    assert notice.link == f"/events/{event.occurrences[0].id}"
    assert "CANARY" not in json.dumps(notice.params)


def test_a_longer_meeting_says_its_new_end_and_a_same_time_save_says_nothing():
    event = new_york_event()
    member = person("ash")
    occurrence_id = event.occurrences[0].id
    rsvps.rsvp(member, occurrence_id, now=NOW)
    same = {"day": date(2026, 12, 1), "starts": time(18), "capacity": 5, "now": LATER}
    event_scheduling.change_occurrence(occurrence_id, ends=time(19), **same)
    assert notices_of(member) == []
    event_scheduling.change_occurrence(occurrence_id, ends=time(20, 30), **same)
    (notice,) = notices_of(member)
    assert said(notice) == (
        "“Evening circle” has changed. Ends: Tuesday 1 Dec 7:00\u202fPM → "
        "Tuesday 1 Dec 8:30\u202fPM (America/New_York)."
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"title": "Morning circle"}, "Title: “Evening circle” → “Morning circle”."),
        ({"area": "Queens"}, "Area: Brooklyn → Queens."),
        ({"venue": "Room 9"}, "The place changed."),
        ({"is_online": True, "venue": "https://meet.example/abc"}, "It is now online."),
    ],
)
def test_each_detail_change_is_said(change, words):
    event = new_york_event()
    member = person("ash")
    rsvps.rsvp(member, event.occurrences[0].id, now=NOW)
    fields = {"timezone": "America/New_York", "venue": CANARY} | change
    event_scheduling.update_event(event, details(**{"title": "Evening circle"} | fields), now=LATER)
    (notice,) = notices_of(member)
    assert words in said(notice)
    assert said(notice).startswith(f"“{event.title}” has changed. ")


def test_a_new_meeting_link_is_said_to_have_changed_never_shown():
    event = new_york_event()
    member = person("ash")
    rsvps.rsvp(member, event.occurrences[0].id, now=NOW)
    online = {"timezone": "America/New_York", "is_online": True}
    event_scheduling.update_event(
        event, details("Evening circle", venue="https://meet.example/one", **online), now=NOW
    )
    event_scheduling.update_event(
        event, details("Evening circle", venue="https://meet.example/two", **online), now=LATER
    )
    words = [said(notice) for notice in notices_of(member)]
    assert words == [
        "“Evening circle” has changed. It is now online. The meeting link changed.",
        "“Evening circle” has changed. The meeting link changed.",
    ]
    assert not any("meet.example" in text for text in words)


def test_a_meeting_back_in_person_says_so_and_that_the_place_changed():
    event = new_york_event()
    member = person("ash")
    rsvps.rsvp(member, event.occurrences[0].id, now=NOW)
    link = "https://meet.example/one"
    online = details("Evening circle", timezone="America/New_York", is_online=True, venue=link)
    event_scheduling.update_event(event, online, now=NOW)
    in_person = details("Evening circle", timezone="America/New_York", venue=CANARY)
    event_scheduling.update_event(event, in_person, now=LATER)
    _online, back = notices_of(member)
    assert back.params["changes"] == [{"what": "in_person"}, {"what": "place"}]
    assert said(back) == "“Evening circle” has changed. It is now in person. The place changed."


# Every combination of the details a notice speaks of, changed in one save.
DETAIL_CHANGES = {
    "title": {"title": "Renamed circle"},
    "area": {"area": "Queens"},
    "online": {"is_online": True},
    "venue": {"venue": "Room 9, 40 Other Street"},
}
SAVES = [
    names for size in range(len(DETAIL_CHANGES) + 1) for names in combinations(DETAIL_CHANGES, size)
]


@pytest.mark.parametrize("names", SAVES, ids=lambda names: "+".join(names) or "nothing")
def test_one_notice_per_person_per_save_and_never_the_venue(names):
    event = new_york_event(weeks=2)  # three meetings
    confirmed, waiting, browsing = person("ash"), person("birch"), person("cedar")
    event.occurrences[0].capacity = 1
    for occurrence in event.occurrences:  # each has an RSVP to every meeting
        for who in (confirmed, waiting):
            rsvps.rsvp(who, occurrence.id, now=NOW)
    fields = {"title": "Evening circle", "timezone": "America/New_York", "venue": CANARY}
    for name in names:
        fields |= DETAIL_CHANGES[name]
    event_scheduling.update_event(event, details(**fields), now=LATER)
    for who in (confirmed, waiting):
        notices = notices_of(who)
        assert len(notices) == (1 if names else 0)
        for notice in notices:
            words = said(notice)
            assert "CANARY" not in words
            assert "CANARY" not in json.dumps(notice.params)
            assert "40 Other Street" not in words + json.dumps(notice.params)
            assert notice.link == f"/events/{event.occurrences[0].id}"
            lines = {
                "title": "Title: “Evening circle” → “Renamed circle”.",
                "area": "Area: Brooklyn → Queens.",
                "online": "It is now online.",
            }
            for name, line in lines.items():
                assert (line in words) == (name in names), (name, words)
            link_or_place = "The meeting link changed." in words or "The place changed." in words
            assert link_or_place == ("venue" in names)
    assert notices_of(browsing) == []


def test_a_description_change_tells_nobody_and_no_rsvp_no_notice():
    event = new_york_event()
    member, browsing = person("ash"), person("birch")
    rsvps.rsvp(member, event.occurrences[0].id, now=NOW)
    event_scheduling.update_event(
        event,
        details(
            "Evening circle", timezone="America/New_York", venue=CANARY, description="New words"
        ),
        now=LATER,
    )
    assert notices_of(member) == []
    event_scheduling.update_event(
        event, details("Renamed", timezone="America/New_York", venue=CANARY), now=LATER
    )
    assert len(notices_of(member)) == 1
    assert notices_of(browsing) == []


def test_a_cancellation_gives_the_reason_or_says_it_plainly():
    with_reason, without = new_york_event(title="Tuesday circle"), new_york_event(by="oak")
    member = person("ash")
    rsvps.rsvp(member, with_reason.occurrences[0].id, now=NOW)
    rsvps.rsvp(member, without.occurrences[0].id, now=NOW)
    event_scheduling.cancel_occurrence(
        with_reason.occurrences[0].id, now=LATER, reason="  The room flooded.  "
    )
    event_scheduling.cancel_occurrence(without.occurrences[0].id, now=LATER, reason="   ")
    first, second = notices_of(member)
    assert said(first) == (
        "“Tuesday circle” on Tuesday 1 Dec 6:00\u202fPM (America/New_York) has been cancelled. "
        "The reason given: The room flooded."
    )
    assert said(second) == (
        "“Evening circle” on Tuesday 1 Dec 6:00\u202fPM (America/New_York) has been cancelled."
    )
    assert second.params == {
        "title": "Evening circle",
        "starts_at": "2026-12-01T23:00:00+00:00",
        "zone": "America/New_York",
    }


def test_a_cancellation_left_before_its_instant_was_kept_reads_the_same_way():
    """Older notices hold `when`, the wall clock in the event's zone as text: said as the
    new ones are, and any text not in that shape shown as it was stored."""
    member = person("ash")
    older = notify(
        member.id,
        "event_cancelled",
        now=NOW,
        title="Circle",
        when="2026-12-01 18:00 (America/New_York)",
    )
    odd = notify(member.id, "event_cancelled", now=NOW, title="Circle", when="next Tuesday")
    assert said(older) == (
        "“Circle” on Tuesday 1 Dec 6:00\u202fPM (America/New_York) has been cancelled."
    )
    assert said(odd) == "“Circle” on next Tuesday has been cancelled."


def test_cancelling_a_series_tells_each_person_once_with_a_plural_count():
    event = new_york_event(weeks=3)  # 1, 8, 15 and 22 December
    one, three, none = person("ash"), person("birch"), person("cedar")
    rsvps.rsvp(one, event.occurrences[2].id, now=NOW)
    for occurrence in event.occurrences[1:]:
        rsvps.rsvp(three, occurrence.id, now=NOW)
    assert event_scheduling.cancel_series(event, now=NOW, reason="Funding ended.") == 4
    (single,) = notices_of(one)
    (plural,) = notices_of(three)
    assert said(single) == (
        "“Evening circle” is cancelled from Tuesday 15 Dec 6:00\u202fPM (America/New_York) on: 1 "
        "meeting you had an RSVP for will not happen. The reason given: Funding ended."
    )
    assert said(plural) == (
        "“Evening circle” is cancelled from Tuesday 8 Dec 6:00\u202fPM (America/New_York) on: "
        "the 3 meetings you had an RSVP for will not happen. The reason given: Funding ended."
    )
    assert (single.link, plural.link) == (
        f"/events/{event.occurrences[2].id}",
        f"/events/{event.occurrences[1].id}",
    )
    assert notices_of(none) == []
    assert event_scheduling.cancel_series(event, now=NOW) == 0  # again: nobody told twice
    assert len(notices_of(three)) == 1


def test_an_older_change_notice_without_changes_still_reads():
    member = person("ash")
    notice = notify(member.id, "event_changed", now=NOW, title="Circle")
    assert said(notice) == "“Circle” has changed. Please check the new details."


@pytest.mark.usefixtures("server_in_tokyo")
def test_a_series_cancelled_without_a_reason_says_none_and_keeps_its_instant_in_utc():
    event = new_york_event(weeks=1)  # 1 and 8 December, 18:00 in New York (23:00 UTC)
    member = person("ash")
    rsvps.rsvp(member, event.occurrences[1].id, now=NOW)
    assert event_scheduling.cancel_series(event, now=NOW) == 2
    (notice,) = notices_of(member)
    assert notice.params == {
        "title": "Evening circle",
        "starts_at": "2026-12-08T23:00:00+00:00",
        "zone": "America/New_York",
        "num": "1",
    }
    assert said(notice) == (
        "“Evening circle” is cancelled from Tuesday 8 Dec 6:00\u202fPM (America/New_York) on: 1 "
        "meeting you had an RSVP for will not happen."
    )
