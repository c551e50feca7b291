"""Reports built from the monthly counts: whole months, counts only, small numbers hidden.

Who sees what: staff see a table set for each program they run (programs/hosts.py),
never the whole site's numbers; admins and the command line (the site's operator) see
every program and the whole site. Every number goes through suppression.py.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import product

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from advocacy.accounts.models import Account, Role
from advocacy.domain import DomainError
from advocacy.extensions import db
from advocacy.fields import CALENDAR_YEARS
from advocacy.programs.models import Program, ProgramHost
from advocacy.reports.models import Measure, MonthlyCount
from advocacy.reports.suppression import Shown, suppress

# The longest report: five years of months.
MAX_MONTHS = 60
# "2026-11" or "2026-11-30" (the day is only checked, then dropped): ASCII digits only.
MONTH_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")

MEASURE_LABELS = {
    Measure.REQUESTED: _l("Requests for a place"),
    Measure.PLACE_GIVEN: _l("Places given"),
    Measure.WAITLISTED: _l("Requests put on the waiting list"),
    Measure.DECLINED: _l("Requests declined"),
    Measure.WITHDRAWN: _l("Withdrawals"),
    Measure.COMPLETED: _l("Completions"),
    Measure.MEETING_HELD: _l("Meetings held"),
    Measure.RSVP: _l("RSVPs"),
    Measure.ATTENDED: _l("Attendances"),
    Measure.NEW_MEMBER: _l("Accounts joined"),
    Measure.STORY_SUBMITTED: _l("Stories sent for review"),
    Measure.STORY_PUBLISHED: _l("Stories published"),
    Measure.REPORT_FILED: _l("Reports of stories"),
    Measure.REPORT_KEPT: _l("Reports decided: story kept up"),
    Measure.REPORT_REMOVED: _l("Reports decided: story taken down"),
}


class ReportError(DomainError):
    """A report that cannot be made as asked."""


class NotYours(ReportError):
    """A program the viewer does not run, or that is not there (views answer 404)."""


# What one thing counted goes through, step by step, each step counting the measures it names
# at once. A request for a place (programs/services.py, programs/completion.py): asked and
# given a place at once (a program without approval, a place free), asked and put on the
# waiting list (full), or asked and held for a decision (approval: nothing more counted);
# then given a place (moved up from the waiting list, or approved: moving up to a decision
# counts nothing), declined, or withdrawn; a place completed or withdrawn from (never
# both: no withdrawing after completing). A report of a story (stories/reports.py,
# moderation/reported.py): filed, then decided, kept up or taken down.
PLACE_PATHS = (
    "requested place_given > completed",
    "requested place_given > withdrawn",
    "requested waitlisted > place_given > completed",
    "requested waitlisted > place_given > withdrawn",
    "requested waitlisted > declined",
    "requested waitlisted > withdrawn",
    "requested > place_given > completed",
    "requested > place_given > withdrawn",
    "requested > declined",
    "requested > withdrawn",
)
REPORT_PATHS = ("report_filed > report_kept", "report_filed > report_removed")


def month_items(paths: tuple[str, ...]) -> tuple[frozenset[Measure], ...]:
    """Return what one thing can add to within one month: the measures of a run of steps
    one after another on one of `paths` ("a b > c": steps split by ">", each counting the
    measures it names; a month holds some of a thing's steps, in order)."""
    steps = [[step.split() for step in path.split(">")] for path in paths]
    return tuple(
        dict.fromkeys(
            frozenset(Measure(m) for step in path[start:end] for m in step)
            for path in steps
            for start in range(len(path))
            for end in range(start + 1, len(path) + 1)
        )
    )


def running_limits(
    paths: tuple[str, ...], measures: tuple[Measure, ...]
) -> tuple[tuple[frozenset[Measure], frozenset[Measure]], ...]:
    """Return the running limits of things that move along `paths` (as month_items reads
    them): each (A, B), A and B disjoint sets of `measures`, such that every thing, after
    any number of its steps, has added no more to A's measures than to B's; so from the first
    month to any month, the sum of A's counts never exceeds the sum of B's. Only the
    strongest are kept (none whose A could grow or B shrink and still hold); with counts
    never below 0 they imply the rest. For places: completions + withdrawals + declines
    never exceed requests, nor places given + declines, nor waits; completions never
    exceed places given (and a sum of two of these). For reports: kept up + taken down
    never exceed reports filed."""
    steps = [[step.split() for step in path.split(">")] for path in paths]
    reached = {
        tuple(sum(m in step for step in path[:end]) for m in measures)
        for path in steps
        for end in range(1, len(path) + 1)
    }
    holding = [
        signs
        for signs in product((-1, 0, 1), repeat=len(measures))
        if 1 in signs
        and all(sum(s * n for s, n in zip(signs, v, strict=True)) <= 0 for v in reached)
    ]
    strongest = [
        signs
        for signs in holding
        if not any(
            other != signs and all(o >= s for o, s in zip(other, signs, strict=True))
            for other in holding
        )
    ]
    return tuple(
        (
            frozenset(m for m, s in zip(measures, signs, strict=True) if s == 1),
            frozenset(m for m, s in zip(measures, signs, strict=True) if s == -1),
        )
        for signs in strongest
    )


@dataclass(frozen=True)
class Group:
    """Measures shown together: one table and one chart.

    `items` (month_items) ties the measures they name: one request or report counted in
    several of them makes identities between them within a month, so a hidden count could
    be worked out from the others (suppression.py withholds more of them). In a month where
    nobody moved up from the waiting list and nothing was approved or left pending,
    requests = places given + waits; where each request was decided within it,
    requests = places given + waits + declines; where each withdrawal gave its place to
    someone waiting, requests + withdrawals = places given + waits; where each place given
    was completed or withdrawn from within it, places given = completions + withdrawals;
    where every report filed was decided within it, reports = kept up + taken down; and
    more such. Meetings held count meetings and attendances count people at them, RSVPs
    and attendances, accounts joined and stories, or stories sent and published tie no
    three counts, so those groups have no items. No whole-site row is a sum of program
    rows: the site's meetings, RSVPs and attendances are of events outside programs only.

    `limits` (running_limits) tie the months together: a reader who adds up the months from
    the first one counted knows, say, that reports decided never exceed reports filed, so
    suppression.py decides each month knowing the months before it.
    """

    key: str
    title: str
    measures: tuple[Measure, ...]
    items: tuple[frozenset[Measure], ...] = ()
    limits: tuple[tuple[frozenset[Measure], frozenset[Measure]], ...] = ()


PLACE_MEASURES = (
    Measure.REQUESTED,
    Measure.PLACE_GIVEN,
    Measure.WAITLISTED,
    Measure.DECLINED,
    Measure.WITHDRAWN,
    Measure.COMPLETED,
)
REPORT_MEASURES = (Measure.REPORT_FILED, Measure.REPORT_KEPT, Measure.REPORT_REMOVED)
PROGRAM_GROUPS = (
    Group(
        "places",
        _l("Places in the program"),
        PLACE_MEASURES,
        month_items(PLACE_PATHS),
        running_limits(PLACE_PATHS, PLACE_MEASURES),
    ),
    Group("program_meetings", _l("Program meetings"), (Measure.MEETING_HELD, Measure.ATTENDED)),
)
SITE_GROUPS = (
    Group(
        "events",
        _l("Peer-support meetings outside programs"),
        (Measure.MEETING_HELD, Measure.RSVP, Measure.ATTENDED),
    ),
    Group(
        "stories",
        _l("Joining and stories"),
        (Measure.NEW_MEMBER, Measure.STORY_SUBMITTED, Measure.STORY_PUBLISHED),
    ),
    Group(
        "story_reports",
        _l("Reports of stories and their outcome"),
        REPORT_MEASURES,
        month_items(REPORT_PATHS),
        running_limits(REPORT_PATHS, REPORT_MEASURES),
    ),
)
# Every measure once, in the order the CSV's columns give them.
ALL_MEASURES = tuple(
    dict.fromkeys(m for group in PROGRAM_GROUPS + SITE_GROUPS for m in group.measures)
)


@dataclass(frozen=True)
class Table:
    """One group's counts for one program (program_id None: the whole site), a row a month."""

    program_id: int | None
    scope: str
    group: Group
    months: list[date]
    shown: Shown


@dataclass(frozen=True)
class Report:
    """The tables of a report over whole months, `first` to `last` (first days of months)."""

    first: date
    last: date
    tables: list[Table]
    # Programs left out of an all-programs report: nothing counted in these months.
    left_out: int = 0

    @property
    def ends_on(self) -> date:
        """The last day the report covers."""
        return last_day(self.last)


# Months


def parse_month(text: str) -> date | None:
    """Read "YYYY-MM" (or an ISO date "YYYY-MM-DD", whose month is taken) as the first day
    of that month; None for anything else, a day that does not exist, or a year outside
    1900 to 2999 (the years every form accepts)."""
    match = MONTH_TEXT.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    if year not in CALENDAR_YEARS:
        return None
    try:
        date(year, month, day)
    except ValueError:
        return None
    return date(year, month, 1)


def add_months(month: date, months: int) -> date:
    """Return the first day of the month `months` after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Return the first day of every month from `first`'s to `last`'s, both included."""
    span = (last.year - first.year) * 12 + last.month - first.month
    return [add_months(first, n) for n in range(span + 1)]


def last_day(month: date) -> date:
    """Return the last day of `month`'s month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def check_range(first: date, last: date) -> None:
    """Refuse a range that ends before it starts or is longer than MAX_MONTHS."""
    if last < first:
        raise ReportError(_l("The last month must be the same as the first or after it."))
    if len(months_between(first, last)) > MAX_MONTHS:
        raise ReportError(
            lazy_ngettext(
                "Choose at most %(n)s month.",
                "Choose at most %(n)s months.",
                MAX_MONTHS,
                n=MAX_MONTHS,
            )
        )


# Who sees what


def sees_whole_site(viewer: Account | None) -> bool:
    """Admins and the command line (viewer None) see the whole site; staff their programs."""
    return viewer is None or viewer.role == Role.ADMIN


def programs_for(viewer: Account | None) -> list[Program]:
    """Return the programs the viewer may report on, soonest start first (one query):
    every program for admins and the command line; for staff, those they run as a host
    (the rule of advocacy/programs/hosts.py); none for anyone else."""
    query = select(Program).order_by(Program.starts_on, Program.id)
    if not sees_whole_site(viewer):
        if viewer.role != Role.STAFF:
            return []
        query = query.join(ProgramHost, ProgramHost.program_id == Program.id).where(
            ProgramHost.account_id == viewer.id
        )
    return list(db.session.scalars(query))


# The report


def report_for(
    viewer: Account | None,
    programs: list[Program],
    *,
    first: date,
    last: date,
    program_id: int | None = None,
) -> Report:
    """Build the report over the months `first` to `last` from programs_for(viewer).

    With program_id: that program's tables only (NotYours unless it is among `programs`).
    Without: a table set for each of `programs` with anything counted in these months, and
    for admins (and the command line) the whole site's tables and those of any program
    counted but no longer kept. ReportError for a range check_range refuses.
    """
    check_range(first, last)
    months = months_between(first, last)
    titles = {program.id: program.title for program in programs}
    if program_id is not None and program_id not in titles:
        raise NotYours()
    whole_site = program_id is None and sees_whole_site(viewer)
    counts = read_counts(last, program_id, whole_site, list(titles))
    counted = {pid for pid, found in counts.items() if any(m >= first for m, _ in found)}
    if program_id is not None:
        scopes = [program_id]
    else:
        scopes = [pid for pid in titles if pid in counted]
        if whole_site:
            scopes += sorted(pid for pid in counted if pid is not None and pid not in titles)
    tables = [
        table(counts.get(pid, {}), pid, program_title(titles, pid), group, months)
        for pid in scopes
        for group in PROGRAM_GROUPS
    ]
    if whole_site:
        site = str(_l("The whole site"))
        tables += [table(counts.get(None, {}), None, site, group, months) for group in SITE_GROUPS]
    left_out = 0 if program_id is not None else len(titles) - len(set(scopes) & set(titles))
    return Report(first, last, tables, left_out)


def program_title(titles: dict[int, str], program_id: int) -> str:
    """A program's title, or words for a program no longer kept."""
    if program_id in titles:
        return titles[program_id]
    return str(_l("A program no longer kept (number %(id)s)", id=program_id))


def read_counts(
    last: date, program_id: int | None, whole_site: bool, program_ids: list[int]
) -> dict[int | None, dict[tuple[date, str], int]]:
    """Return {program id (None: the site): {(month, measure): count}} for every month up to
    `last`'s, from the first counted (suppression decides each month knowing the months
    before it), only of what the report may show (one query; nothing counted is left out)."""
    query = select(
        MonthlyCount.program_id, MonthlyCount.month, MonthlyCount.measure, MonthlyCount.count
    ).where(MonthlyCount.month <= last)
    if program_id is not None:
        query = query.where(MonthlyCount.program_id == program_id)
    elif not whole_site:
        if not program_ids:
            return {}
        query = query.where(MonthlyCount.program_id.in_(program_ids))
    found: dict[int | None, dict[tuple[date, str], int]] = defaultdict(dict)
    for pid, month, measure, count in db.session.execute(query):
        if count:
            found[pid][month, measure] = count
    return dict(found)


def table(
    counts: dict[tuple[date, str], int],
    program_id: int | None,
    scope: str,
    group: Group,
    months: list[date],
) -> Table:
    """Lay one group's counts out a row a month and hide the small ones (and what would
    give them away), deciding every month from the first counted (`counts` may hold months
    before `months`) so each month shows as in any report that covers it."""
    start = min([months[0], *(month for month, _ in counts)])
    history = months_between(start, months[-1])
    rows = [[counts.get((month, measure), 0) for measure in group.measures] for month in history]
    index = {measure: group.measures.index(measure) for measure in group.measures}
    items = [tuple(sorted(index[m] for m in item)) for item in group.items]
    limits = [(sorted(index[m] for m in a), sorted(index[m] for m in b)) for a, b in group.limits]
    shown = suppress(rows, len(group.measures), items, limits, first=len(history) - len(months))
    return Table(program_id, scope, group, months, shown)
