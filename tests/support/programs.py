"""Builders for tests that need programs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import Flask

from advocacy.accounts.models import Account
from advocacy.events import scheduling
from advocacy.events.recurrence import Repeat
from advocacy.extensions import db
from advocacy.programs import catalog, completion, services, sessions

MEETING_VENUE = "Program room 7, 88 Lantern Lane"


@dataclass
class MadeProgram:
    id: int
    meeting_ids: list[int]


def make_program(
    app: Flask,
    creator_id: int,
    *,
    now: datetime,
    title: str = "Healing together",
    kind: str = "healing",
    capacity: int = 5,
    needs_approval: bool = False,
    status: str = "open",
    meetings: int = 1,
    starts_in: int = 21,
    ends_in: int = 80,
    venue: str = MEETING_VENUE,
) -> MadeProgram:
    """Create an open program (requests open today) with weekly meetings, starting
    `starts_in` days after `now`'s UTC date (negative: it started that long ago) and
    ending `ends_in` days after that date."""
    today = now.date()
    with app.app_context():
        creator = db.session.get(Account, creator_id)
        program = catalog.create_program(
            creator,
            catalog.ProgramDetails(
                title=title,
                kind=kind,
                summary="Eight weeks of peer support.",
                description="We meet weekly.",
                capacity=capacity,
                enrollment_opens_on=today - timedelta(days=1),
                enrollment_closes_on=today + timedelta(days=20),
                starts_on=today + timedelta(days=starts_in),
                ends_on=today + timedelta(days=ends_in),
                needs_approval=needs_approval,
                status=status,
            ),
            now=now,
        )
        meeting_ids = []
        if meetings:
            first_day = today + timedelta(days=2)
            event = scheduling.schedule_event(
                creator,
                scheduling.EventDetails(
                    title=f"{title} meeting",
                    description="",
                    is_online=False,
                    area="Queens",
                    venue=venue,
                    timezone="America/New_York",
                    language="en",
                    accessibility="",
                ),
                scheduling.Schedule(
                    first_day=first_day,
                    starts=time(18),
                    ends=time(19),
                    capacity=None,
                    repeat=Repeat("weekly", count=meetings) if meetings > 1 else None,
                ),
                now=now,
                program_id=program.id,
            )
            meeting_ids = [o.id for o in event.occurrences]
        db.session.commit()
        return MadeProgram(program.id, meeting_ids)


def make_letter_code(app: Flask, runner_id: int, member_id: int, *, now: datetime) -> str:
    """Enroll the member in a new program of the runner's (started yesterday), complete it,
    issue the letter: return its verification code as printed."""
    program = make_program(
        app, runner_id, now=now, title="Leading together", meetings=0, starts_in=-1
    )
    with app.app_context():
        member = db.session.get(Account, member_id)
        enrollment = services.enroll(member, program.id, now=now)
        completion.complete(program.id, enrollment.id, now=now)
        code = completion.issue_letter(member, program.id, now=now).code
        db.session.commit()
        return code


def make_sessions(app: Flask, program_id: int, count: int, *, now: datetime) -> list[int]:
    """Add `count` sessions to the program ("Session 1", "Session 2"…, 20 minutes each);
    return their ids in order."""
    with app.app_context():
        made = [
            sessions.add_session(
                program_id,
                sessions.SessionDetails(
                    title=f"Session {n}",
                    body=f"Words of **session {n}**.",
                    prompt=f"What stayed with you from session {n}?",
                    minutes=20,
                ),
                now=now,
            ).id
            for n in range(1, count + 1)
        ]
        db.session.commit()
        return made
