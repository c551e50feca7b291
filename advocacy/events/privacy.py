"""What the events domain holds about an account: its RSVPs (and the events it created)."""

from __future__ import annotations

from sqlalchemy import select

from advocacy import clock
from advocacy.events.models import Event, Occurrence, Rsvp
from advocacy.events.services import remove_rsvp
from advocacy.extensions import db
from advocacy.privacy import registry


def export_rsvps(account) -> dict:
    """Return the account's RSVPs with the meeting they are for."""
    rows = db.session.execute(
        select(Rsvp, Occurrence.starts_at, Event.title)
        .join(Occurrence, Rsvp.occurrence_id == Occurrence.id)
        .join(Event, Occurrence.event_id == Event.id)
        .where(Rsvp.account_id == account.id)
        .order_by(Rsvp.id)
    )
    created = db.session.scalars(select(Event.title).where(Event.created_by_id == account.id))
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
    }


def delete_rsvps(account) -> None:
    """Delete the account's RSVPs (a freed place goes to the queue); events it scheduled
    stay, no longer linked to it."""
    for rsvp in list(db.session.scalars(select(Rsvp).where(Rsvp.account_id == account.id))):
        remove_rsvp(rsvp, now=clock.now())
    db.session.execute(
        db.update(Event).where(Event.created_by_id == account.id).values(created_by_id=None)
    )


registry.register("events", export=export_rsvps, delete=delete_rsvps)
