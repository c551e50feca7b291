"""Demo data for `flask seed-demo`: demo accounts, events, programs (one with sessions to
follow at one's own pace, one that ended, with attendance recorded, a member who completed
it on the mentor pathway and one whose completion staff can record and undo today),
stories and the help library. Titles are in the language the command speaks (the
terminal's, when there is a catalogue for it); what members and staff would write stays as
written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pyotp
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from advocacy import clock
from advocacy.accounts import mentoring
from advocacy.accounts.models import Account, Role
from advocacy.accounts.policy import pseudonym_key, suggest_passphrase
from advocacy.events import models as event_models
from advocacy.events import rsvps, scheduling
from advocacy.events.recurrence import Repeat
from advocacy.extensions import db, passwords
from advocacy.help import services as help_library
from advocacy.help.demo_resources import DEMO_RESOURCES
from advocacy.moderation import services as moderation
from advocacy.programs import attendance, catalog, completion, sessions
from advocacy.programs import services as programs
from advocacy.programs.models import ProgramStatus
from advocacy.stories import reports as story_reports
from advocacy.stories import services as stories

DEMO_ACCOUNTS = (
    ("demo-admin", Role.ADMIN),
    ("demo-staff", Role.STAFF),
    ("demo-mentor", Role.MENTOR),
    ("demo-member", Role.MEMBER),
    ("demo-member2", Role.MEMBER),
)


@dataclass(frozen=True)
class DemoAccount:
    """What to print for one demo account."""

    pseudonym: str
    role: str
    totp_secret: str | None


def database_is_empty() -> bool:
    """Return whether no account exists yet."""
    return db.session.scalar(select(func.count()).select_from(Account)) == 0


def seed_accounts(now: datetime) -> tuple[str, list[DemoAccount]]:
    """Create the demo accounts with one shared password; privileged ones get TOTP."""
    password = os.environ.get("ADVOCACY_DEMO_PASSWORD") or suggest_passphrase()
    password_hash = passwords.hash(password)
    created = []
    for pseudonym, role in DEMO_ACCOUNTS:
        secret = pyotp.random_base32() if role != Role.MEMBER else None
        db.session.add(
            Account(
                pseudonym=pseudonym,
                pseudonym_key=pseudonym_key(pseudonym),
                password_hash=password_hash,
                role=role,
                totp_secret=secret,
                created_at=now,
            )
        )
        created.append(DemoAccount(pseudonym, role, secret))
    db.session.flush()
    return password, created


def demo_event(
    staff: Account,
    title: str,
    *,
    now: datetime,
    in_days: int,
    online: bool,
    capacity: int | None,
    weeks: int = 0,
) -> event_models.Event:
    """Schedule one demo event at 18:00 New York time."""
    first_day = clock.local_date(now) + timedelta(days=in_days)
    return scheduling.schedule_event(
        staff,
        scheduling.EventDetails(
            title=title,
            description="A peer-led group. Come as you are; share only what you want to.",
            is_online=online,
            area="Online" if online else "Brooklyn",
            venue="https://meet.example.org/demo-room"
            if online
            else "Community room, 2nd floor (demo address)",
            timezone="America/New_York",
            language="en",
            accessibility="Captions on request." if online else "Step-free entrance.",
        ),
        scheduling.Schedule(
            first_day=first_day,
            starts=time(18),
            ends=time(19, 30),
            capacity=capacity,
            repeat=Repeat("weekly", until=first_day + timedelta(weeks=weeks)) if weeks else None,
        ),
        now=now if in_days > 0 else now + timedelta(days=in_days - 1),
    )


def seed_events(now: datetime) -> None:
    """A weekly online group, a nearly full in-person group, and a past meeting."""
    staff = db.session.scalar(select(Account).where(Account.pseudonym == "demo-staff"))
    mentor = db.session.scalar(select(Account).where(Account.pseudonym == "demo-mentor"))
    member2 = db.session.scalar(select(Account).where(Account.pseudonym == "demo-member2"))
    demo_event(
        staff,
        _("Weekly evening peer circle"),
        now=now,
        in_days=2,
        online=True,
        capacity=None,
        weeks=8,
    )
    nearly_full = demo_event(
        staff, _("Brooklyn leadership circle"), now=now, in_days=4, online=False, capacity=3
    )
    for account in (mentor, member2):
        rsvps.rsvp(account, nearly_full.occurrences[0].id, now=now)
    demo_event(staff, _("Welcome evening (past)"), now=now, in_days=-7, online=False, capacity=10)
    db.session.flush()


def demo_program(
    staff: Account, title: str, kind: str, *, now: datetime, capacity: int, needs_approval: bool
) -> programs.Program:
    """An open program with eight weekly online meetings from next week."""
    today = clock.local_date(now)
    program = catalog.create_program(
        staff,
        catalog.ProgramDetails(
            title=title,
            kind=kind,
            summary=_("Eight weekly online meetings with peers, 90 minutes each."),
            description="You can share as much or as little as you like.",
            capacity=capacity,
            enrollment_opens_on=today - timedelta(days=7),
            enrollment_closes_on=today + timedelta(days=14),
            starts_on=today + timedelta(days=7),
            ends_on=today + timedelta(days=7 + 7 * 7),
            needs_approval=needs_approval,
            status="open",
        ),
        now=now,
    )
    first_day = today + timedelta(days=7)
    scheduling.schedule_event(
        staff,
        scheduling.EventDetails(
            title=_("%(title)s: weekly session", title=title),
            description="",
            is_online=True,
            area="Online",
            venue="https://meet.example.org/demo-program",
            timezone="America/New_York",
            language="en",
            accessibility="Captions on request.",
        ),
        scheduling.Schedule(
            first_day=first_day,
            starts=time(17),
            ends=time(18, 30),
            capacity=None,
            repeat=Repeat("weekly", until=first_day + timedelta(weeks=7)),
        ),
        now=now,
        program_id=program.id,
    )
    return program


def seed_programs(now: datetime) -> None:
    """An open healing program and a nearly full leadership program, with enrollments."""
    staff = db.session.scalar(select(Account).where(Account.pseudonym == "demo-staff"))
    member2 = db.session.scalar(select(Account).where(Account.pseudonym == "demo-member2"))
    mentor = db.session.scalar(select(Account).where(Account.pseudonym == "demo-mentor"))
    healing = demo_program(
        staff, _("Healing circle"), "healing", now=now, capacity=12, needs_approval=False
    )
    leadership = demo_program(
        staff, _("Survivor leadership"), "leadership", now=now, capacity=3, needs_approval=True
    )
    programs.enroll(member2, healing.id, now=now)
    for account in (member2, mentor):
        programs.enroll(account, leadership.id, now=now)
    made = [
        sessions.add_session(healing.id, sessions.SessionDetails(str(title), *rest), now=now)
        for title, *rest in DEMO_SESSIONS
    ]
    sessions.mark(member2, healing.id, made[0].id, done=True)
    db.session.flush()


# The healing circle's sessions, written for this demo: (title, body, prompt, minutes).
DEMO_SESSIONS = (
    (
        _l("Arriving"),
        "This circle is a place to learn at your own pace. Nothing here has to be done "
        "in order, or at all.\n\n"
        "Before you start, notice where you are:\n\n"
        "- your feet on the floor,\n"
        "- three things you can see,\n"
        "- one slow breath out, longer than the breath in.\n\n"
        "You can close this page at any time. The quick exit at the top always works.",
        "What would make the next few minutes feel a little safer for you?",
        15,
    ),
    (
        _l("Stress and the body"),
        "After long danger, the body can stay on guard: a racing heart, tight shoulders, "
        "sleep that does not come. That is the body *protecting* you, not failing you.\n\n"
        "Small things can tell it the danger has passed: warm water on the hands, a walk, "
        "naming five colours you can see.",
        "Where in your body do you notice calm, even a little?",
        20,
    ),
    (
        _l("Boundaries are yours"),
        "A boundary is what you decide is all right for you, and what is not. You may "
        "change it whenever you like.\n\n"
        "> Saying **no** is a complete sentence.\n\n"
        "In this community, nobody asks for your story. You share what you choose, when "
        "you choose.",
        "Think of one small no that protected you. What helped you say it?",
        25,
    ),
    (
        _l("Asking for support"),
        "Nobody heals alone. Support can be a peer, a caseworker, a doctor, a hotline.\n\n"
        "The safety page lists crisis lines you can call or text at any hour, and the "
        "staff who run this circle can help you find legal, housing and health help.",
        "Who is one person, or one place, you could turn to this week?",
        20,
    ),
)


def seed_pathway(now: datetime) -> None:
    """The leadership program that ran from eight weeks ago to last week, its roster as
    staff keep it: attendance recorded at each of its eight meetings (`demo-member` came
    to 7, `demo-member2` to 6). `demo-member` completed it last week and said they would
    like to mentor, so admins see them under "Eligible to mentor" (/admin) and may make
    them a mentor. `demo-member2` has a place and no completion yet, so `demo-staff` can
    record one on the roster today, and undo it today (an undo is only for the day it was
    recorded: programs/completion.py)."""
    staff = db.session.scalar(select(Account).where(Account.pseudonym == "demo-staff"))
    member = db.session.scalar(select(Account).where(Account.pseudonym == "demo-member"))
    member2 = db.session.scalar(select(Account).where(Account.pseudonym == "demo-member2"))
    began = now - timedelta(weeks=9)  # requests open, a week before its first meeting
    past = demo_program(
        staff,
        _("Survivor leadership (last season)"),
        "leadership",
        now=began,
        capacity=8,
        needs_approval=False,
    )
    place = programs.enroll(member, past.id, now=began)
    programs.enroll(member2, past.id, now=began)
    missed = {member.id: {3}, member2.id: {2, 5}}  # the meetings each one missed
    for number, (occurrence, _event) in enumerate(catalog.meetings(past.id)):
        came = {who for who, away in missed.items() if number not in away}
        attendance.record_attendance(
            past.id, occurrence.id, came, now=occurrence.starts_at + timedelta(hours=2)
        )
    completion.complete(past.id, place.id, now=now - timedelta(weeks=1))
    past.status = ProgramStatus.COMPLETED
    mentoring.say_interest(member, True)
    db.session.flush()


DEMO_STORIES = (
    # (title, body, warnings, audience, state)
    (
        _l("The morning I said no"),
        "For a long time I thought *no* was a word for other people.\n\n"
        "Then one morning I said it, quietly, and the sky did not fall.\n\n"
        "> Your voice is still yours.\n\n"
        "If you are reading this and you are not there yet: that's all right.",
        [],
        "public",
        "published",
    ),
    (
        _l("What court taught me"),
        "The hearings were long and I was treated as the one who did wrong.\n\n"
        "- I learned to ask for an advocate.\n"
        "- I learned to ask for breaks.\n"
        "- I learned that my story is *mine*.",
        ["court_police", "exploitation"],
        "members",
        "published",
    ),
    (
        _l("Leading the circle"),
        "Last week I led my first peer circle. My hands shook, and then they didn't.",
        [],
        "members",
        "pending",
    ),
    (
        _l("Home, again"),
        "Going home was harder than leaving. I still go, some Sundays.",
        ["family"],
        "public",
        "reported",
    ),
)


def seed_stories(now: datetime) -> int:
    """Add demo stories: published with and without warnings, one pending, one reported."""
    author = db.session.scalar(select(Account).where(Account.pseudonym == "demo-member"))
    mentor = db.session.scalar(select(Account).where(Account.pseudonym == "demo-mentor"))
    reader = db.session.scalar(select(Account).where(Account.pseudonym == "demo-member2"))
    for title, body, warnings, audience, state in DEMO_STORIES:
        data = stories.StoryInput(title=str(title), body=body, warnings=warnings, audience=audience)
        story = stories.submit(author, data, now=now).story
        if state in ("published", "reported"):
            moderation.decide_story(
                mentor, story.id, "approve", note="", seen_updated_at=None, now=now
            )
        if state == "reported":
            story_reports.report(reader, story.id, category="missing_warning", note="", now=now)
    db.session.flush()
    return len(DEMO_STORIES)


def seed_help(now: datetime) -> int:
    """Fill the help library with its demo resources (advocacy/help/demo_resources.py)."""
    for details in DEMO_RESOURCES:
        help_library.create(details, now=now)
    return len(DEMO_RESOURCES)
