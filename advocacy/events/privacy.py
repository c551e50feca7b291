"""What the events domain holds about an account: its RSVPs to events outside programs
(and the events it created or runs).

Attendance at a program's meetings is kept in RSVP rows too (programs/attendance.py), but it
is part of the member's place in the program: the programs domain exports it, says it,
deletes it and keeps it as long as places (programs/privacy.py). Everything here is about
RSVPs to events that belong to no program (`standalone`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Select, and_, select

from advocacy import clock
from advocacy.events.models import Event, EventHost, Occurrence, Rsvp
from advocacy.events.rsvps import remove_rsvp
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy.rules import rule_for


def meetings(*conditions) -> Select:
    """Return the ids of the meetings (occurrences) whose event meets `conditions`."""
    return select(Occurrence.id).join(Event, Occurrence.event_id == Event.id).where(*conditions)


def standalone(*conditions):
    """RSVPs to meetings of events outside programs (that also meet `conditions`)."""
    return Rsvp.occurrence_id.in_(meetings(Event.program_id.is_(None), *conditions))


def export_rsvps(account) -> dict:
    """Return the account's RSVPs to events outside programs, with the meeting they are for."""
    rows = db.session.execute(
        select(Rsvp, Occurrence.starts_at, Event.title)
        .join(Occurrence, Rsvp.occurrence_id == Occurrence.id)
        .join(Event, Occurrence.event_id == Event.id)
        .where(Rsvp.account_id == account.id, Event.program_id.is_(None))
        .order_by(Rsvp.id)
    )
    created = db.session.scalars(select(Event.title).where(Event.created_by_id == account.id))
    run = db.session.scalars(
        select(Event.title)
        .join(EventHost, EventHost.event_id == Event.id)
        .where(EventHost.account_id == account.id)
        .order_by(EventHost.id)
    )
    return {
        "rsvps": [
            {
                "event": title,
                "starts_at": starts_at.isoformat(),
                "status": rsvp.status,
                "attended": rsvp.attended,
                "created_at": rsvp.created_at.isoformat(),
            }
            for rsvp, starts_at, title in rows
        ],
        "events_scheduled": list(created),
        "events_run": list(run),
    }


def delete_rsvps(account) -> None:
    """Delete the account's RSVPs to events outside programs (a freed place goes to the
    queue) and its places among the people who run events; events it scheduled stay, no
    longer linked to it."""
    rsvps = (
        select(Rsvp).where(Rsvp.account_id == account.id, standalone()).order_by(Rsvp.occurrence_id)
    )
    for rsvp in list(db.session.scalars(rsvps)):
        remove_rsvp(rsvp, now=clock.now())
    db.session.execute(db.delete(EventHost).where(EventHost.account_id == account.id))
    db.session.execute(
        db.update(Event).where(Event.created_by_id == account.id).values(created_by_id=None)
    )


def summarize(account) -> list[registry.Held]:
    """Say how many RSVPs to events outside programs the account has and when they go."""
    days = rule_for("rsvp").days
    return [
        registry.Held(
            str(_l("RSVPs to events")),
            registry.count_where(Rsvp, and_(Rsvp.account_id == account.id, standalone())),
            ngettext(
                "%(num)s day after each event ends (only a count stays)",
                "%(num)s days after each event ends (only a count stays)",
                days,
            ),
        )
    ]


def expired_rsvps(now: datetime, days: int):
    """RSVPs to meetings outside programs that ended more than `days` ago (DESIGN §4: 30
    days after the event ends; a record exactly `days` old is kept)."""
    return standalone(Occurrence.ends_at < now - timedelta(days=days))


def keep_attended_counts(rsvps: list[Rsvp]) -> None:
    """Before RSVPs are deleted, add those marked as came to their meeting's
    `attended_count`, so how many came outlives who came (DESIGN §4: only counts stay)."""
    came = Counter(rsvp.occurrence_id for rsvp in rsvps if rsvp.attended)
    # One global lock order (by id), so purges running at once never deadlock.
    for occurrence_id, count in sorted(came.items()):
        db.session.execute(
            db.update(Occurrence)
            .where(Occurrence.id == occurrence_id)
            .values(attended_count=Occurrence.attended_count + count)
        )


def purge_rsvps(condition, size: int) -> int:
    """Keep how many came to each meeting, then delete a batch (at most `size`) of the
    RSVPs meeting `condition`; return how many went. Program attendance goes this way too."""
    batch = list(
        db.session.scalars(
            select(Rsvp)
            .where(condition)
            # No ORDER BY: sorting every expired row for each batch made the purge
            # quadratic; SKIP LOCKED already keeps two purges off the same rows.
            .limit(size)
            .with_for_update(skip_locked=True)
        )
    )
    keep_attended_counts(batch)
    if batch:
        db.session.execute(db.delete(Rsvp).where(Rsvp.id.in_([r.id for r in batch])))
    return len(batch)


registry.register("events", export=export_rsvps, delete=delete_rsvps, summary=summarize)
registry.register_purger(
    "rsvp",
    "RSVPs",
    count=lambda now, days: registry.count_where(Rsvp, expired_rsvps(now, days)),
    batch=lambda now, days, size: purge_rsvps(expired_rsvps(now, days), size),
)
