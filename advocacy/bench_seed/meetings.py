"""Events, their meetings and RSVPs for `flask seed-bench`, as events/scheduling.py and
events/rsvps.py would leave them.

Meetings outside programs are spread evenly from two years ago to a year ahead (so
most are over, as on a site that has run for years): one-off meetings and series (weekly,
every other week, monthly on a weekday) whose days and instants come from the app's own
planner (events/scheduling.py: planned), each series' RFC 5545 rule stored on its event.
In-person meetings have 3 to 15 places; meetings still to come have up to six RSVPs
each (one in four with limited places is full, with two waiting), confirmed up to
capacity and waitlisted beyond (`taken` counts the confirmed ones); the readers (the
accounts the benchmark signs in as) come first at the next meetings of the first few
series. A meeting over for more than the RSVP period (30 days) keeps only its attended
count, as the purge leaves it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from advocacy import clock
from advocacy.bench_seed.rows import insert_returning_ids, insert_rows
from advocacy.events.models import Event, EventHost, Occurrence, Rsvp, RsvpStatus
from advocacy.events.recurrence import MONTHLY_WEEKDAY, WEEKLY_KIND, Repeat
from advocacy.events.scheduling import Schedule, planned
from advocacy.reports.counting import month_of
from advocacy.reports.models import Measure

# Meetings per event, in turn: one-off meetings and series of several lengths.
LENGTHS = (1, 10, 1, 6, 12, 1, 8, 4)
TITLES = (
    "Evening peer circle",
    "Leadership circle",
    "Art and calm",
    "Know your rights: questions answered",
    "Walk and talk",
    "Getting ready for work",
)
AREAS = ("Brooklyn", "Queens", "The Bronx", "Harlem", "Downtown")
ZONES = ("America/New_York", "America/New_York", "America/New_York", "America/Chicago")
STARTS = (time(18), time(12, 30), time(10))
PAST_DAYS, AHEAD_DAYS = 730, 365
RSVP_DAYS = 30  # RSVPs go 30 days after the meeting ends (privacy/rules.py)
CANCEL_EVERY = 37  # one meeting in 37 is cancelled
FULL_EVERY = 4  # one upcoming meeting with limited places in 4 is full, with a queue
READER_SERIES = 3  # readers hold places at the next meetings of this many series
READER_MEETINGS = 2  # … this many of each


@dataclass
class PlannedEvent:
    """An events row (without id), its meetings' spans, and their places."""

    row: dict
    spans: list[clock.Span]
    capacity: int | None
    cancelled: list[bool] = field(default_factory=list)


def event_row(k: int, creator_id: int, *, program_id: int | None = None, title: str = "") -> dict:
    """Return the details staff would type for the k-th event."""
    online = k % 3 == 0
    return {
        "title": title or TITLES[k % len(TITLES)],
        "description": "A peer-led group. Come as you are; share only what you want to.",
        "is_online": online,
        "area": "Online" if online else AREAS[k % len(AREAS)],
        "venue": f"https://meet.example.org/room-{k}" if online else f"Community room {k}",
        "timezone": ZONES[k % len(ZONES)],
        "language": "es" if k % 6 == 5 else "en",
        "accessibility": "Captions on request." if online else "Step-free entrance.",
        "program_id": program_id,
        "created_by_id": creator_id,
    }


def repeat_for(k: int, meetings: int) -> Repeat | None:
    """Return how the k-th event repeats to make `meetings` meetings (None: one meeting)."""
    if meetings == 1:
        return None
    if k % 5 == 4:
        return Repeat(MONTHLY_WEEKDAY, ordinal=1, count=meetings)
    return Repeat(WEEKLY_KIND, interval=2 if k % 4 == 3 else 1, count=meetings)


def plan_event(
    row: dict, first_day: date, starts: time, capacity: int | None, repeat: Repeat | None
) -> PlannedEvent:
    """Plan one event with the app's planner; store its rule as scheduling would."""
    schedule = Schedule(
        first_day=first_day,
        starts=starts,
        ends=(datetime.combine(first_day, starts) + timedelta(minutes=90)).time(),
        capacity=capacity,
        repeat=repeat,
    )
    series, spans = planned(schedule, row["timezone"])
    return PlannedEvent({**row, "recurrence_rule": series.text}, spans, capacity)


def plan_open_events(budget: int, staff_ids: list[int], today: date) -> list[PlannedEvent]:
    """Plan events outside programs holding exactly `budget` meetings, their first days
    spread evenly from PAST_DAYS ago to AHEAD_DAYS ahead."""
    events, used, k = [], 0, 0
    while used < budget:
        meetings = min(LENGTHS[k % len(LENGTHS)], budget - used)
        offset = -PAST_DAYS + (PAST_DAYS + AHEAD_DAYS) * used // budget
        online = k % 3 == 0
        events.append(
            plan_event(
                event_row(k, staff_ids[k % len(staff_ids)]),
                today + timedelta(days=offset),
                STARTS[k % len(STARTS)],
                None if online else 3 + k % 13,  # some nearly full, some with a queue
                repeat_for(k, meetings),
            )
        )
        used += meetings
        k += 1
    return events


def reader_meetings(events: list[PlannedEvent], now: datetime) -> set[int]:
    """Return the indices (over all meetings, in order) of the meetings the readers hold a
    place at: the next READER_MEETINGS meetings of the first READER_SERIES series outside
    programs with meetings to come."""
    chosen: set[int] = set()
    series_found, index = 0, 0
    for planned_event in events:
        upcoming = [
            index + n
            for n in range(len(planned_event.spans))
            if open_to_rsvp(planned_event, n, now)
        ]
        if planned_event.row["recurrence_rule"] and upcoming and series_found < READER_SERIES:
            chosen.update(upcoming[:READER_MEETINGS])
            series_found += 1
        index += len(planned_event.spans)
    return chosen


def insert_events(
    events: list[PlannedEvent],
    *,
    member_ids: list[int],
    reader_ids: list[int],
    now: datetime,
    tally: Counter,
) -> int:
    """Insert the events, their hosts (events outside programs), meetings and RSVPs;
    return how many RSVPs. Program meetings get no RSVPs: a place stands for one."""
    rng = random.Random(5000)  # noqa: S311 - sample data, the same every run
    for number, planned_event in enumerate(events):
        first = planned_event.spans[0].starts_at
        planned_event.row["created_at"] = min(first - timedelta(days=14), now - timedelta(days=1))
        planned_event.cancelled = [
            (number + n) % CANCEL_EVERY == CANCEL_EVERY - 1 for n in range(len(planned_event.spans))
        ]
    event_ids = insert_returning_ids(Event, (e.row for e in events))
    insert_rows(
        EventHost,
        (
            {"event_id": event_id, "account_id": e.row["created_by_id"]}
            for event_id, e in zip(event_ids, events, strict=True)
            if e.row["program_id"] is None
        ),
    )
    readers_at = reader_meetings(events, now)
    occurrences, places, index, limited = [], [], 0, 0
    for event_id, planned_event in zip(event_ids, events, strict=True):
        capacity = planned_event.capacity
        for n, span in enumerate(planned_event.spans):
            people: list[int] = []
            if open_to_rsvp(planned_event, n, now):
                readers = reader_ids if index in readers_at else []
                wanted = index % 7
                if capacity is not None:
                    limited += 1
                    if limited % FULL_EVERY == 0:  # full, with a few waiting
                        wanted = capacity + 2
                drawn = rng.sample(member_ids, min(len(member_ids), wanted))
                people = list(dict.fromkeys([*readers, *drawn]))  # one place per person
            confirmed = people if capacity is None else people[:capacity]
            occurrences.append(
                {
                    "event_id": event_id,
                    "starts_at": span.starts_at,
                    "ends_at": span.ends_at,
                    "capacity": capacity,
                    "taken": len(confirmed),
                    "is_cancelled": planned_event.cancelled[n],
                    "attended_count": attended(planned_event, span, now, rng, tally),
                }
            )
            places.append((people, len(confirmed)))
            index += 1
    occurrence_ids = insert_returning_ids(Occurrence, occurrences)
    return insert_rows(Rsvp, rsvp_rows(occurrence_ids, places, now, tally))


def open_to_rsvp(planned_event: PlannedEvent, n: int, now: datetime) -> bool:
    """Return whether members may hold a place at the event's n-th meeting: one still to
    come, not cancelled, outside programs (a program's place stands for an RSVP)."""
    return (
        planned_event.row["program_id"] is None
        and not planned_event.cancelled[n]
        and planned_event.spans[n].starts_at > now
    )


def attended(
    planned_event: PlannedEvent, span: clock.Span, now: datetime, rng: random.Random, tally
) -> int:
    """Return how many came to a meeting over for longer than the RSVP period (its RSVPs
    are purged, the count kept); 0 otherwise, and for programs' meetings."""
    if planned_event.row["program_id"] is not None or span.ends_at > now - timedelta(
        days=RSVP_DAYS
    ):
        return 0
    came = rng.randint(0, planned_event.capacity or 12)
    if came:
        month = month_of(span.starts_at)
        tally[(Measure.MEETING_HELD, None, month)] += 1
        tally[(Measure.ATTENDED, None, month)] += came
    return came


def rsvp_rows(occurrence_ids: list[int], places: list, now: datetime, tally: Counter):
    """Yield the RSVP rows: confirmed while places last, waitlisted after, in order."""
    for occurrence_id, (people, confirmed) in zip(occurrence_ids, places, strict=True):
        for position, account_id in enumerate(people):
            created = now - timedelta(days=2, minutes=len(people) - position)
            tally[(Measure.RSVP, None, month_of(created))] += 1
            yield {
                "occurrence_id": occurrence_id,
                "account_id": account_id,
                "status": RsvpStatus.CONFIRMED if position < confirmed else RsvpStatus.WAITLISTED,
                "attended": None,
                "created_at": created,
            }
