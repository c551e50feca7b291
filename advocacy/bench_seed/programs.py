"""Programs, their hosts, places and meetings for `flask seed-bench`, as
programs/services.py and programs/completion.py would leave them.

Programs start every few days from three years ago to five months ahead (so most are
over), eight weeks each. By their dates they are completed (a few cancelled), running
(closed to requests) or open (a few drafts); every one still to start takes requests
now. Each has places confirmed up to capacity (some pending where staff approve
requests), a waiting list beyond, and `taken` to match; completed ones record who
completed. A program over for more than the enrollment period (365 days) keeps only its
counts, as the purge leaves it. The programs nearest today get their weekly meetings,
as many as the meetings' share allows, the readers' first. The readers hold a confirmed
place in the two current programs (running or open) nearest today.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from advocacy import clock
from advocacy.bench_seed.meetings import PlannedEvent, event_row, plan_event
from advocacy.bench_seed.rows import insert_returning_ids, insert_rows
from advocacy.events.recurrence import WEEKLY_KIND, Repeat
from advocacy.programs.models import (
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramHost,
    ProgramKind,
    ProgramStatus,
)
from advocacy.reports.counting import month_of
from advocacy.reports.models import Measure

WEEKS = 8
PAST_DAYS, AHEAD_DAYS = 3 * 365, 150
OPENS_BEFORE_DAYS = 180  # requests open this long before the start: all future ones take them
ENROLLMENT_DAYS = 365  # enrollments go 365 days after the program ends (privacy/rules.py)
TITLES = ("Healing together", "Leadership and advocacy", "Steady ground", "Speaking up")
READER_PROGRAMS = 2


@dataclass
class Seeded:
    """What the programs left for the rest of the seed."""

    ids: list[int]
    rows: list[dict]
    mentor_eligible: set[int]
    reader_programs: set[int]  # indices into rows


def status_of(i: int, starts_on: date, ends_on: date, today: date) -> str:
    """Return the i-th program's status from its dates."""
    if starts_on > today:
        return ProgramStatus.DRAFT if i % 20 == 7 else ProgramStatus.OPEN
    if ends_on >= today:
        return ProgramStatus.CLOSED
    return ProgramStatus.CANCELLED if i % 25 == 3 else ProgramStatus.COMPLETED


def program_rows(count: int, staff_ids: list[int], today: date, now: datetime) -> list[dict]:
    """Return the programs, oldest first; the last starts AHEAD_DAYS from today."""
    rows = []
    for i in range(count):
        offset = AHEAD_DAYS - (PAST_DAYS + AHEAD_DAYS) * (count - 1 - i) // max(count - 1, 1)
        starts_on = today + timedelta(days=offset)
        ends_on = starts_on + timedelta(weeks=WEEKS, days=-1)
        opens_on = starts_on - timedelta(days=OPENS_BEFORE_DAYS)
        kind = ProgramKind.LEADERSHIP if i % 4 == 0 else ProgramKind.HEALING
        rows.append(
            {
                "title": f"{TITLES[i % len(TITLES)]} (group {i + 1})",
                "kind": kind,
                "summary": "Eight weekly sessions with peers, at your own pace.",
                "description": "Each session is 90 minutes. Share as much or as little as "
                "you like.",
                "capacity": 10 + 5 * (i % 4),
                "enrollment_opens_on": opens_on,
                "enrollment_closes_on": starts_on - timedelta(days=1),
                "starts_on": starts_on,
                "ends_on": ends_on,
                "needs_approval": i % 3 == 0,
                "status": status_of(i, starts_on, ends_on, today),
                "created_by_id": staff_ids[i % len(staff_ids)],
                "created_at": min(clock.instant(opens_on, time(9), clock.site_zone()), now),
                # Places and kept counts, filled in by seed_programs.
                "taken": 0,
                "enrolled_count": 0,
                "completed_count": 0,
            }
        )
    return rows


def has_places(row: dict, today: date) -> bool:
    """Return whether the program's enrollments are still kept (not a draft or cancelled,
    not over for longer than ENROLLMENT_DAYS)."""
    if row["status"] in (ProgramStatus.DRAFT, ProgramStatus.CANCELLED):
        return False
    return row["ends_on"] >= today - timedelta(days=ENROLLMENT_DAYS)


def seed_programs(
    count: int,
    *,
    staff_ids: list[int],
    member_ids: list[int],
    reader_ids: list[int],
    now: datetime,
    tally: Counter,
) -> Seeded:
    """Insert the programs, their hosts and places; return what the meetings need."""
    rng = random.Random(1000)  # noqa: S311 - sample data, the same every run
    today = clock.local_date(now)
    rows = program_rows(count, staff_ids, today, now)
    current = [n for n, r in enumerate(rows) if r["status"] in CURRENT]
    reader_programs = set(sorted(current, key=nearness(rows, today))[:READER_PROGRAMS])
    requests = []  # (program index, account id, status, completed on, created at)
    for n, row in enumerate(rows):
        if not has_places(row, today):
            kept_counts(row)
            continue
        wanted = row["capacity"] // 2 + n % 7
        if row["status"] != ProgramStatus.OPEN:
            wanted = row["capacity"] + n % 4
        readers = reader_ids if n in reader_programs else []
        drawn = rng.sample(member_ids, min(wanted, len(member_ids)))
        people = list(dict.fromkeys([*readers, *drawn]))  # one request per person
        places = [place(row, p, account_id in readers) for p, account_id in enumerate(people)]
        row["taken"] = sum(status != EnrollmentStatus.WAITLISTED for status, _ in places)
        row["enrolled_count"] = sum(s == EnrollmentStatus.CONFIRMED for s, _ in places)
        row["completed_count"] = sum(done is not None for _, done in places)
        opened = clock.instant(row["enrollment_opens_on"], time(9), clock.site_zone())
        for p, (account_id, (status, done)) in enumerate(zip(people, places, strict=True)):
            created = min(opened + timedelta(hours=p), now - timedelta(hours=1))
            requests.append((n, account_id, status, done, created))
    ids = insert_returning_ids(Program, rows)
    insert_rows(
        ProgramHost,
        (
            {"program_id": program_id, "account_id": row["created_by_id"]}
            for program_id, row in zip(ids, rows, strict=True)
        ),
    )
    insert_rows(Enrollment, enrollment_rows(requests, ids, tally))
    for program_id, row in zip(ids, rows, strict=True):
        count_kept(tally, program_id, row, today)
    eligible = {
        account_id
        for n, account_id, _, done, _ in requests
        if done is not None and rows[n]["kind"] == ProgramKind.LEADERSHIP
    }
    return Seeded(ids, rows, eligible, reader_programs)


CURRENT = (ProgramStatus.OPEN, ProgramStatus.CLOSED)


def enrollment_rows(requests: list[tuple], ids: list[int], tally: Counter):
    """Yield the enrollments, counting each as programs/services.py does: asked, then a
    place or a wait, and a completion in the month the program ended."""
    for n, account_id, status, done, created in requests:
        program_id, month = ids[n], month_of(created)
        tally[(Measure.REQUESTED, program_id, month)] += 1
        if status == EnrollmentStatus.CONFIRMED:
            tally[(Measure.PLACE_GIVEN, program_id, month)] += 1
        elif status == EnrollmentStatus.WAITLISTED:
            tally[(Measure.WAITLISTED, program_id, month)] += 1
        if done is not None:
            tally[(Measure.COMPLETED, program_id, done.replace(day=1))] += 1
        yield {
            "program_id": program_id,
            "account_id": account_id,
            "status": status,
            "completed_on": done,
            "created_at": created,
        }


def place(row: dict, position: int, reader: bool) -> tuple[str, date | None]:
    """Return the status of the request at `position` and its completion date, if any."""
    if position >= row["capacity"]:
        return EnrollmentStatus.WAITLISTED, None
    approving = row["status"] == ProgramStatus.OPEN and row["needs_approval"]
    if approving and position % 5 == 4 and not reader:
        return EnrollmentStatus.PENDING, None
    completed = row["status"] == ProgramStatus.COMPLETED and position % 10 < 7
    return EnrollmentStatus.CONFIRMED, row["ends_on"] if completed else None


def kept_counts(row: dict) -> None:
    """Give a completed program whose places were purged the counts it keeps."""
    if row["status"] == ProgramStatus.COMPLETED:
        row["enrolled_count"] = row["capacity"]
        row["completed_count"] = row["capacity"] * 7 // 10


def count_kept(tally: Counter, program_id: int, row: dict, today: date) -> None:
    """Count, for a program whose places were purged, what its kept counts say."""
    if has_places(row, today) or row["status"] != ProgramStatus.COMPLETED:
        return
    month = row["enrollment_opens_on"].replace(day=1)
    tally[(Measure.REQUESTED, program_id, month)] += row["capacity"]
    tally[(Measure.PLACE_GIVEN, program_id, month)] += row["capacity"]
    tally[(Measure.COMPLETED, program_id, row["ends_on"].replace(day=1))] += row["completed_count"]


def nearness(rows: list[dict], today: date):
    """Return the sort key that puts the programs (indices into `rows`) whose first day is
    nearest today first."""
    return lambda n: (abs((rows[n]["starts_on"] - today).days), n)


def plan_program_meetings(seeded: Seeded, budget: int, today: date) -> list[PlannedEvent]:
    """Plan weekly meetings for the readers' programs, then those nearest today (never
    drafts or cancelled ones), WEEKS each from the first day, until `budget` meetings are
    planned: the benchmark reads a reader's program with its meetings."""
    near = nearness(seeded.rows, today)
    order = sorted(
        (
            n
            for n, row in enumerate(seeded.rows)
            if row["status"] not in (ProgramStatus.DRAFT, ProgramStatus.CANCELLED)
        ),
        key=lambda n: (n not in seeded.reader_programs, near(n)),
    )
    events, used = [], 0
    for n in order:
        if used >= budget:
            break
        row, meetings = seeded.rows[n], min(WEEKS, budget - used)
        repeat = Repeat(WEEKLY_KIND, count=meetings) if meetings > 1 else None
        details = event_row(n, row["created_by_id"], program_id=seeded.ids[n], title=row["title"])
        events.append(plan_event(details, row["starts_on"], time(17, 30), None, repeat))
        used += meetings
    return events
