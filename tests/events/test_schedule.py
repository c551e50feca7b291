"""Recurrence and time zones: wall-clock times hold across daylight-saving changes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from advocacy.events.errors import ScheduleInvalid
from advocacy.events.recurrence import Repeat
from advocacy.events.scheduling import Schedule, occurrence_times
from tests.support.accounts import Clock
from tests.support.events import make_event
from tests.support.once import event_form


def weekly(first_day: date, until: date) -> Schedule:
    return Schedule(
        first_day=first_day,
        starts=time(18),
        ends=time(19, 30),
        capacity=None,
        repeat=Repeat("weekly", until=until),
    )


def test_weekly_group_keeps_local_time_across_march_dst():
    # America/New_York springs forward on Sunday 8 March 2026.
    times = occurrence_times(weekly(date(2026, 3, 3), date(2026, 3, 17)), "America/New_York")
    starts = [span.starts_at for span in times]
    assert starts == [
        datetime(2026, 3, 3, 23, 0, tzinfo=UTC),  # 18:00 EST = UTC-5
        datetime(2026, 3, 10, 22, 0, tzinfo=UTC),  # 18:00 EDT = UTC-4
        datetime(2026, 3, 17, 22, 0, tzinfo=UTC),
    ]


def test_weekly_group_keeps_local_time_across_november_dst():
    # ...and falls back on Sunday 1 November 2026.
    times = occurrence_times(weekly(date(2026, 10, 27), date(2026, 11, 3)), "America/New_York")
    assert [span.starts_at.hour for span in times] == [22, 23]
    assert all((s.ends_at - s.starts_at).total_seconds() == 90 * 60 for s in times)


def test_a_weekly_series_through_both_2026_changes_keeps_18_00_in_new_york():
    # New York springs forward on 8 March 2026 and falls back on 1 November 2026: 18:00 is
    # 23:00Z in EST (UTC-5) and 22:00Z in EDT (UTC-4); every meeting stays 90 minutes.
    schedule = Schedule(
        first_day=date(2026, 3, 3),
        starts=time(18),
        ends=time(19, 30),
        capacity=None,
        repeat=Repeat("weekly", until=date(2026, 11, 10)),
    )
    times = occurrence_times(schedule, "America/New_York")
    assert len(times) == 37
    hours = {span.starts_at.date(): span.starts_at.hour for span in times}
    assert hours[date(2026, 3, 3)] == 23
    assert hours[date(2026, 3, 10)] == 22
    assert hours[date(2026, 10, 27)] == 22
    assert hours[date(2026, 11, 3)] == 23
    assert hours[date(2026, 11, 10)] == 23
    assert set(hours.values()) == {22, 23}
    assert sum(hour == 23 for hour in hours.values()) == 3  # 3 March, 3 and 10 November
    assert all(span.ends_at - span.starts_at == timedelta(minutes=90) for span in times)
    assert not any(span.moved for span in times)


def test_monthly_skips_months_without_that_date():
    schedule = Schedule(
        first_day=date(2026, 1, 31),
        starts=time(10),
        ends=time(11),
        capacity=None,
        repeat=Repeat("monthly_date", until=date(2026, 5, 31)),
    )
    days = [span.starts_at.date() for span in occurrence_times(schedule, "UTC")]
    assert days == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31)]


def test_a_far_away_zone_is_converted_exactly():
    times = occurrence_times(
        Schedule(first_day=date(2026, 12, 1), starts=time(9), ends=time(10), capacity=None),
        "Asia/Kolkata",
    )
    assert [(span.starts_at, span.ends_at) for span in times] == [
        (datetime(2026, 12, 1, 3, 30, tzinfo=UTC), datetime(2026, 12, 1, 4, 30, tzinfo=UTC))
    ]


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule(first_day=date(2026, 12, 1), starts=time(10), ends=time(9), capacity=None),
        Schedule(
            first_day=date(2026, 12, 1),
            starts=time(10),
            ends=time(11),
            capacity=None,
            repeat=Repeat("weekly"),
        ),
        Schedule(
            first_day=date(2026, 12, 1),
            starts=time(10),
            ends=time(11),
            capacity=None,
            repeat=Repeat("weekly", until=date(2026, 11, 1)),
        ),
    ],
)
def test_impossible_schedules_are_refused(schedule):
    with pytest.raises(ScheduleInvalid):
        occurrence_times(schedule, "Europe/London")


def test_event_page_names_the_zone_and_ics_has_the_right_instants(app, client, auth, staff, member):
    clock = Clock(datetime(2026, 3, 1, 12, tzinfo=UTC))
    app.config["CLOCK"] = clock
    auth.clock = clock
    event = make_event(app, staff.id, now=clock(), in_days=2, recurrence="weekly", weeks=2)
    assert len(event.occurrence_ids) == 3
    auth.login(member)
    before_dst = client.get(f"/events/{event.occurrence_ids[0]}").get_data(as_text=True)
    after_dst = client.get(f"/events/{event.occurrence_ids[1]}").get_data(as_text=True)
    assert "EST (America/New_York)" in before_dst
    assert "EDT (America/New_York)" in after_dst
    assert "6:00" in before_dst
    assert "6:00" in after_dst
    ics = client.get(f"/events/{event.occurrence_ids[1]}.ics")
    assert ics.content_type.startswith("text/calendar")
    entry = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert entry.decoded("dtstart").astimezone(UTC) == datetime(2026, 3, 10, 22, 0, tzinfo=UTC)
    assert entry.decoded("dtend").astimezone(UTC) == datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    assert str(entry["summary"]) == "Tuesday peer circle"


def test_schedule_through_the_form(app, client, auth, clock, staff):
    auth.login(staff)
    day = clock().date()
    form = {
        "title": "Weekly circle",
        "mode": "in_person",
        "area": "Brooklyn",
        "venue": "Back room",
        "timezone": "America/New_York",
        "language": "en",
        "day": date(day.year + 1, 1, 6).isoformat(),
        "starts": "18:00",
        "ends": "19:30",
        "capacity": "8",
        "recurrence": "weekly",
        "until": date(day.year + 1, 1, 27).isoformat(),
    }
    response = client.post("/events/new", data=form)
    assert response.status_code == 303
    listing = client.get("/events").get_data(as_text=True)
    assert "4 meetings" in listing  # the confirmation
    assert listing.count(">Weekly circle</a>") == 4
    assert "Back room" not in listing


def test_schedule_form_keeps_input_on_error(app, client, auth, staff):
    auth.login(staff)
    response = client.post(
        "/events/new",
        data={
            "title": "Kept title",
            "mode": "online",
            "area": "Online",
            "timezone": "Mars/Olympus",
            "language": "en",
            "day": "2030-01-01",
            "starts": "18:00",
            "ends": "17:00",
            "recurrence": "none",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Kept title"' in body
    assert "Choose a time zone from the list" in body
    assert client.get("/events").get_data(as_text=True).count("Kept title") == 0


def test_one_meeting_is_said_in_the_singular(app, client, auth, clock, staff):
    auth.login(staff)
    form = {**event_form(clock()), "title": "One evening"}
    assert client.post("/events/new", data=form).status_code == 303
    page = client.get("/events").get_data(as_text=True)
    assert "Scheduled “One evening”: 1 meeting." in page
    assert "1 meetings" not in page


def test_a_meeting_in_the_spring_forward_gap_moves_forward_and_staff_are_told(
    app, client, auth, staff
):
    # 8 March 2026, New York: 02:00 EST becomes 03:00 EDT, so 02:30 never happens. RFC 5545
    # §3.3.5 reads it at the offset before the change: 07:30Z, 3:30 AM EDT, to 4:00 AM EDT.
    clock = Clock(datetime(2026, 3, 1, 12, tzinfo=UTC))
    app.config["CLOCK"] = clock
    auth.clock = clock
    auth.login(staff)
    form = {**event_form(clock()), "day": "2026-03-08", "starts": "02:30", "ends": "03:00"}
    response = client.post("/events/new", data=form, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert (
        "2:30\u202fAM doesn’t happen on 8 March 2026 in America/New_York (the clocks go "
        "forward), so that meeting starts at 3:30\u202fAM instead and keeps its length."
    ) in page.replace("&#39;", "’").replace("'", "’")
    assert "3:30\u202fAM–4:00\u202fAM EDT (America/New_York)" in page
    assert "3:30\u202fAM–3:00\u202fAM" not in page
    occurrence_id = int(response.request.path.rsplit("/", 1)[1])
    entry = Calendar.from_ical(client.get(f"/events/{occurrence_id}.ics").data).walk("VEVENT")[0]
    assert entry.decoded("dtstart").astimezone(UTC) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert entry.decoded("dtend").astimezone(UTC) == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)


def test_an_ordinary_time_leaves_no_note(app, client, auth, clock, staff):
    auth.login(staff)
    page = client.post("/events/new", data=event_form(clock()), follow_redirects=True)
    assert "the clocks go forward" not in page.get_data(as_text=True)
