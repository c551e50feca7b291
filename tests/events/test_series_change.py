"""Staff change every meeting of a series still to come at once (issue 14, point 6): the
same wall-clock hours on each meeting's own day and the same places; where places grow,
those waiting longest get them and are told; each person with an RSVP is told once, old
hours → new. Meetings that have started (from their start instant on) or were cancelled
stay as they were; with none still to come, or a new start not after now, nothing
changes and the refusal says why. Days and hours are the event's own zone's, never the
server's."""

from datetime import UTC, datetime, time, timedelta

import pytest
from flask import current_app

from advocacy.events import errors, rsvps, scheduling
from advocacy.events.models import Event
from advocacy.extensions import db
from advocacy.notices.services import message_for
from tests.support.accounts import make_account
from tests.support.event_rules import NOW, notices_of, person, shown, weekly_series
from tests.support.event_rules import server_in_tokyo as server_in_tokyo  # noqa: PLC0414
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)
from tests.support.events import make_event

HOURS = "Every meeting still to come: 6:00\u202fPM–7:00\u202fPM → 7:00\u202fPM–8:30\u202fPM (UTC)."


def said(notice) -> str:
    with current_app.test_request_context():
        return message_for(notice)


@pytest.mark.usefixtures("session")
def test_new_hours_and_places_for_every_meeting_still_to_come():
    meetings = weekly_series(person("maple", "staff"), meetings=4, capacity=1)
    event = db.session.get(Event, meetings[0].event_id)
    holder, waiting, other = person("ash"), person("birch"), person("cedar")
    rsvps.rsvp_series(holder, event.id, now=NOW)
    rsvps.rsvp(waiting, meetings[3].id, now=NOW)  # waits for the last meeting
    rsvps.rsvp(other, meetings[0].id, now=NOW)  # waits for the first one only
    scheduling.cancel_occurrence(meetings[2].id, now=NOW)
    started = meetings[0].starts_at + timedelta(minutes=10)  # the first is under way
    spans = scheduling.change_series(
        event, starts=time(19), ends=time(20, 30), capacity=2, now=started
    )
    # The two still to come (the second, the fourth), each on its own day (UTC here).
    day = meetings[0].starts_at.date()
    assert [(s.starts_at, s.ends_at) for s in spans] == [
        (datetime.combine(day + timedelta(weeks=n), time(19), UTC),
         datetime.combine(day + timedelta(weeks=n), time(20, 30), UTC))
        for n in (1, 3)
    ]  # fmt: skip
    assert (meetings[0].starts_at.time(), meetings[0].capacity) == (time(18), 1)  # started
    assert (meetings[2].starts_at.time(), meetings[2].is_cancelled) == (time(18), True)
    assert [meetings[n].capacity for n in (1, 3)] == [2, 2]
    # The place that grew went to the one waiting, who is told.
    assert rsvps.rsvp_of(waiting.id, meetings[3].id).status == "confirmed"
    assert [n.kind for n in notices_of(waiting)] == ["waitlist_promoted", "event_changed"]
    # One change notice each, saying the hours old → new; none for a meeting under way.
    changed = [n for n in notices_of(holder) if n.kind == "event_changed"]
    assert [said(n) for n in changed] == [f"“Circle” has changed. {HOURS}"]
    assert [n.kind for n in notices_of(other)] == []


@pytest.mark.usefixtures("session")
def test_places_alone_change_nothing_anyone_is_told_of():
    meetings = weekly_series(person("maple", "staff"), meetings=2, capacity=1)
    member = person("ash")
    rsvps.rsvp_series(member, meetings[0].event_id, now=NOW)
    event = db.session.get(Event, meetings[0].event_id)
    scheduling.change_series(event, starts=time(18), ends=time(19), capacity=None, now=NOW)
    assert [m.capacity for m in meetings] == [None, None]
    assert notices_of(member) == []


@pytest.mark.usefixtures("session")
def test_an_end_before_the_start_is_refused():
    meetings = weekly_series(person("maple", "staff"), meetings=2, capacity=1)
    event = db.session.get(Event, meetings[0].event_id)
    with pytest.raises(errors.ScheduleInvalid) as refused:
        scheduling.change_series(event, starts=time(19), ends=time(19), capacity=1, now=NOW)
    assert shown(refused) == "The end time must be after the start time."
    assert [m.starts_at.time() for m in meetings] == [time(18), time(18)]


@pytest.mark.usefixtures("session")
def test_a_meeting_starting_that_instant_has_started_and_stays_as_it_was():
    meetings = weekly_series(person("maple", "staff"), meetings=2, capacity=1)
    event = db.session.get(Event, meetings[0].event_id)
    first_starts = meetings[0].starts_at  # Sunday 29 November, 18:00 UTC
    spans = scheduling.change_series(
        event, starts=time(18), ends=time(19, 30), capacity=1, now=first_starts
    )
    assert [(s.starts_at, s.ends_at) for s in spans] == [
        (datetime(2026, 12, 6, 18, tzinfo=UTC), datetime(2026, 12, 6, 19, 30, tzinfo=UTC))
    ]
    assert meetings[0].ends_at == datetime(2026, 11, 29, 19, tzinfo=UTC)
    with pytest.raises(errors.EventNotOpen) as refused:
        scheduling.change_series(
            event, starts=time(19), ends=time(20), capacity=1, now=meetings[1].starts_at
        )
    assert shown(refused) == "No meeting of this event is still to come."
    assert meetings[1].starts_at == datetime(2026, 12, 6, 18, tzinfo=UTC)


@pytest.mark.usefixtures("session")
def test_a_new_start_at_the_very_instant_is_refused_and_nothing_moves():
    meetings = weekly_series(person("maple", "staff"), meetings=2, capacity=1)
    event = db.session.get(Event, meetings[0].event_id)
    an_hour_before = meetings[0].starts_at - timedelta(hours=1)  # 17:00 UTC
    with pytest.raises(errors.ScheduleInvalid) as refused:
        scheduling.change_series(
            event, starts=time(17), ends=time(18), capacity=1, now=an_hour_before
        )
    assert shown(refused) == "The meeting must be in the future."
    assert [m.starts_at.time() for m in meetings] == [time(18), time(18)]


@pytest.mark.usefixtures("session", "server_in_tokyo")
def test_the_event_s_zone_not_the_server_s_sets_each_day_and_the_hours_said():
    meetings = weekly_series(person("maple", "staff"), meetings=2, capacity=1)  # UTC
    event = db.session.get(Event, meetings[0].event_id)
    member = person("ash")
    rsvps.rsvp_series(member, event.id, now=NOW)
    # 18:00 UTC on Sunday 29 November is already Monday 03:00 in Tokyo.
    scheduling.change_series(event, starts=time(18), ends=time(19), capacity=1, now=NOW)
    assert notices_of(member) == []  # the same hours: nothing to tell
    spans = scheduling.change_series(event, starts=time(8), ends=time(9), capacity=1, now=NOW)
    assert [(s.starts_at, s.ends_at) for s in spans] == [
        (datetime(2026, 11, 29, 8, tzinfo=UTC), datetime(2026, 11, 29, 9, tzinfo=UTC)),
        (datetime(2026, 12, 6, 8, tzinfo=UTC), datetime(2026, 12, 6, 9, tzinfo=UTC)),
    ]
    (notice,) = notices_of(member)
    assert said(notice) == (
        "“Circle” has changed. Every meeting still to come: 6:00\u202fPM–7:00\u202fPM → "
        "8:00\u202fAM–9:00\u202fAM (UTC)."
    )


def test_staff_change_the_series_from_its_page(app, client, auth, clock, staff):
    series = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=2)
    single = make_event(app, staff.id, now=clock(), title="Once")
    auth.login(staff)
    assert "Every meeting still to come" not in client.get(f"/events/{single.first}/edit").text
    page = client.get(f"/events/{series.first}/edit").text
    assert "The same hours and places for all 3 meetings, each on its own day." in page
    form = {"part": "series", "series-starts": "19:00", "series-ends": "18:00"}
    refused = client.post(f"/events/{series.first}/edit", data=form)
    assert refused.status_code == 400
    assert "The end time must be after the start time." in refused.text
    form["series-ends"] = "20:00"
    done = client.post(f"/events/{series.first}/edit", data=form, follow_redirects=True)
    assert "3 meetings still to come are updated." in done.text
    assert "7:00\u202fPM–8:00\u202fPM EST (America/New_York)" in done.text


def test_only_those_who_run_it_change_a_series(app, client, auth, clock, staff):
    series = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=2)
    auth.login(make_account(app, "birch-staff", role="staff"))
    form = {"part": "series", "series-starts": "19:00", "series-ends": "20:00"}
    assert client.post(f"/events/{series.first}/edit", data=form).status_code == 404
