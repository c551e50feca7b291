"""Benchmark data for `flask seed-bench --scale N` (bench/README.md, `make bench`).

At scale 1: 10,000 members, 100,000 published stories, 5,000 meetings (one-off and
series, more than half over, 30 % of them programs' meetings) and 1,000 programs
with their places; scale 0.1 is ten times less. Staff (40 at scale 1, at least 2) run
the events and programs. The first READERS members are the accounts the benchmark signs
in as: each holds places at upcoming meetings and in two current programs, and has
READER_NOTICES notices (a member's own, so not scaled). Everyone shares one password,
hashed once with the app's argon2 settings. Rows are written in bulk (rows.py), but as
the services would leave them (see each module); the report counts they imply are added
to `monthly_counts` as reports/counting.py would. Nothing here is imported by a request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pyotp
from sqlalchemy import exists, func, select, update

from advocacy import clock
from advocacy.accounts.models import Account, Role
from advocacy.accounts.policy import pseudonym_key
from advocacy.bench_seed.meetings import insert_events, plan_open_events
from advocacy.bench_seed.programs import plan_program_meetings, seed_programs
from advocacy.bench_seed.rows import batches, insert_returning_ids
from advocacy.bench_seed.writing import seed_notices, seed_stories
from advocacy.events.models import Event, Occurrence, Rsvp, RsvpStatus
from advocacy.extensions import db, passwords
from advocacy.programs.models import Enrollment, EnrollmentStatus, Program
from advocacy.reports.counting import count
from advocacy.reports.models import Measure
from advocacy.stories.models import Audience, Story

# Only for benchmark databases (the command refuses production and non-empty databases).
DEFAULT_PASSWORD = "lantern-orbit-meadow-quiet-bench"  # noqa: S105 - documented, bench only
READERS = 4
MEMBER_PREFIX = "bench-member-"
STAFF_PREFIX = "bench-staff-"
PROGRAM_MEETING_SHARE = 0.3
MEMBERS_SINCE_DAYS = 3 * 365
LAST_LOGIN_WITHIN_DAYS = 500  # inside the 548-day inactivity period (privacy/rules.py)


@dataclass(frozen=True)
class Sizes:
    """How much a scale makes (rounded; at least READERS members and 2 staff)."""

    members: int
    stories: int
    meetings: int
    programs: int
    staff: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        return cls(
            members=max(READERS, round(10_000 * scale)),
            stories=round(100_000 * scale),
            meetings=round(5_000 * scale),
            programs=round(1_000 * scale),
            staff=max(2, round(40 * scale)),
        )


def reader_pseudonyms() -> list[str]:
    """Return the pseudonyms the benchmark signs in as."""
    return [f"{MEMBER_PREFIX}{n}" for n in range(1, READERS + 1)]


def account_rows(prefix: str, count: int, role: str, password_hash: str, now: datetime):
    """Yield `count` accounts named prefix1…, joined over the last three years, oldest
    first; privileged roles have a second factor, as they must to use the site."""
    today = clock.local_date(now)
    for n in range(1, count + 1):
        pseudonym = f"{prefix}{n}"
        joined = now - timedelta(days=MEMBERS_SINCE_DAYS) * (count + 1 - n) / (count + 1)
        seen = today if n <= READERS else today - timedelta(days=n % LAST_LOGIN_WITHIN_DAYS)
        yield {
            "pseudonym": pseudonym,
            "pseudonym_key": pseudonym_key(pseudonym),
            "password_hash": password_hash,
            "role": role,
            "totp_secret": None if role == Role.MEMBER else pyotp.random_base32(),
            "created_at": joined,
            "last_login_on": max(seen, clock.local_date(joined)),
        }


def seed(scale: float, *, now: datetime, password: str) -> Sizes:
    """Fill the database for `scale` (flushes, never commits); return the sizes made."""
    sizes = Sizes.at(scale)
    tally: Counter = Counter()
    password_hash = passwords.hash(password)
    staff_ids = insert_returning_ids(
        Account, account_rows(STAFF_PREFIX, sizes.staff, Role.STAFF, password_hash, now)
    )
    members = list(account_rows(MEMBER_PREFIX, sizes.members, Role.MEMBER, password_hash, now))
    for row in members:
        tally[(Measure.NEW_MEMBER, None, clock.local_date(row["created_at"]).replace(day=1))] += 1
    member_ids = insert_returning_ids(Account, members)
    reader_ids = member_ids[:READERS]
    seed_stories(sizes.stories, member_ids, now, tally)
    programs = seed_programs(
        sizes.programs,
        staff_ids=staff_ids,
        member_ids=member_ids,
        reader_ids=reader_ids,
        now=now,
        tally=tally,
    )
    for batch in batches(sorted(programs.mentor_eligible), 500):
        db.session.execute(
            update(Account).where(Account.id.in_(batch)).values(is_mentor_eligible=True)
        )
    today = clock.local_date(now)
    events = plan_program_meetings(programs, round(sizes.meetings * PROGRAM_MEETING_SHARE), today)
    used = sum(len(e.spans) for e in events)
    events += (
        plan_open_events(sizes.meetings - used, staff_ids, today) if used < sizes.meetings else []
    )
    events.sort(key=lambda e: e.spans[0].starts_at)
    insert_events(events, member_ids=member_ids, reader_ids=reader_ids, now=now, tally=tally)
    found = targets(now)
    seed_notices(reader_ids, notice_links(found), now)
    add_counts(tally)
    db.session.flush()
    return sizes


def notice_links(found: dict) -> dict[str, tuple[str, str]]:
    """Return what each kind of reader notice is about: (link, title)."""
    story = db.session.get(Story, found["story"]) if found["story"] else None
    program = db.session.get(Program, found["program"]) if found["program"] else None
    meeting = db.session.get(Occurrence, found["meeting"]) if found["meeting"] else None
    story_link = (f"/stories/{story.id}", story.title) if story else ("/stories", "A story")
    program_link = (
        (f"/programs/{program.id}", program.title) if program else ("/programs", "A program")
    )
    meeting_link = (
        (f"/events/{meeting.id}", meeting.event.title) if meeting else ("/events", "A meeting")
    )
    return {
        "story_approved": story_link,
        "enrollment_confirmed": program_link,
        "program_changed": program_link,
        "waitlist_promoted": meeting_link,
    }


def add_counts(tally: Counter) -> None:
    """Add the tallied report counts, one upsert per month, program and measure."""
    zone = clock.site_zone()
    for (measure, program_id, month), by in sorted(tally.items(), key=str):
        count(measure, program_id=program_id, now=clock.instant(month, time(12), zone), by=by)


def reader_id() -> int | None:
    """Return the id of the first reader (the account the benchmark signs in as)."""
    key = pseudonym_key(reader_pseudonyms()[0])
    return db.session.scalar(select(Account.id).where(Account.pseudonym_key == key))


def targets(now: datetime) -> dict[str, int | None]:
    """Return the ids of the pages the benchmark reads (None where the scale is too small
    to have one): the newest public story; the first reader's next meeting of a series
    they hold a place at; and the latest program they have a place in that has meetings."""
    reader = reader_id()
    story = db.session.scalar(
        select(Story.id)
        .where(
            Story.published_at.is_not(None),
            Story.hidden_at.is_(None),
            Story.audience == Audience.PUBLIC,
        )
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(1)
    )
    meeting = db.session.scalar(
        select(Occurrence.id)
        .join(Event)
        .join(Rsvp, Rsvp.occurrence_id == Occurrence.id)
        .where(
            Rsvp.account_id == reader,
            Rsvp.status == RsvpStatus.CONFIRMED,
            Event.program_id.is_(None),
            Event.recurrence_rule.is_not(None),
            Occurrence.is_cancelled.is_(False),
            Occurrence.starts_at > now,
        )
        .order_by(Occurrence.starts_at, Occurrence.id)
        .limit(1)
    )
    program = db.session.scalar(
        select(Program.id)
        .join(Enrollment)
        .where(
            Enrollment.account_id == reader,
            Enrollment.status == EnrollmentStatus.CONFIRMED,
            exists().where(Event.program_id == Program.id),
        )
        .order_by(Program.starts_on.desc(), Program.id.desc())
        .limit(1)
    )
    return {"story": story, "meeting": meeting, "program": program}


def counts() -> dict[str, int]:
    """Return how much benchmark data the database holds, as Sizes names it (the staff
    are left out: the four others tell a scale)."""

    def rows(query) -> int:
        return db.session.scalar(select(func.count()).select_from(query.subquery()))

    return {
        "members": rows(select(Account.id).where(Account.pseudonym.startswith(MEMBER_PREFIX))),
        "stories": rows(select(Story.id).where(Story.published_at.is_not(None))),
        "meetings": rows(select(Occurrence.id)),
        "programs": rows(select(Program.id)),
    }
