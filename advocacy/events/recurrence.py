"""Series as RFC 5545 recurrence rules, expanded with python-dateutil's `rrule`.

What staff choose (a `Repeat`) becomes the text stored on the event, two iCalendar content
lines read in the event's own time zone (a "floating" DTSTART, RFC 5545 §3.3.5 form 1):

    DTSTART:20270601T183000
    RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270629T235959

Expansion is on local wall-clock datetimes; each meeting day then becomes instants through
clock.meeting_span (events/scheduling.py). The kinds:

- every 1 to 4 weeks on chosen weekdays (none chosen: the first day's weekday);
- monthly on the first day's date (BYMONTHDAY): months without that date are skipped, as
  RFC 5545 §3.3.10 says of invalid dates;
- monthly on the first, second, third, fourth or last chosen weekday (BYDAY=1FR, -1MO);
- each ending on a date (that whole day included) or after a number of meetings.

DTSTART is synchronized with the rule (RFC 5545 §3.8.5.3): the first meeting is the rule's
first occurrence on or after the chosen day, and a count counts from it. A rule that makes
more than MAX_OCCURRENCES meetings is refused (ScheduleInvalid), never cut short. The week
starts on Monday (WKST=MO, the RFC's default), which matters for "every other week".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice

from dateutil.rrule import rrulestr
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from advocacy.events.errors import ScheduleInvalid

MAX_OCCURRENCES = 104  # two years of a weekly group
WEEKLY_KIND, MONTHLY_DATE, MONTHLY_WEEKDAY = "weekly", "monthly_date", "monthly_weekday"
KINDS = (WEEKLY_KIND, MONTHLY_DATE, MONTHLY_WEEKDAY)
INTERVALS = range(1, 5)  # weeks
ORDINALS = (1, 2, 3, 4, -1)  # -1: the last in the month
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # Python's weekday() order
STAMP = "%Y%m%dT%H%M%S"  # an iCalendar local DATE-TIME (RFC 5545 §3.3.5)
NO_MEETING = _l(
    "No meeting falls between the first day and the end date. Please choose a later end date."
)


@dataclass(frozen=True)
class Repeat:
    """How a series repeats, as staff choose it.

    kind: "weekly", "monthly_date" or "monthly_weekday"; interval: weeks between meeting
    weeks, 1 to 4 (weekly only); weekdays: 0 (Monday) to 6 (Sunday), none meaning the first
    day's (weekly and monthly_weekday); ordinal: which of those weekdays in the month, 1 to
    4 or -1 for the last (monthly_weekday); until (a local date, included) or count (1 to
    MAX_OCCURRENCES): exactly one.
    """

    kind: str
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    ordinal: int = 1
    until: date | None = None
    count: int | None = None


@dataclass(frozen=True)
class Series:
    """A schedule's rule text (None for a one-off meeting) and every meeting's local day."""

    text: str | None
    days: list[date]


def check(repeat: Repeat) -> None:
    """Refuse (ScheduleInvalid, by the form field it concerns) a choice outside the form's."""
    if repeat.kind not in KINDS:
        raise ScheduleInvalid(_l("Choose how the meetings repeat from the list."), "recurrence")
    if repeat.interval not in INTERVALS:
        raise ScheduleInvalid(_l("Choose every 1 to 4 weeks."), "interval")
    if not set(repeat.weekdays) <= set(range(7)):
        raise ScheduleInvalid(_l("Choose days from Monday to Sunday."), "weekdays")
    if repeat.ordinal not in ORDINALS:
        raise ScheduleInvalid(
            _l("Choose the first, second, third, fourth or last week."), "ordinal"
        )
    if repeat.until is None and repeat.count is None:
        raise ScheduleInvalid(
            _l("Choose when the repeating meetings end: a date or a number of meetings."),
            "until",
        )
    if repeat.until is not None and repeat.count is not None:
        raise ScheduleInvalid(
            _l("Choose either an end date or a number of meetings, not both."), "count"
        )
    if repeat.count is not None and repeat.count < 1:  # too many: refused in plan
        raise ScheduleInvalid(_l("Choose from 1 to 104 meetings."), "count")


def rule_text(repeat: Repeat, first_day: date) -> str:
    """Return the RRULE value (RFC 5545 §3.3.10) for `repeat` from `first_day`; the weekday
    or date left unchosen is the first day's."""
    chosen = sorted(set(repeat.weekdays or (first_day.weekday(),)))
    days = ",".join(DAY_CODES[day] for day in chosen)
    if repeat.kind == WEEKLY_KIND:
        parts = ["FREQ=WEEKLY"]
        if repeat.interval != 1:
            parts.append(f"INTERVAL={repeat.interval}")
        parts.append(f"BYDAY={days}")
    elif repeat.kind == MONTHLY_DATE:
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={first_day.day}"]
    else:
        nth = ",".join(f"{repeat.ordinal}{code}" for code in days.split(","))
        parts = ["FREQ=MONTHLY", f"BYDAY={nth}"]
    if repeat.until is not None:
        parts.append(f"UNTIL={datetime.combine(repeat.until, time(23, 59, 59)):{STAMP}}")
    else:
        parts.append(f"COUNT={repeat.count}")
    return ";".join(parts)


def starts_of(text: str) -> list[datetime]:
    """Return the local wall-clock starts (naive datetimes) of a stored rule text, at most
    MAX_OCCURRENCES + 1 of them (one more tells a rule that makes too many)."""
    return list(islice(rrulestr(text), MAX_OCCURRENCES + 1))


def days_of(text: str | None) -> list[date]:
    """Return the local meeting days of a stored rule text (none for None)."""
    return [start.date() for start in starts_of(text)] if text else []


def plan(first_day: date, starts: time, repeat: Repeat | None) -> Series:
    """Return the series `repeat` makes from `first_day` with meetings starting at `starts`
    (local wall clock); a one-off meeting (repeat None) on `first_day` has no rule.

    ScheduleInvalid (with its field) for a choice outside the form's, no meeting at all, or
    more than MAX_OCCURRENCES meetings.
    """
    if repeat is None:
        return Series(None, [first_day])
    check(repeat)
    rule = rule_text(repeat, first_day)
    unsynchronized = rrulestr(rule, dtstart=datetime.combine(first_day, starts))
    first = next(iter(unsynchronized), None)
    if first is None:
        raise ScheduleInvalid(NO_MEETING, "until")
    text = f"DTSTART:{first:{STAMP}}\nRRULE:{rule}"
    found = starts_of(text)
    if len(found) > MAX_OCCURRENCES:
        raise ScheduleInvalid(
            lazy_ngettext(
                "That makes more than %(max)s meeting. Please choose an earlier end date or "
                "fewer meetings.",
                "That makes more than %(max)s meetings. Please choose an earlier end date or "
                "fewer meetings.",
                MAX_OCCURRENCES,
                max=MAX_OCCURRENCES,
            ),
            "until" if repeat.until is not None else "count",
        )
    return Series(text, [start.date() for start in found])
