"""Telling everyone with an RSVP (confirmed or waiting; for a program's meeting, everyone
with a place in the program) what staff changed or cancelled:
one notice per person per save, whatever changed and however many of their meetings it
touched (issue 14), saying old → new (notices/changes.py has the words).

Never the venue or meeting link itself: only *that* it changed. A notice reaches people on
the waiting list too, who must not learn where the group meets (DESIGN §1, §3 Events);
the notice links to the meeting page, which shows the venue to those allowed. The public
area ("Brooklyn → Queens") and the title may be said.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import select

from advocacy.events import finding
from advocacy.events.models import Event, Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.notices.services import notify

# A reason for a cancellation is a sentence, not a letter (it is shown in every notice).
REASON_MAX = 200


@dataclass(frozen=True)
class Looks:
    """What a change notice compares about an event: its title and where it is."""

    title: str
    is_online: bool
    area: str
    venue: str

    @classmethod
    def of(cls, event: Event) -> Looks:
        return cls(event.title, event.is_online, event.area, event.venue)


def detail_changes(before: Looks, after: Looks) -> list[dict[str, str]]:
    """Return what changed between two looks of an event, as notice changes: the title and
    public area old → new, online or in person now, and only *that* the place or the
    meeting link changed (never either text). Empty when none of these changed."""
    changes = []
    if before.title != after.title:
        changes.append({"what": "title", "old": before.title, "new": after.title})
    if before.is_online != after.is_online:
        changes.append({"what": "online" if after.is_online else "in_person"})
    if before.area != after.area:
        changes.append({"what": "area", "old": before.area, "new": after.area})
    if before.venue != after.venue:
        changes.append({"what": "link" if after.is_online else "place"})
    return changes


def time_changes(
    old: tuple[datetime, datetime], new: tuple[datetime, datetime], zone: str
) -> list[dict[str, str]]:
    """Return how a meeting moved, given (start, end) UTC instants before and after: its
    start old → new when the start moved, and its end too when its length changed. Said
    later in `zone`, the event's own IANA zone. Empty when neither moved."""
    (old_start, old_end), (new_start, new_end) = old, new
    changes = []
    if old_start != new_start:
        changes.append({"what": "time", "old": old_start.isoformat(), "new": new_start.isoformat()})
    if old_end - old_start != new_end - new_start:
        changes.append({"what": "ends", "old": old_end.isoformat(), "new": new_end.isoformat()})
    return [change | {"zone": zone} for change in changes]


def hours_changes(old: tuple[time, time], new: tuple[time, time], zone: str) -> list[dict]:
    """Return how the hours of every meeting still to come changed, as (starts, ends) wall
    clock in `zone` ("18:00"), or nothing when they are the same."""
    if old == new:
        return []
    said = [f"{start:%H:%M}-{end:%H:%M}" for start, end in (old, new)]
    return [{"what": "hours", "old": said[0], "new": said[1], "zone": zone}]


def with_rsvps(
    event: Event, occurrences: Iterable[Occurrence]
) -> dict[int, list[tuple[int, datetime]]]:
    """Return, for each account with an RSVP to any of these meetings of `event`, its
    meetings among them as (occurrence id, start), soonest first; accounts in the order of
    their first. For a program's meeting, a place in the program stands for an RSVP to
    each (finding.program_places)."""
    meetings = sorted(occurrences, key=lambda occurrence: (occurrence.starts_at, occurrence.id))
    ids = [occurrence.id for occurrence in meetings]
    if not ids:
        return {}
    if event.program_id is not None:
        every = [(occurrence.id, occurrence.starts_at) for occurrence in meetings]
        return {account_id: every for account_id in finding.program_places(event.program_id)}
    rows = db.session.execute(
        select(Rsvp.account_id, Rsvp.occurrence_id, Occurrence.starts_at)
        .join(Occurrence)  # on rsvps.occurrence_id, their one foreign key
        .where(Rsvp.occurrence_id.in_(ids))
        .order_by(Occurrence.starts_at, Occurrence.id, Rsvp.account_id)
    )
    people: dict[int, list[tuple[int, datetime]]] = {}
    for account_id, occurrence_id, starts_at in rows:
        people.setdefault(account_id, []).append((occurrence_id, starts_at))
    return people


def tell_changed(
    event: Event, occurrences: Iterable[Occurrence], changes: list[dict], *, now: datetime
) -> int:
    """Leave one "event_changed" notice, naming every change, for each person with an RSVP
    to any of these meetings (linking to their soonest one); none when nothing changed.
    Return how many notices were left."""
    if not changes:
        return 0
    people = with_rsvps(event, occurrences)
    for account_id, meetings in people.items():
        notify(
            account_id,
            "event_changed",
            now=now,
            link=f"/events/{meetings[0][0]}",
            title=event.title,
            changes=changes,
        )
    return len(people)


def tell_cancelled(
    event: Event,
    occurrences: Iterable[Occurrence],
    *,
    now: datetime,
    reason: str = "",
    series: bool = False,
) -> int:
    """Leave one notice per person with an RSVP to these (now cancelled) meetings: for one
    meeting "event_cancelled", for the rest of a series "event_series_cancelled" with how
    many of theirs (`num`). It says when their soonest one was (`starts_at`, UTC, and the
    event's `zone`: notices/changes.py says it in the reader's language) and links to it;
    the reason staff gave goes in if not blank. Return how many notices were left."""
    people = with_rsvps(event, occurrences)
    for account_id, meetings in people.items():
        occurrence_id, starts_at = meetings[0]
        params = {
            "title": event.title,
            "starts_at": starts_at.astimezone(UTC).isoformat(),
            "zone": event.timezone,
        }
        if reason.strip():
            params["reason"] = reason.strip()
        if series:
            params["num"] = str(len(meetings))
        notify(
            account_id,
            "event_series_cancelled" if series else "event_cancelled",
            now=now,
            link=f"/events/{occurrence_id}",
            **params,
        )
    return len(people)
