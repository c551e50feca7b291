"""One scenario per retention rule of DESIGN §4, built through the services.

Each builds records of one kind, some that expire one day after the period and some
that stay even then, and says how many the purge deletes and which counts it keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from advocacy.accounts import invites
from advocacy.accounts.models import Account, Invite, ResetCode
from advocacy.events import attendance as event_attendance
from advocacy.events import rsvps
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.moderation import reported
from advocacy.moderation import services as moderation
from advocacy.moderation.models import ModerationEntry
from advocacy.notices.models import Notice
from advocacy.notices.services import mark_all_read, notify
from advocacy.programs import attendance as program_attendance
from advocacy.programs import completion
from advocacy.programs import services as programs
from advocacy.programs.models import CompletionLetter, Enrollment, Program
from advocacy.staff import services as staff
from advocacy.staff.models import AuditEntry
from advocacy.stories import services as stories
from advocacy.stories.models import Story, StoryReport
from tests.support.accounts import make_account
from tests.support.events import make_event
from tests.support.programs import make_program
from tests.support.purge import DAY, T0, Row, account, person
from tests.support.stories import make_story, moderator


@dataclass
class Scenario:
    """Records of one kind, with the moment their period starts counting from."""

    name: str  # the purger's name in the counts
    anchor: datetime  # when the period starts (sign-in, read, end of the event…)
    days: int  # the period in force
    count: int  # how many records of this kind the purge deletes
    expiring: list[Row]  # rows that go one day after the period (with what hangs off them)
    staying: list[Row]  # rows that stay even then
    untouched: tuple[int, ...] = ()  # accounts whose last sign-in the test must not change
    aggregates: Callable[[], dict] | None = None
    expected: dict = field(default_factory=dict)

    @property
    def due(self) -> datetime:
        return self.anchor + timedelta(days=self.days)


def inactive_accounts(app) -> Scenario:
    away = person(app, "fern-away")
    never = person(app, "moss-never")
    recent = person(app, "reed-recent")
    with app.app_context():
        account(away).last_login_on = T0.date()
        account(never).created_at = T0  # joined, never signed in
        account(recent).last_login_on = T0.date() + timedelta(days=10)
        db.session.commit()
    return Scenario(
        "inactive accounts",
        T0,
        548,
        2,
        [(Account, away), (Account, never)],
        [(Account, recent)],
        untouched=(away, never, recent),
    )


def expired_invites(app) -> Scenario:
    with app.app_context():
        for days in (14, 24):
            invites.create_invite(
                role="member",
                uses=1,
                expires_in=timedelta(days=days),
                now=T0 - 14 * DAY,
                inviter=None,
            )
        db.session.commit()
        expired, later = db.session.scalars(select(Invite.id).order_by(Invite.expires_at))
    return Scenario("invite codes", T0, 0, 1, [(Invite, expired)], [(Invite, later)])


def expired_reset_codes(app) -> Scenario:
    admin = make_account(app, "wren-admin", role="admin").id
    for pseudonym in ("lark-locked", "tern-locked"):
        person(app, pseudonym)
    with app.app_context():
        actor = account(admin)
        staff.issue_reset_code(actor, "lark-locked", now=T0 - DAY, hours=24)
        staff.issue_reset_code(actor, "tern-locked", now=T0 + 9 * DAY, hours=24)
        db.session.commit()
        expired, later = db.session.scalars(select(ResetCode.id).order_by(ResetCode.expires_at))
    return Scenario("reset codes", T0, 0, 1, [(ResetCode, expired)], [(ResetCode, later)])


def read_notices(app) -> Scenario:
    """DESIGN §4 as changed by issue 14: a read notice goes 90 days after it was read (not
    30). Read as soon as it came, since 90 days after sending it goes anyway; the unread
    one came ten days later."""
    reader, other = person(app, "ash-reader"), person(app, "elm-unread")
    with app.app_context():
        read = notify(reader, "event_changed", now=T0, title="Circle")
        unread = notify(other, "event_changed", now=T0 + 10 * DAY, title="Circle")
        db.session.flush()
        mark_all_read(reader, now=T0)
        db.session.commit()
        return Scenario("notices", T0, 90, 1, [(Notice, read.id)], [(Notice, unread.id)])


def unread_notices(app) -> Scenario:
    owner = person(app, "oak-owner")
    with app.app_context():
        old = notify(owner, "event_changed", now=T0, title="Circle")
        newer = notify(owner, "event_changed", now=T0 + 10 * DAY, title="Circle")
        db.session.commit()
        return Scenario("notices", T0, 90, 1, [(Notice, old.id)], [(Notice, newer.id)])


def ended_rsvps(app) -> Scenario:
    organiser = make_account(app, "maple-staff", role="staff").id
    members = [person(app, f"guest-{n}") for n in range(3)]
    past = make_event(app, organiser, now=T0 - 5 * DAY, in_days=2)
    coming = make_event(app, organiser, now=T0 - 5 * DAY, in_days=70, title="Spring circle")
    with app.app_context():
        booked = [rsvps.rsvp(account(m), past.first, now=T0 - 5 * DAY).id for m in members]
        later = rsvps.rsvp(account(members[0]), coming.first, now=T0 - 5 * DAY).id
        event_attendance.record_attendance(past.first, set(booked[:2]), now=T0)
        db.session.commit()
        ended = db.session.get(Occurrence, past.first).ends_at

    def aggregates() -> dict:
        return {
            "attended": db.session.get(Occurrence, past.first).attended_count,
            "coming": db.session.get(Occurrence, coming.first).attended_count,
        }

    return Scenario(
        "RSVPs",
        ended,
        30,
        3,
        [(Rsvp, rsvp_id) for rsvp_id in booked],
        [(Rsvp, later), (Occurrence, past.first)],
        aggregates=aggregates,
        expected={"attended": 2, "coming": 0},
    )


def ended_enrollments(app) -> Scenario:
    organiser = make_account(app, "maple-staff", role="staff").id
    members = [person(app, f"learner-{n}") for n in range(3)]
    ended = make_program(app, organiser, now=T0, capacity=2, meetings=0)
    running = make_program(app, organiser, now=T0 + 300 * DAY, title="Leading", meetings=0)
    with app.app_context():
        rows = [programs.enroll(account(m), ended.id, now=T0).id for m in members]
        completion.complete(ended.id, rows[0], now=T0 + 80 * DAY)
        completion.issue_letter(account(members[0]), ended.id, now=T0 + 81 * DAY)
        later = programs.enroll(account(members[1]), running.id, now=T0 + 300 * DAY).id
        db.session.commit()
        letter = db.session.scalar(select(CompletionLetter.id))
        ends_on = db.session.get(Program, ended.id).ends_on

    def aggregates() -> dict:
        program = db.session.get(Program, ended.id)
        still = db.session.get(Program, running.id)
        return {
            "enrolled": program.enrolled_count,
            "completed": program.completed_count,
            "running": (still.enrolled_count, still.completed_count),
        }

    return Scenario(
        "program enrollments",
        datetime.combine(ends_on, time(12), UTC),
        365,
        3,
        [*((Enrollment, row) for row in rows), (CompletionLetter, letter)],
        [(Enrollment, later), (Program, ended.id)],
        aggregates=aggregates,
        # Two held a place (the third waited), one finished.
        expected={"enrolled": 2, "completed": 1, "running": (0, 0)},
    )


def attendance_at_ended_program(app) -> Scenario:
    """Attendance at a program's meetings goes with the places: 365 days after the program
    ends, although its meetings ended long before (issue 13's "came to N of M"). An RSVP
    to an event outside programs, from the same days, still goes 30 days after it ends."""
    organiser = make_account(app, "maple-staff", role="staff").id
    members = [person(app, f"learner-{n}") for n in range(3)]
    # Weekly meetings from T0 + 2 days; the program's last day is T0 + 60 days.
    ended = make_program(app, organiser, now=T0, meetings=2, starts_in=1, ends_in=60)
    running = make_program(
        app, organiser, now=T0 + 300 * DAY, title="Leading", meetings=1, starts_in=1
    )
    circle = make_event(app, organiser, now=T0, in_days=2, title="Open circle")
    with app.app_context():
        for member in members:
            programs.enroll(account(member), ended.id, now=T0)
        programs.enroll(account(members[0]), running.id, now=T0 + 300 * DAY)
        booked = rsvps.rsvp(account(members[0]), circle.first, now=T0).id
        first, second = ended.meeting_ids
        late = T0 + 20 * DAY
        program_attendance.record_attendance(ended.id, first, set(members[:2]), now=late)
        program_attendance.record_attendance(ended.id, second, {members[0]}, now=late)
        (still,) = running.meeting_ids
        program_attendance.record_attendance(running.id, still, {members[0]}, now=T0 + 310 * DAY)
        db.session.commit()
        rows = list(
            db.session.scalars(select(Rsvp.id).where(Rsvp.occurrence_id.in_([first, second])))
        )
        kept = db.session.scalar(select(Rsvp.id).where(Rsvp.occurrence_id == still))
        ends_on = db.session.get(Program, ended.id).ends_on

    def aggregates() -> dict:
        return {
            "first": db.session.get(Occurrence, first).attended_count,
            "second": db.session.get(Occurrence, second).attended_count,
            "running": db.session.get(Occurrence, still).attended_count,
            "open circle RSVP kept": db.session.get(Rsvp, booked) is not None,
        }

    return Scenario(
        "attendance at program meetings",
        datetime.combine(ends_on, time(12), UTC),
        365,
        6,  # three members recorded at each of two meetings
        [(Rsvp, row) for row in rows],
        [(Rsvp, kept), (Occurrence, first), (Occurrence, second)],
        # Two came to the first meeting, one to the second; the open circle's RSVP went
        # 30 days after it ended.
        aggregates=aggregates,
        expected={
            "first": 2,
            "second": 1,
            "running": 0,
            "open circle RSVP kept": False,
        },
    )


def old_audit_entries(app) -> Scenario:
    admin = make_account(app, "wren-admin", role="admin").id
    target = person(app, "sage-member")
    with app.app_context():
        for when in (T0, T0 + 10 * DAY):
            staff.record(account(admin), "role_changed", account(target), now=when)
        db.session.commit()
        old, newer = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.created_at))
    return Scenario("admin log entries", T0, 180, 1, [(AuditEntry, old)], [(AuditEntry, newer)])


def abandoned_drafts(app) -> Scenario:
    author = person(app, "ivy-writer")
    published = make_story(app, author, now=T0 - 10 * DAY, title="Out in the open")
    # Sent back for changes and never touched again: a draft like any other.
    sent_back = make_story(app, author, state="changes_requested", now=T0, title="Sent back")
    with app.app_context():
        data = stories.StoryInput(title="Half a story", body="Unfinished lines.")
        old = stories.save_draft(account(author), data, now=T0).id
        newer = stories.save_draft(account(author), data, now=T0 + 10 * DAY).id
        # An edit of a published story is a draft too, but the published version stays up.
        stories.save_draft(
            account(author),
            stories.StoryInput(title="Out in the open", body="A second version."),
            now=T0,
            story=db.session.get(Story, published),
        )
        db.session.commit()
    return Scenario(
        "story drafts",
        T0,
        180,
        2,
        [(Story, old), (Story, sent_back)],
        [(Story, newer), (Story, published)],
    )


def declined_stories(app) -> Scenario:
    author, reader = person(app, "ivy-writer"), person(app, "rue-reader")
    declined = make_story(app, author, state="declined", now=T0, title="Not this one")
    later = make_story(app, author, state="declined", now=T0 + 10 * DAY, title="Nor this")
    taken_down = make_story(app, author, now=T0 - 5 * DAY, title="Gone", reporters=(reader,))
    revised = make_story(app, author, now=T0 - 10 * DAY, title="Still up")
    with app.app_context():
        mentor = moderator()
        reported.decide_reports(mentor, taken_down, "remove", note="Harmful.", now=T0)
        # A declined new version of a published story: the published version stays up.
        resubmit(author, revised, now=T0 - 5 * DAY, body="A new version.")
        moderation.decide_story(
            mentor, revised, "decline", note="Keep the first.", seen_updated_at=None, now=T0
        )
        db.session.commit()
        report = db.session.scalar(select(StoryReport.id).where(StoryReport.story_id == taken_down))
        history = list(
            db.session.scalars(
                select(ModerationEntry.id).where(
                    ModerationEntry.story_id.in_([declined, taken_down])
                )
            )
        )
    return Scenario(
        "declined stories",
        T0,
        30,
        2,
        # A story goes with its reports and its moderation history.
        [
            (Story, declined),
            (Story, taken_down),
            (StoryReport, report),
            *((ModerationEntry, entry) for entry in history),
        ],
        [(Story, later), (Story, revised)],
    )


def resolved_reports(app) -> Scenario:
    author = person(app, "ivy-writer")
    readers = [person(app, f"reader-{n}") for n in range(3)]
    kept = make_story(app, author, now=T0 - 5 * DAY, title="Kept up", reporters=tuple(readers[:2]))
    still_open = make_story(app, author, now=T0, title="Under review", reporters=(readers[2],))
    with app.app_context():
        reported.decide_reports(moderator(), kept, "keep", note="", now=T0)
        db.session.commit()
        resolved = list(
            db.session.scalars(select(StoryReport.id).where(StoryReport.story_id == kept))
        )
        open_report = db.session.scalar(
            select(StoryReport.id).where(StoryReport.story_id == still_open)
        )
    return Scenario(
        "story reports",
        T0,
        90,
        2,
        [(StoryReport, report) for report in resolved],
        [(StoryReport, open_report), (Story, kept), (Story, still_open)],
    )


def old_moderation_entries(app) -> Scenario:
    author = person(app, "ivy-writer")
    approved = make_story(app, author, now=T0, title="Approved long ago")
    newer = make_story(app, author, now=T0 + 10 * DAY, title="Approved later")
    with app.app_context():
        old, recent = (
            db.session.scalar(select(ModerationEntry.id).where(ModerationEntry.story_id == story))
            for story in (approved, newer)
        )
    return Scenario(
        "moderation log entries",
        T0,
        180,
        1,
        [(ModerationEntry, old)],
        [(ModerationEntry, recent), (Story, approved), (Story, newer)],
    )


SCENARIOS = {
    "account inactive 548 days": inactive_accounts,
    "invite expired": expired_invites,
    "reset code expired": expired_reset_codes,
    "notice read 90 days": read_notices,
    "notice unread 90 days": unread_notices,
    "rsvp 30 days after the event": ended_rsvps,
    "enrollment 365 days after the program": ended_enrollments,
    "program attendance 365 days after the program": attendance_at_ended_program,
    "admin log 180 days": old_audit_entries,
    "story draft 180 days": abandoned_drafts,
    "declined story 30 days": declined_stories,
    "report 90 days after resolution": resolved_reports,
    "moderation log 180 days": old_moderation_entries,
}
scenarios = pytest.mark.parametrize("build", SCENARIOS.values(), ids=SCENARIOS.keys())


def aggregates_of(app, scenario: Scenario) -> dict:
    if scenario.aggregates is None:
        return {}
    with app.app_context():
        return scenario.aggregates()


def resubmit(author_id: int, story_id: int, *, now: datetime, body: str) -> None:
    """Send a new version of a story for review (confirming any identity findings)."""
    author, story = account(author_id), db.session.get(Story, story_id)
    data = stories.StoryInput(title=story.title, body=body)
    result = stories.submit(author, data, now=now, story=story)
    if not result.submitted:
        stories.submit(author, data, now=now, story=story, confirmed=result.fingerprint)
