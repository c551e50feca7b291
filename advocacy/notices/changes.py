"""The words of the notices that say what changed about a meeting, or that it was
cancelled, put together when the member reads them (so in their language).

The params are what events/telling.py stores, all JSON:

- ``event_changed``: ``title`` (the title now) and ``changes``, a list of
  ``{"what": ..., "old": ..., "new": ..., "zone": ...}`` where ``what`` is one of
  CHANGE_LINES' keys; ``old``/``new`` are the old and new title or public area, or UTC
  instants in ISO 8601 for ``time`` and ``ends``, said in ``zone`` (the event's IANA zone);
  for ``hours`` (every meeting still to come), wall-clock hours "18:00-19:30" in ``zone``.
  ``place`` and ``link`` say only *that* the venue or meeting link changed, never what it
  is: a waiting-list member must not learn it (DESIGN §1, §3 Events). A notice without
  ``changes`` (older ones) says only that the meeting changed.
- ``event_cancelled``: ``title``, ``starts_at`` (the meeting's UTC instant in ISO 8601,
  said in ``zone``, the event's IANA zone) and an optional ``reason`` typed by staff.
  Notices left before that hold ``when`` instead: the wall clock in the event's zone,
  named ("2026-12-01 18:30 (America/New_York)"), said the same way when read.
- ``event_series_cancelled``: the same, plus ``num``: how many of the member's meetings
  were cancelled (a decimal string), said with ngettext.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from advocacy import i18n

CHANGED = _l("“%(title)s” has changed.")
CHANGED_UNSAID = _l("“%(title)s” has changed. Please check the new details.")
CANCELLED = _l("“%(title)s” on %(when)s has been cancelled.")
REASON = _l("The reason given: %(reason)s")
# One line per kind of change, in this order.
CHANGE_LINES = {
    "title": _l("Title: “%(old)s” → “%(new)s”."),
    "time": _l("Time: %(old)s → %(new)s (%(zone)s)."),
    "ends": _l("Ends: %(old)s → %(new)s (%(zone)s)."),
    "hours": _l("Every meeting still to come: %(old)s → %(new)s (%(zone)s)."),
    "online": _l("It is now online."),
    "in_person": _l("It is now in person."),
    "area": _l("Area: %(old)s → %(new)s."),
    "place": _l("The place changed."),
    "link": _l("The meeting link changed."),
}
TIMES = {"time", "ends"}
# An older cancellation's `when`: the wall clock in the event's zone, and the zone.
STORED_WHEN = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) \((.+)\)\Z")


def wall_clock(local: datetime) -> str:
    """Say a wall-clock moment (its zone, if any, is said apart): i18n.say_day's "weekday
    and day", then the hour: "Tuesday 1 Dec 6:00 PM", "mar, 1 de diciembre 18:00"."""
    locale = i18n.locale_name()
    day = i18n.say_day(local.date(), "weekday and day", locale)
    return f"{day} {i18n.format_hour(local.time(), 'short', locale)}"


def when(instant: str, zone: str) -> str:
    """Say a UTC instant (ISO 8601) as the wall clock in `zone`: "Tuesday 1 Dec 6:00 PM"."""
    return wall_clock(datetime.fromisoformat(instant).astimezone(ZoneInfo(zone)))


def cancelled_when(params: dict) -> str:
    """When a cancelled meeting was, in its event's zone, named: "Tuesday 1 Dec 6:00 PM
    (America/New_York)"; from `starts_at` and `zone`, or an older notice's `when` (text
    it does not recognise is shown as stored)."""
    if "starts_at" in params:
        return f"{when(params['starts_at'], params['zone'])} ({params['zone']})"
    stored = STORED_WHEN.match(params["when"])
    if stored is None:
        return params["when"]
    local = datetime.fromisoformat(f"{stored[1]}T{stored[2]}")
    return f"{wall_clock(local)} ({stored[3]})"


def hours(stored: str) -> str:
    """Say stored hours ("18:00-19:30") on the wall clock: "6:00 PM–7:30 PM"."""
    locale = i18n.locale_name()
    start, end = (time.fromisoformat(part) for part in stored.split("-"))
    return f"{i18n.format_hour(start, 'short', locale)}–{i18n.format_hour(end, 'short', locale)}"


def change_line(change: dict) -> str:
    """One change as a sentence: old → new, or only that it changed."""
    what = change["what"]
    values = {key: change.get(key, "") for key in ("old", "new", "zone")}
    if what in TIMES:
        values["old"] = when(values["old"], values["zone"])
        values["new"] = when(values["new"], values["zone"])
    if what == "hours":
        values["old"], values["new"] = hours(values["old"]), hours(values["new"])
    return str(CHANGE_LINES[what]) % values


def event_changed(params: dict) -> str:
    """The change notice: the title now, then one sentence per change, in CHANGE_LINES' order."""
    changes = params.get("changes") or []
    if not changes:
        return str(CHANGED_UNSAID) % {"title": params["title"]}
    order = list(CHANGE_LINES)
    ordered = sorted(changes, key=lambda change: order.index(change["what"]))
    return " ".join([str(CHANGED) % {"title": params["title"]}, *map(change_line, ordered)])


def with_reason(text: str, params: dict) -> str:
    """Add the reason staff gave, if any; without one the notice says only what happened."""
    reason = params.get("reason")
    return f"{text} {REASON % {'reason': reason}}" if reason else text


def event_cancelled(params: dict) -> str:
    """One meeting cancelled, with the reason if staff gave one."""
    said = {"title": params["title"], "when": cancelled_when(params)}
    return with_reason(str(CANCELLED) % said, params)


def event_series_cancelled(params: dict) -> str:
    """The rest of a series cancelled: one notice per member, saying how many of theirs."""
    num = int(params["num"])
    text = ngettext(
        "“%(title)s” is cancelled from %(when)s on: %(num)d meeting you had an RSVP for "
        "will not happen.",
        "“%(title)s” is cancelled from %(when)s on: the %(num)d meetings you had an RSVP for "
        "will not happen.",
        num,
        title=params["title"],
        when=cancelled_when(params),
    )
    return with_reason(text, params)


RENDERERS = {
    "event_changed": event_changed,
    "event_cancelled": event_cancelled,
    "event_series_cancelled": event_series_cancelled,
}
