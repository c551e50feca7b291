"""The staff home's lists (issue 13, point 1; DESIGN §3 Staff tools), at the service.

The rules, written here from the issue (never read from the code under test):

- only what the viewer runs: a staff member's own events, and programs they host with
  all their meetings (whoever scheduled them); admins everything; members and mentors
  nothing;
- "today" and "later this week" (their boundaries: test_workspace_days.py); cancelled
  meetings are not work;
- confirmed and waiting: RSVPs for an event, the program's places for its meetings;
- a meeting ended without attendance when it is not cancelled, its end is at or before
  now, someone was expected, no one is marked as came or did not come, and attendance
  can still be recorded: for an event, its end at most 30 days ago (RSVPs, which hold
  attendance, go 30 days after the meeting); for a program's meeting, however long ago,
  as long as the program's places are kept (its last day at most 365 days before today,
  in the site's calendar: attendance is part of the place);
- requests: pending places, per program;
- ending soon: open or closed programs whose last day is today to today + 14 (the
  boundaries: test_workspace_days.py);
- the moderation backlog: stories waiting for review, and stories with open reports.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from advocacy.accounts.models import Account
from advocacy.events import hosts as event_hosts
from advocacy.events.models import Event, Occurrence
from advocacy.extensions import db
from advocacy.programs.models import ProgramHost
from advocacy.stories.models import StoryReport
from tests.support.accounts import make_account
from tests.support.stories import make_story
from tests.support.workspace import (
    FRIDAY,
    SECOND,
    add_meeting,
    add_places,
    add_program,
    add_rsvps,
    home,
    titles,
    utc,
)


@pytest.fixture
def members(app) -> list[int]:
    return [make_account(app, f"member-{n}").id for n in range(4)]


# Who sees what


@pytest.fixture
def world(app, staff, admin, member, mentor):
    """Two staff members' programs and events, with work waiting in each.

    maple-staff (the `staff` fixture) created "Maple program" and "Maple circle"; alder is
    a co-host of the program. rowan created "Rowan program" and "Rowan circle"; rowan also
    scheduled a meeting of Maple's program ("Maple extra"), and has a host row on it,
    which counts for nothing: a program's meetings are run by the program's hosts. The
    member and the mentor have host rows too (as someone no longer staff would keep):
    they count for nothing either, since only staff and admins run anything.
    """
    alder = make_account(app, "alder-staff", role="staff")
    rowan = make_account(app, "rowan-staff", role="staff")
    asker = make_account(app, "cedar-member")
    with app.app_context():
        today = utc(2026, 11, 27, 18)
        maple = add_program("Maple program", [staff.id, alder.id], ends_on=date(2026, 12, 1))
        add_meeting("Maple meeting", today, program_id=maple)
        add_meeting("Maple extra", today + SECOND, program_id=maple, hosts=[rowan.id])
        add_meeting("Maple circle", today + 2 * SECOND, hosts=[staff.id, mentor.id, member.id])
        db.session.add_all(
            ProgramHost(program_id=maple, account_id=account.id) for account in (member, mentor)
        )
        rowans = add_program("Rowan program", [rowan.id], ends_on=date(2026, 12, 1))
        add_meeting("Rowan meeting", today + 3 * SECOND, program_id=rowans)
        add_meeting("Rowan circle", today + 4 * SECOND, hosts=[rowan.id])
        for program in (maple, rowans):
            add_places(program, [asker.id], status="pending")
        db.session.commit()
    return {
        "staff": staff.id,
        "alder": alder.id,
        "rowan": rowan.id,
        "admin": admin.id,
        "member": member.id,
        "mentor": mentor.id,
    }


MAPLE = ["Maple meeting", "Maple extra", "Maple circle"]
ROWAN = ["Rowan meeting", "Rowan circle"]


@pytest.mark.parametrize(
    ("who", "meetings", "programs"),
    [
        ("staff", MAPLE, ["Maple program"]),
        # A co-host of the program runs its meetings, not the creator's own event.
        ("alder", ["Maple meeting", "Maple extra"], ["Maple program"]),
        # Scheduling a meeting of someone else's program, or a host row on it, runs nothing.
        ("rowan", ROWAN, ["Rowan program"]),
        ("admin", MAPLE + ROWAN, None),
        ("member", [], []),
        ("mentor", [], []),
    ],
)
def test_each_sees_only_what_they_run(app, world, who, meetings, programs):
    programs = ["Maple program", "Rowan program"] if programs is None else programs
    with app.app_context():
        seen = home(world[who], FRIDAY)
        assert titles(seen.meetings_today) == meetings
        assert [r.title for r in seen.requests] == programs
        assert [e.title for e in seen.ending] == programs
        # The SQL agrees with the one rule of who runs an event (events/hosts.py: runs).
        viewer = db.session.get(Account, world[who])
        ruled = [
            event.title
            for event in db.session.scalars(db.select(Event).order_by(Event.id))
            if event_hosts.runs(viewer, event)
        ]
        assert sorted(titles(seen.meetings_today)) == sorted(ruled)


# Confirmed and waiting


def test_counts_are_rsvps_for_events_and_places_for_program_meetings(app, staff, members):
    with app.app_context():
        circle = add_meeting("Circle", utc(2026, 11, 27, 18), hosts=[staff.id])
        add_rsvps(circle, members[:3])
        add_rsvps(circle, members[3:], status="waitlisted")
        program = add_program("Program", [staff.id])
        add_places(program, members[:2])
        add_places(program, members[2:3], status="pending")  # a request: neither
        add_places(program, members[3:], status="waitlisted")
        meeting = add_meeting("Program meeting", utc(2026, 11, 27, 19), program_id=program)
        # A program meeting's RSVP rows (where its attendance is kept) are not its places.
        add_rsvps(meeting, members[3:])
        empty = add_meeting("Quiet circle", utc(2026, 11, 28, 18), hosts=[staff.id])
        db.session.commit()
        seen = home(staff.id, FRIDAY)
        assert [(m.event.title, m.confirmed, m.waiting) for m in seen.meetings_today] == [
            ("Circle", 3, 1),
            ("Program meeting", 2, 1),
        ]
        assert [(m.occurrence.id, m.confirmed, m.waiting) for m in seen.later_this_week] == [
            (empty, 0, 0)
        ]


# Ended without attendance recorded


def test_meetings_ended_without_attendance(app, staff, members):
    now = FRIDAY
    day = timedelta(days=1)
    with app.app_context():

        def ended(title: str, end: datetime, **options) -> int:
            return add_meeting(title, end - timedelta(minutes=60), hosts=[staff.id], **options)

        add_rsvps(ended("Ends now", now), members[:1])
        add_rsvps(ended("Still on", now + SECOND), members[:1])
        add_rsvps(ended("Thirty days ago", now - 30 * day), members[:1])
        add_rsvps(ended("Past the RSVPs' keeping", now - 30 * day - SECOND), members[:1])
        add_rsvps(ended("Nobody came, recorded", now - day), members[:2], attended=False)
        partly = ended("One marked", now - day)
        add_rsvps(partly, members[:1], attended=True)
        add_rsvps(partly, members[1:2])
        add_rsvps(ended("Only a queue", now - day), members[:1], status="waitlisted")
        ended("Nobody booked", now - day)
        add_rsvps(ended("Cancelled", now - day, cancelled=True), members[:1])
        add_rsvps(ended("Counted, then purged", now - day, attended_count=2), members[:1])

        program = add_program("Program", [staff.id])
        add_places(program, members[:1])
        add_meeting("Program meeting", now - 2 * day, program_id=program)
        recorded = add_meeting("Program meeting recorded", now - 3 * day, program_id=program)
        add_rsvps(recorded, members[:1], attended=True)
        nobody = add_program("Program with requests only", [staff.id])
        add_places(nobody, members[:1], status="pending")
        add_places(nobody, members[1:2], status="waitlisted")
        add_meeting("Meeting of nobody yet", now - day, program_id=nobody)
        db.session.commit()

        seen = home(staff.id, now)
        # The longest waiting first.
        assert [(m.event.title, m.confirmed) for m in seen.unrecorded] == [
            ("Thirty days ago", 1),
            ("Program meeting", 1),
            ("Ends now", 1),
        ]


@pytest.mark.parametrize("app_overrides", [{"RETENTION_RSVP_DAYS": 7}])
def test_the_window_follows_the_rsvp_keeping_setting(app, staff, members):
    with app.app_context():
        for title, days in (("Seven days ago", 7), ("Eight days ago", 8)):
            occurrence = add_meeting(
                title, FRIDAY - timedelta(days=days, minutes=60), hosts=[staff.id]
            )
            add_rsvps(occurrence, members[:1])
        db.session.commit()
        assert titles(home(staff.id, FRIDAY).unrecorded) == ["Seven days ago"]


def test_a_program_meeting_waits_for_attendance_as_long_as_the_places_are_kept(app, staff, members):
    # FRIDAY is 2026-11-27 in New York; 365 days before it is 2025-11-27.
    now, day = FRIDAY, timedelta(days=1)
    with app.app_context():
        running = add_program("Running", [staff.id])  # ends 2027-06-30
        add_places(running, members[:1])
        add_meeting("Thirty-one days ago", now - 31 * day, program_id=running)
        add_meeting("Two hundred days ago", now - 200 * day, program_id=running)
        recorded = add_meeting("Recorded long ago", now - 100 * day, program_id=running)
        add_rsvps(recorded, members[:1], attended=False)
        kept = add_program("Ended a year ago today", [staff.id], ends_on=date(2025, 11, 27))
        add_places(kept, members[:1])
        add_meeting("Last meeting, kept", utc(2025, 11, 27, 17), program_id=kept)
        gone = add_program("Ended a year and a day ago", [staff.id], ends_on=date(2025, 11, 26))
        add_places(gone, members[:1])
        add_meeting("Last meeting, places past keeping", utc(2025, 11, 26, 17), program_id=gone)
        # Beside them, an event's meeting as old: its RSVPs are gone after 30 days.
        old_circle = add_meeting("Circle thirty-one days ago", now - 31 * day, hosts=[staff.id])
        add_rsvps(old_circle, members[:1])
        db.session.commit()
        assert titles(home(staff.id, now).unrecorded) == [
            "Last meeting, kept",
            "Two hundred days ago",
            "Thirty-one days ago",
        ]


@pytest.mark.parametrize(
    "app_overrides", [{"RETENTION_RSVP_DAYS": 7, "RETENTION_ENROLLMENT_DAYS": 10}]
)
def test_a_program_meeting_s_window_follows_the_places_keeping_setting(app, staff, members):
    with app.app_context():
        for title, ends_on in (("Ended ten days ago", 17), ("Ended eleven days ago", 16)):
            program = add_program(title, [staff.id], ends_on=date(2026, 11, ends_on))
            add_places(program, members[:1])
            add_meeting(title, utc(2026, 11, ends_on, 17), program_id=program)
        db.session.commit()
        assert titles(home(staff.id, FRIDAY).unrecorded) == ["Ended ten days ago"]


# Requests waiting


def test_requests_waiting_per_program_oldest_first(app, staff, members):
    with app.app_context():
        later = add_program("Asked later", [staff.id])
        add_places(later, members[:1], status="pending", at=utc(2026, 11, 20))
        sooner = add_program("Asked sooner", [staff.id])
        add_places(sooner, members[:2], status="pending", at=utc(2026, 11, 21))
        add_places(sooner, members[2:3], status="pending", at=utc(2026, 11, 19))
        add_places(sooner, members[3:], status="confirmed")
        settled = add_program("Nothing to decide", [staff.id])
        add_places(settled, members[:1])
        add_places(settled, members[1:2], status="waitlisted")
        db.session.commit()
        seen = home(staff.id, FRIDAY)
        assert [(r.title, r.waiting) for r in seen.requests] == [
            ("Asked sooner", 3),
            ("Asked later", 1),
        ]
        assert [r.program_id for r in seen.requests] == [sooner, later]


# Ending within 14 days


def test_ending_programs_say_how_many_have_a_place_and_have_completed(app, staff, members):
    with app.app_context():
        program = add_program("Ending", [staff.id], ends_on=date(2026, 12, 1))
        add_places(program, members[:2])
        add_places(program, members[2:3], completed_on=date(2026, 11, 20))
        add_places(program, members[3:], status="pending")
        add_program("Ending and empty", [staff.id], ends_on=date(2026, 12, 2))
        db.session.commit()
        assert [
            (e.title, e.ends_on, e.confirmed, e.completed) for e in home(staff.id, FRIDAY).ending
        ] == [("Ending", date(2026, 12, 1), 3, 1), ("Ending and empty", date(2026, 12, 2), 0, 0)]


# The moderation backlog


def test_moderation_backlog_counts_the_whole_queue(app, staff, admin, mentor, members):
    author = make_account(app, "author-member")
    for n in range(2):
        make_story(app, author.id, state="pending", title=f"Waiting {n}")
    make_story(app, author.id, state="draft", title="A draft")
    make_story(app, author.id, mentor_id=mentor.id, title="Twice reported", reporters=members[:2])
    make_story(app, author.id, mentor_id=mentor.id, title="Settled", reporters=members[2:3])
    make_story(app, author.id, mentor_id=mentor.id, title="Never reported")
    with app.app_context():
        settled = db.session.scalar(
            db.select(StoryReport).where(StoryReport.reporter_id == members[2])
        )
        settled.resolved_at = FRIDAY
        db.session.commit()
        for viewer in (staff.id, admin.id):
            backlog = home(viewer, FRIDAY).moderation
            assert (backlog.pending, backlog.reported, backlog.total) == (2, 1, 3)


def test_nothing_waiting(app, staff):
    with app.app_context():
        seen = home(staff.id, FRIDAY)
        assert seen.nothing_waiting
        assert (seen.moderation.pending, seen.moderation.reported) == (0, 0)
        add_meeting("Next week", utc(2026, 12, 1, 18), hosts=[staff.id])
        db.session.commit()
        assert home(staff.id, FRIDAY).nothing_waiting
        add_meeting("Saturday", utc(2026, 11, 28, 18), hosts=[staff.id])
        db.session.commit()
        assert not home(staff.id, FRIDAY).nothing_waiting


def test_meetings_are_loaded_with_their_event(app, staff):
    with app.app_context():
        occurrence = add_meeting("Circle", utc(2026, 11, 27, 18), hosts=[staff.id])
        db.session.commit()
        (meeting,) = home(staff.id, FRIDAY).meetings_today
        assert isinstance(meeting.occurrence, Occurrence)
        assert meeting.occurrence.id == occurrence
        assert meeting.event.id == meeting.occurrence.event_id
