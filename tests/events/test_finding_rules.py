"""Finding meetings at the service level: the list's edges, statuses, program meetings.

Rules: the list shows meetings that have not ended and are not cancelled, soonest first
(at the same time: the meeting made first, whatever way the database reads the rows),
20 a page (one more row tells whether there is a next page); "this week" is today and
the 6 days after in the viewer's own zone, today too; program meetings are seen only by
the program's members and by staff (with no programs domain registered: none, and the
home list still has the member's RSVPs). A series' counts are its meetings not started
and the member's RSVPs to them; one calendar file for a whole series carries the venue
for staff while a meeting is left, for a member only with a confirmed place at every
meeting not yet ended, and for nobody once none is left.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import literal, select, text

from advocacy.events import errors, finding, rsvps
from advocacy.events.models import Event
from advocacy.extensions import db
from advocacy.programs import catalog
from advocacy.programs import services as programs
from tests.support.event_rules import NOW, meeting, person, shown, weekly_series
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)

pytestmark = pytest.mark.usefixtures("session")
SECOND = timedelta(seconds=1)
EVERYTHING = finding.Filters()


def titles(rows) -> list[str]:
    return [event.title for _, event in rows]


def test_a_meeting_leaves_the_list_when_it_ends():
    staff, member = person("maple", "staff"), person("ash")
    occurrence = meeting(staff, title="Circle")
    assert titles(finding.upcoming_page(occurrence.ends_at - SECOND, EVERYTHING, None, member)) == [
        "Circle"
    ]
    assert finding.upcoming_page(occurrence.ends_at, EVERYTHING, None, member) == []


def test_the_next_seven_days_are_whole_local_days():
    # NOW is Friday 27 November 2026, 07:00 in New York (the site's zone): today and the
    # six days after it end as Friday 4 December begins there, 05:00 UTC (UTC-5).
    staff, member = person("maple", "staff"), person("ash")
    meeting(staff, starts=datetime(2026, 12, 4, 4, 59, 59, tzinfo=UTC), title="Inside")
    meeting(staff, starts=datetime(2026, 12, 4, 5, 0, tzinfo=UTC), title="Edge")
    week = finding.Filters(this_week=True)
    assert titles(finding.upcoming_page(NOW, week, None, member)) == ["Inside"]
    assert titles(finding.upcoming_page(NOW, EVERYTHING, None, member)) == ["Inside", "Edge"]
    # For a member who sees days in Tokyo (UTC+9) it is Friday 27 November, 21:00: their
    # week ends as Friday 4 December begins there, Thursday 3 December 15:00 UTC.
    meeting(staff, starts=datetime(2026, 12, 3, 14, 59, 59, tzinfo=UTC), title="Tokyo's last")
    member.timezone = "Asia/Tokyo"
    assert titles(finding.upcoming_page(NOW, week, None, member)) == ["Tokyo's last"]


def test_this_week_begins_on_the_viewer_s_own_today():
    # 20:00 UTC on Friday 27 November is 15:00 that Friday in New York (the site's zone),
    # but 05:00 on Saturday 28 November in Tokyo: a member there has today and the six
    # days after, until Saturday 5 December begins there (Friday 4 December, 15:00 UTC).
    evening = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    staff, member = person("maple", "staff"), person("ash")
    member.timezone = "Asia/Tokyo"
    meeting(staff, starts=datetime(2026, 12, 4, 14, 59, 59, tzinfo=UTC), title="Friday there")
    meeting(staff, starts=datetime(2026, 12, 4, 15, 0, tzinfo=UTC), title="Saturday there")
    week = finding.Filters(this_week=True)
    assert titles(finding.upcoming_page(evening, week, None, member)) == ["Friday there"]


def test_a_page_is_twenty_and_one_more_row_says_there_is_more():
    staff, member = person("maple", "staff"), person("ash")
    for hour in range(22):
        meeting(staff, starts=NOW + timedelta(days=1, minutes=10 * hour), title=f"M{hour:02}")
    page = finding.upcoming_page(NOW, EVERYTHING, None, member)
    assert titles(page) == [f"M{hour:02}" for hour in range(21)]
    last = page[19][0]
    rest = finding.upcoming_page(NOW, EVERYTHING, (last.starts_at, last.id), member)
    assert titles(rest) == ["M20", "M21"]


def test_meetings_at_the_same_time_page_by_id():
    staff, member = person("maple", "staff"), person("ash")
    same = NOW + timedelta(days=1)
    first, second, third = (meeting(staff, starts=same, title=t) for t in ("A", "B", "C"))
    after_first = finding.upcoming_page(NOW, EVERYTHING, (same, first.id), member)
    assert titles(after_first) == ["B", "C"]
    assert titles(finding.upcoming_page(NOW, EVERYTHING, (same, third.id), member)) == []
    assert second.id > first.id


def test_the_next_page_never_goes_back_to_sooner_meetings_made_later():
    staff, member = person("maple", "staff"), person("ash")
    later = meeting(staff, starts=NOW + timedelta(days=3), title="Later, made first")
    meeting(staff, starts=NOW + timedelta(days=1), title="Sooner, made second")
    assert finding.upcoming_page(NOW, EVERYTHING, (later.starts_at, later.id), member) == []


def test_statuses_for_nothing_is_empty_and_only_mine():
    staff, member, other = person("maple", "staff"), person("ash"), person("birch")
    occurrence = meeting(staff, capacity=1)
    rsvps.rsvp(other, occurrence.id, now=NOW)
    rsvps.rsvp(member, occurrence.id, now=NOW)
    assert finding.statuses_for(member.id, []) == {}
    assert finding.statuses_for(member.id, [occurrence.id]) == {occurrence.id: "waitlisted"}
    assert finding.statuses_for(other.id, [occurrence.id]) == {occurrence.id: "confirmed"}
    elsewhere = meeting(staff, title="Elsewhere")
    rsvps.rsvp(member, elsewhere.id, now=NOW)
    assert finding.statuses_for(member.id, [occurrence.id]) == {occurrence.id: "waitlisted"}


def test_the_programs_domain_says_who_belongs(monkeypatch):
    monkeypatch.setattr(finding, "_program_membership", None)
    monkeypatch.setattr(finding, "_program_places", None)
    assert finding.visible_programs(5) is None
    assert finding.program_places(7) == []
    finding.register_program_membership(
        lambda account_id: f"programs of {account_id}",
        lambda program_id: select(literal(program_id * 10)),
    )
    assert finding.visible_programs(5) == "programs of 5"
    assert finding.program_places(7) == [70]


def test_program_meetings_for_members_and_staff_only():
    staff, member, outsider = person("maple", "staff"), person("ash"), person("birch")
    program = catalog.create_program(
        staff,
        catalog.ProgramDetails(
            title="Healing together",
            kind="healing",
            summary="Peer support.",
            description="We meet weekly.",
            capacity=5,
            enrollment_opens_on=NOW.date() - timedelta(days=1),
            enrollment_closes_on=NOW.date() + timedelta(days=20),
            starts_on=NOW.date() + timedelta(days=21),
            ends_on=NOW.date() + timedelta(days=80),
            needs_approval=False,
            status="open",
        ),
        now=NOW,
    )
    occurrence = meeting(staff, title="Program meeting")
    occurrence.event.program_id = program.id
    open_one = meeting(staff, starts=NOW + timedelta(days=3), title="Open circle")
    programs.enroll(member, program.id, now=NOW)
    db.session.flush()
    for viewer, seen in (
        (member, ["Program meeting", "Open circle"]),
        (staff, ["Program meeting", "Open circle"]),
        (outsider, ["Open circle"]),
    ):
        assert titles(finding.upcoming_page(NOW, EVERYTHING, None, viewer)) == seen
        found = finding.get_occurrence(occurrence.id, viewer)
        assert (found is not None) is (seen[0] == "Program meeting")
    assert finding.get_occurrence(open_one.id, outsider)[1].title == "Open circle"
    # The place in the program is the RSVP: no separate RSVP to its meetings.
    with pytest.raises(errors.EventNotOpen) as refused:
        rsvps.rsvp(member, occurrence.id, now=NOW)
    assert shown(refused) == "This is a program meeting: your place in the program is your RSVP."
    assert rsvps.take_place(occurrence.id) is True  # the refusal took no place
    assert db.session.scalar(select(Event.program_id).where(Event.id == occurrence.event_id))


def test_meetings_at_the_same_time_stay_in_the_order_made_after_an_rsvp_changes_one():
    staff, member = person("maple", "staff"), person("ash")
    same = NOW + timedelta(days=1)
    first, second, third = (meeting(staff, starts=same, title=t) for t in ("A", "B", "C"))
    # An RSVP counts a place: PostgreSQL writes A's row anew, after C's, and with
    # statistics gathered (ANALYZE) reads the small table whole, in that order, and sorts.
    rsvps.rsvp(person("birch"), first.id, now=NOW)
    db.session.execute(text("ANALYZE"))
    assert titles(finding.upcoming_page(NOW, EVERYTHING, None, member)) == ["A", "B", "C"]
    after_first = finding.upcoming_page(NOW, EVERYTHING, (same, first.id), member)
    assert titles(after_first) == ["B", "C"]


def test_the_home_page_s_next_meetings_include_the_member_s_programs():
    from tests.support.program_rules import meeting as program_meeting
    from tests.support.program_rules import program

    staff, member, waiting = person("maple", "staff"), person("ash"), person("birch")
    healing = program(staff, capacity=1)
    in_two, in_five = (program_meeting(staff, healing, in_days=days) for days in (2, 5))
    cancelled = program_meeting(staff, healing, in_days=1)
    cancelled.is_cancelled = True
    open_one = meeting(staff, starts=NOW + timedelta(days=3), title="Open circle")
    programs.enroll(member, healing.id, now=NOW)  # the one place
    programs.enroll(waiting, healing.id, now=NOW)  # the waiting list
    rsvps.rsvp(member, open_one.id, now=NOW)
    db.session.flush()
    rows = finding.my_upcoming(member.id, NOW, limit=5)
    # A place in the program stands for an RSVP to each of its meetings (not cancelled).
    assert [(occurrence.id, status) for occurrence, _event, status in rows] == [
        (in_two.id, "program"),
        (open_one.id, "confirmed"),
        (in_five.id, "program"),
    ]
    assert finding.my_upcoming(member.id, NOW, limit=1)[0][0].id == in_two.id
    # Waiting for a place in the program is not a place: none of its meetings.
    assert finding.my_upcoming(waiting.id, NOW) == []


def test_with_no_programs_domain_the_home_list_still_has_the_member_s_rsvps(monkeypatch):
    monkeypatch.setattr(finding, "_program_membership", None)
    member = person("ash")
    occurrence = meeting(person("maple", "staff"))
    rsvps.rsvp(member, occurrence.id, now=NOW)
    rows = finding.my_upcoming(member.id, NOW)
    assert [(o.id, status) for o, _event, status in rows] == [(occurrence.id, "confirmed")]


def test_a_series_counts_its_meetings_not_started_and_the_member_s_rsvps_to_them():
    meetings = weekly_series(person("maple", "staff"), meetings=3, capacity=None)
    event_id, member = meetings[0].event_id, person("ash")
    for occurrence in meetings[:2]:
        rsvps.rsvp(member, occurrence.id, now=NOW)
    assert finding.series_counts(member.id, event_id, NOW) == (3, 2)
    assert finding.series_counts(member.id, event_id, meetings[0].starts_at) == (2, 1)
    assert finding.series_counts(person("birch").id, event_id, NOW) == (3, 0)


def test_a_series_file_carries_the_venue_only_while_a_meeting_is_left():
    staff, member = person("maple", "staff"), person("ash")
    meetings = weekly_series(staff, meetings=2, capacity=1)
    event = db.session.get(Event, meetings[0].event_id)
    rsvps.rsvp(person("birch"), meetings[0].id, now=NOW)  # the first meeting's one place
    for occurrence in meetings:  # the member waits for the first, has the second's place
        rsvps.rsvp(member, occurrence.id, now=NOW)
    first_ends, last_ends = meetings[0].ends_at, meetings[1].ends_at
    assert finding.may_see_series_venue(member, event, first_ends - SECOND) is False
    # From the instant the first ends, the one meeting left is one they have a place at.
    assert finding.may_see_series_venue(member, event, first_ends) is True
    assert finding.may_see_series_venue(staff, event, first_ends) is True
    assert finding.may_see_series_venue(member, event, last_ends) is False
    assert finding.may_see_series_venue(staff, event, last_ends) is False
