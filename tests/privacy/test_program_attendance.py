"""Attendance at a program's meetings is part of the member's place (issue 13's rosters).

The rule, written here from DESIGN §4 and the roster ("came to 3 of 8 meetings", on which
staff decide completion): attendance at a program's meetings is kept with the places,
365 days after the program's last day (gone from the first second of the 366th day in
the site's calendar, New York's),
however long ago each meeting ended; it goes at once when the member withdraws, and with
the account. An RSVP to an event outside programs still goes 30 days after the event ends
(kept at exactly 30 days, gone a second later). The account page counts the two apart,
the export shows them apart, and /privacy says the same as the purge.

The exact seconds of every rule, and the hypothesis properties over ages:
test_retention_edges.py, test_retention_properties.py (tests/support/retention.py).
Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time, timedelta
from html import unescape

import pytest
from sqlalchemy import delete, func, select

from advocacy.events import rsvps as event_rsvps
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.programs import attendance, catalog
from advocacy.programs import services as programs
from advocacy.programs.models import Enrollment, Program
from tests.privacy.test_purge_accounts import held_items
from tests.support.accounts import make_account
from tests.support.events import make_event
from tests.support.programs import make_program
from tests.support.purge import DAY, T0, account, keep_signed_in, person, purge_at
from tests.support.reports import all_counts
from tests.support.retention import SITE

SECOND = timedelta(seconds=1)
ATTENDANCE = "Program meetings with your attendance recorded (came or not)"
PLACES = "Places in programs, with completion"
RSVPS = "RSVPs to events"


def eight_weeks(app, staff_id: int, members: list[int], came: dict[int, int]) -> int:
    """A program of 60 days with 8 weekly meetings from T0 + 2 days; each member has a
    place and came to the first `came[member]` meetings (attendance recorded for all 8,
    each the day after it met). Return the program's id."""
    made = make_program(app, staff_id, now=T0, meetings=8, starts_in=1, ends_in=60)
    with app.app_context():
        for member in members:
            programs.enroll(account(member), made.id, now=T0)
        for number, meeting in enumerate(made.meeting_ids):
            starts = db.session.get(Occurrence, meeting).starts_at
            present = {member for member in members if number < came[member]}
            attendance.record_attendance(made.id, meeting, present, now=starts + DAY)
        db.session.commit()
    return made.id


def roster(app, program_id: int) -> dict[int, tuple[int, int]]:
    """account id -> (came, recorded), as the roster says it."""
    with app.app_context():
        return {
            line.enrollment.account_id: (line.came, line.recorded)
            for line in attendance.roster_lines(program_id)
        }


def last_day(app, program_id: int):
    with app.app_context():
        return db.session.get(Program, program_id).ends_on


def attendance_rows(app, account_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Rsvp).where(Rsvp.account_id == account_id)
        )


def test_the_roster_keeps_came_to_3_of_8_until_365_days_after_the_program(app, clock):
    staff = make_account(app, "maple-staff", role="staff").id
    ash, birch = person(app, "ash-member"), person(app, "birch-member")
    program_id = eight_weeks(app, staff, [ash, birch], came={ash: 3, birch: 8})
    before = roster(app, program_id)
    assert before == {ash: (3, 8), birch: (8, 8)}
    ends_on = last_day(app, program_id)
    # The first meetings ended about two months before the program's last day: purges on
    # the way (31 days after the first meeting, the last day, a year on) keep every one.
    kept_until = datetime.combine(ends_on + timedelta(days=365), time(23, 59, 59), SITE)
    for now in (T0 + 40 * DAY, datetime.combine(ends_on, time(12), UTC), kept_until):
        keep_signed_in(app, now.date())
        assert purge_at(app, now)["attendance at program meetings"] == 0, now
        assert roster(app, program_id) == before, now

    # The first second of the 366th day after the last: the places and their attendance go,
    # the meetings keep how many came to each.
    gone = kept_until + SECOND
    keep_signed_in(app, gone.date())
    counts = purge_at(app, gone)
    assert counts["attendance at program meetings"] == 16
    assert counts["program enrollments"] == 2
    assert roster(app, program_id) == {}
    with app.app_context():
        meetings = catalog.meetings(program_id)
        assert [o.attended_count for o, _event in meetings] == [2, 2, 2, 1, 1, 1, 1, 1]
        assert db.session.scalar(select(func.count()).select_from(Rsvp)) == 0


def test_an_event_rsvp_goes_30_days_after_it_ends_while_program_attendance_stays(app, clock):
    staff = make_account(app, "maple-staff", role="staff").id
    guest = person(app, "cedar-guest")
    program_id = eight_weeks(app, staff, [guest], came={guest: 1})
    # An event outside programs at the very hour of the program's first meeting.
    circle = make_event(app, staff, now=T0, in_days=2, starts=time(18), ends=time(19))
    with app.app_context():
        booking = event_rsvps.rsvp(account(guest), circle.first, now=T0).id
        first = catalog.meetings(program_id)[0][0]
        ended = db.session.get(Occurrence, circle.first).ends_at
        assert ended == first.ends_at
        db.session.commit()

    edge = ended + timedelta(days=30)
    for now, rsvp_kept in ((edge - SECOND, True), (edge, True), (edge + SECOND, False)):
        keep_signed_in(app, now.date())
        purge_at(app, now)
        with app.app_context():
            assert (db.session.get(Rsvp, booking) is not None) is rsvp_kept, now
    assert roster(app, program_id) == {guest: (1, 8)}


def test_the_account_page_counts_program_attendance_apart_from_rsvps(app, client, auth, clock):
    staff = make_account(app, "maple-staff", role="staff").id
    member = make_account(app, "dune-member")
    eight_weeks(app, staff, [member.id], came={member.id: 2})
    clock.current = T0 + 70 * DAY
    auth.login(member)
    held = {what: (n, goes) for what, n, goes in held_items(client.get("/account").text)}
    # Never RSVP'd to an event: none. Attendance recorded at 8 meetings (came to 2).
    assert held[RSVPS] == (0, "30 days after each event ends (only a count stays)")
    assert held[ATTENDANCE] == (8, "365 days after each program ends (only counts stay)")
    assert held[PLACES] == (1, "365 days after each program ends (only counts stay)")

    circle = make_event(app, staff, now=clock(), in_days=2)
    with app.app_context():
        event_rsvps.rsvp(account(member.id), circle.first, now=clock())
        db.session.commit()
    held = {what: n for what, n, _goes in held_items(client.get("/account").text)}
    assert (held[RSVPS], held[ATTENDANCE]) == (1, 8)

    # The export shows them apart too: the event under RSVPs, the meetings under attendance.
    response = client.post("/account/export", data={"password": member.password})
    data = json.loads(response.get_data(as_text=True))
    assert [r["event"] for r in data["events"]["rsvps"]] == ["Tuesday peer circle"]
    meetings = data["program_attendance"]
    assert [m["came"] for m in meetings] == [True, True, *[False] * 6]  # oldest first
    assert {(m["program"], m["meeting"]) for m in meetings} == {
        ("Healing together", "Healing together meeting")
    }
    starts = [m["starts_at"] for m in meetings]
    assert starts == sorted(set(starts))


@pytest.mark.parametrize("app_overrides", [{"RETENTION_ENROLLMENT_DAYS": 10}])
def test_the_places_setting_moves_attendance_and_the_pages_say_so(app, client, auth, clock):
    staff = make_account(app, "maple-staff", role="staff").id
    member = make_account(app, "elm-member")
    program_id = eight_weeks(app, staff, [member.id], came={member.id: 5})
    ends_on = last_day(app, program_id)
    clock.current = T0 + 61 * DAY
    auth.login(member)
    held = {what: goes for what, _n, goes in held_items(client.get("/account").text)}
    assert held[ATTENDANCE] == "10 days after each program ends (only counts stay)"
    row = privacy_rows(client.get("/privacy").text)[
        "Your places in programs, whether you came to each of their meetings, the sessions "
        "you marked done, and completion"
    ]
    assert row == (
        "10 days after the end of the program (only counts are kept after that; letters "
        "can no longer be checked)"
    )

    kept_until = datetime.combine(ends_on + timedelta(days=10), time(23, 59, 59), SITE)
    keep_signed_in(app, (kept_until + SECOND).date())
    assert purge_at(app, kept_until)["attendance at program meetings"] == 0
    assert purge_at(app, kept_until + SECOND)["attendance at program meetings"] == 8


def privacy_rows(page: str) -> dict[str, str]:
    """The privacy page's table: what -> when it is deleted."""
    rows = re.findall(
        r'<th scope="row">([^<]*)</th>.*?<td data-label="Deleted">([^<]*)</td>', page, re.S
    )
    return {unescape(what): " ".join(unescape(when).split()) for what, when in rows}


def test_the_privacy_page_says_attendance_goes_with_places_and_rsvps_at_30_days(client):
    rows = privacy_rows(client.get("/privacy").text)
    assert rows[
        "Your places in programs, whether you came to each of their meetings, the sessions "
        "you marked done, and completion"
    ] == (
        "365 days after the end of the program (only counts are kept after that; letters "
        "can no longer be checked)"
    )
    assert rows["Your RSVPs to events outside programs, and whether you came"] == (
        "30 days after the end of the event (only a count is kept after that)"
    )


def test_withdrawing_takes_the_members_attendance_and_nothing_else(app, clock):
    staff = make_account(app, "maple-staff", role="staff").id
    fern, gale = person(app, "fern-member"), person(app, "gale-member")
    program_id = eight_weeks(app, staff, [fern, gale], came={fern: 2, gale: 4})
    other_id = eight_weeks(app, staff, [fern], came={fern: 1})
    circle = make_event(app, staff, now=T0, in_days=3)
    with app.app_context():
        event_rsvps.rsvp(account(fern), circle.first, now=T0)
        db.session.commit()
    counted = all_counts(app)
    assert attendance_rows(app, fern) == 8 + 8 + 1

    with app.app_context():
        programs.withdraw(account(fern), program_id, now=T0 + 59 * DAY)
        db.session.commit()

    # Fern's 8 records at that program went with the place; their other program's and the
    # event's RSVP stay; Gale's roster line and the monthly counts are untouched.
    assert attendance_rows(app, fern) == 8 + 1
    assert roster(app, program_id) == {gale: (4, 8)}
    assert roster(app, other_id) == {fern: (1, 8)}
    others = {key: n for key, n in all_counts(app).items() if key[2] != "withdrawn"}
    assert others == {key: n for key, n in counted.items() if key[2] != "withdrawn"}


def test_how_many_came_outlives_a_withdrawal_and_a_meeting_is_held_once(app, clock):
    staff = make_account(app, "maple-staff", role="staff").id
    fern, gale = person(app, "fern-member"), person(app, "gale-member")
    program_id = eight_weeks(app, staff, [fern], came={fern: 2})
    with app.app_context():
        # Gale has a place too, with no attendance recorded yet.
        programs.enroll(account(gale), program_id, now=T0)
        db.session.commit()
        first, second = db.session.scalars(
            select(Occurrence)
            .join(Occurrence.event)
            .where(Occurrence.event.has(program_id=program_id))
            .order_by(Occurrence.starts_at)
        ).all()[:2]
        first_id, second_id = first.id, second.id
    held = {k: n for k, n in all_counts(app).items() if k[2] == "meeting_held"}

    with app.app_context():
        programs.withdraw(account(fern), program_id, now=T0 + 59 * DAY)
        db.session.commit()
        # Fern was the only one recorded: who came went, how many came stays (1 each).
        assert [db.session.get(Occurrence, o).attended_count for o in (first_id, second_id)] == [
            1,
            1,
        ]
        # Staff record the first meeting again (a member added late): it was held already.
        attendance.record_attendance(program_id, first_id, {gale}, now=T0 + 59 * DAY)
        db.session.commit()
    assert {k: n for k, n in all_counts(app).items() if k[2] == "meeting_held"} == held


def test_how_many_came_outlives_the_members_account(app, clock):
    """Deleting the account takes who came, never how many came (MeetingLine: the kept who
    came are those removed from their account, or purged), whether the attendance was part
    of a place or left without one (a place already gone: its enrollment purged first)."""
    staff = make_account(app, "maple-staff", role="staff").id
    fern, gale = person(app, "fern-member"), person(app, "gale-member")
    program_id = eight_weeks(app, staff, [fern, gale], came={fern: 2, gale: 4})
    other_id = eight_weeks(app, staff, [fern], came={fern: 3})
    with app.app_context():
        # At the other program, Fern's place is gone and their attendance is left.
        db.session.execute(delete(Enrollment).where(Enrollment.program_id == other_id))
        registry.delete_account(account(fern))
        db.session.commit()
    assert attendance_rows(app, fern) == 0
    assert roster(app, program_id) == {gale: (4, 8)}
    with app.app_context():
        lines = attendance.meeting_lines(program_id)
        assert [(line.came, line.recorded, line.kept) for line in lines] == [
            (2, 1, 1),
            (2, 1, 1),
            (1, 1, 0),
            (1, 1, 0),
            (0, 1, 0),
            (0, 1, 0),
            (0, 1, 0),
            (0, 1, 0),
        ]
        lines = attendance.meeting_lines(other_id)
        assert [(line.came, line.recorded) for line in lines] == [(1, 0)] * 3 + [(0, 0)] * 5
