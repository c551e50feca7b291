"""Builders for service-level program tests: programs and their meetings in the open session.

Like tests/support/event_rules.py: each test runs inside one request context and calls
the programs services with an explicit `now` (NOW), so dates can be tested to the day.
"""

from __future__ import annotations

from datetime import time, timedelta

from advocacy.accounts.models import Account
from advocacy.events import scheduling
from advocacy.events.models import Occurrence
from advocacy.programs import catalog
from advocacy.programs.models import Program
from tests.support.event_rules import NOW, details

TODAY = NOW.date()
DAY = timedelta(days=1)


def program(
    creator: Account,
    title: str = "Healing",
    *,
    capacity: int = 2,
    starts_in: int = 21,
    status: str = "open",
    **changes,
) -> Program:
    """A program made at NOW, taking requests from yesterday, starting in `starts_in` days
    and lasting 60; keyword arguments replace single fields of ProgramDetails."""
    fields = {
        "title": title,
        "kind": "healing",
        "summary": "Eight weeks.",
        "description": "Weekly.",
        "capacity": capacity,
        "enrollment_opens_on": TODAY - DAY,
        "enrollment_closes_on": TODAY + 20 * DAY,
        "starts_on": TODAY + starts_in * DAY,
        "ends_on": TODAY + (starts_in + 60) * DAY,
        "needs_approval": False,
        "status": status,
    } | changes
    return catalog.create_program(creator, catalog.ProgramDetails(**fields), now=NOW)


def details_of(made: Program, **changes) -> catalog.ProgramDetails:
    """The program's own details, with `changes` put in (for catalog.update_program)."""
    fields = catalog.ProgramDetails.__dataclass_fields__
    return catalog.ProgramDetails(**{name: getattr(made, name) for name in fields} | changes)


def meeting(creator: Account, made: Program, *, in_days: int) -> Occurrence:
    """One meeting of the program, 12:00 to 13:00 UTC, `in_days` days from today."""
    schedule = scheduling.Schedule(
        first_day=TODAY + in_days * DAY, starts=time(12), ends=time(13), capacity=None
    )
    event = scheduling.schedule_event(creator, details(), schedule, now=NOW, program_id=made.id)
    return event.occurrences[0]
