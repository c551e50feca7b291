"""Finding meetings: who may see which (open events; a program's meetings for its
members; everything for staff), the upcoming list (keyset paging), one meeting, and whether
the viewer may see its venue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, and_, bindparam, false, func, or_, select, true

from advocacy import clock
from advocacy.accounts.models import Account, Role
from advocacy.events.models import Event, Occurrence, Rsvp, RsvpStatus
from advocacy.extensions import db

PAGE_SIZE = 20
EVENT_MANAGERS = frozenset({Role.STAFF, Role.ADMIN})
# my_upcoming's status for a meeting of a program the member has a place in.
PROGRAM_PLACE = "program"

# Program meetings are seen by the program's members. The programs domain (which uses
# events, never the other way round) supplies the queries: account id -> program ids, and
# program id -> the account ids with a place in it.
_program_membership: Callable[[int], Select] | None = None
_program_places: Callable[[int], Select] | None = None


def register_program_membership(
    query: Callable[[int], Select], places: Callable[[int], Select]
) -> None:
    """Let the programs domain say which programs an account belongs to (`query`), and
    who has a place in a program (`places`)."""
    global _program_membership, _program_places  # set once at import, like the registry
    _program_membership, _program_places = query, places


def visible_programs(account_id: int) -> Select | None:
    """Return a query of the program ids whose meetings the account may see."""
    return _program_membership(account_id) if _program_membership else None


def program_places(program_id: int) -> list[int]:
    """Return the ids of the accounts with a place in the program (none before the
    programs domain registered): for its meetings, that place stands for an RSVP."""
    return list(db.session.scalars(_program_places(program_id))) if _program_places else []


def is_manager(account: Account | None) -> bool:
    """Return whether the account schedules events (staff and admins)."""
    return bool(account and account.is_authenticated and account.role in EVENT_MANAGERS)


@dataclass(frozen=True)
class Filters:
    """What the events list is narrowed to."""

    this_week: bool = False  # today and the 6 days after, in the viewer's time zone
    mode: str = ""  # "", "online" or "in_person"
    language: str = ""


def meeting_visibility(viewer: Account):
    """Return the condition for events the viewer may see: open ones, and their programs'."""
    if is_manager(viewer):
        return true()
    programs = visible_programs(viewer.id)
    if programs is None:
        return Event.program_id.is_(None)
    return or_(Event.program_id.is_(None), Event.program_id.in_(programs))


def not_ended(now: datetime):
    """Return the condition for meetings not ended by `now`, bounded below by their start
    (none lasts clock.LONGEST_MEETING), so a list sorted by start reads a range of the
    (is_cancelled, starts_at, id) index rather than every meeting ever held."""
    return and_(Occurrence.starts_at > now - clock.LONGEST_MEETING, Occurrence.ends_at > now)


def upcoming_page(
    now: datetime, filters: Filters, after: tuple[datetime, int] | None, viewer: Account
) -> list[tuple[Occurrence, Event]]:
    """Return one page of upcoming occurrences, soonest first (keyset on start, id); with
    `this_week`, those starting before the end of the sixth day after today, local days in
    the viewer's time zone (clock.zone_of), so a listed day is never cut in two."""
    return [tuple(row) for row in db.session.execute(upcoming_query(now, filters, after, viewer))]


def upcoming_query(
    now: datetime, filters: Filters, after: tuple[datetime, int] | None, viewer: Account
) -> Select:
    """Return upcoming_page's query (PAGE_SIZE + 1 rows: one more says there is a next)."""
    query = (
        select(Occurrence, Event)
        .join(Occurrence.event)
        .where(
            Occurrence.is_cancelled.is_(False),
            not_ended(now),
            meeting_visibility(viewer),
        )
        .order_by(Occurrence.starts_at, Occurrence.id)
        .limit(PAGE_SIZE + 1)
    )
    if filters.this_week:
        zone = clock.zone_of(viewer)
        today = clock.local_date(now, zone)
        _today_begins, week_ends = clock.local_span(today, today + timedelta(days=6), zone)
        query = query.where(Occurrence.starts_at < week_ends)
    if filters.mode:
        query = query.where(Event.is_online.is_(filters.mode == "online"))
    if filters.language:
        query = query.where(Event.language == filters.language)
    if after is not None:
        start, occurrence_id = after
        query = query.where(
            or_(
                Occurrence.starts_at > start,
                and_(Occurrence.starts_at == start, Occurrence.id > occurrence_id),
            )
        )
    return query


def statuses_for(account_id: int, occurrence_ids: list[int]) -> dict[int, str]:
    """Return the account's RSVP status for each of the given occurrences (one query)."""
    if not occurrence_ids:
        return {}
    values = {"account_id": account_id, "occurrence_ids": occurrence_ids}
    return dict(db.session.execute(statuses_query(), values).all())


@cache
def statuses_query() -> Select:
    """statuses_for's statement, built once (building it cost about as much as running
    it): the account bound as `account_id`, the meetings as `occurrence_ids`."""
    return select(Rsvp.occurrence_id, Rsvp.status).where(
        Rsvp.account_id == bindparam("account_id"),
        Rsvp.occurrence_id.in_(bindparam("occurrence_ids", expanding=True)),
    )


def get_occurrence(occurrence_id: int, viewer: Account) -> tuple[Occurrence, Event] | None:
    """Return an occurrence the viewer may see (program meetings: its members and staff)."""
    row = db.session.execute(
        select(Occurrence, Event)
        .join(Occurrence.event)
        .where(Occurrence.id == occurrence_id, meeting_visibility(viewer))
    ).first()
    return tuple(row) if row else None


def my_upcoming(
    account_id: int, now: datetime, limit: int = 3
) -> list[tuple[Occurrence, Event, str]]:
    """Return the account's next meetings (one query), soonest first (at the same time, the
    meeting made first), as (meeting, event, status): those they RSVP'd to (status
    "confirmed" or "waitlisted") and the meetings of programs where they have a place
    (status PROGRAM_PLACE: the place stands for an RSVP). Cancelled and ended ones are left
    out."""
    programs = visible_programs(account_id)
    in_program = Event.program_id.in_(programs) if programs is not None else false()
    rows = db.session.execute(
        select(Occurrence, Event, func.coalesce(Rsvp.status, PROGRAM_PLACE))
        .join(Occurrence.event)
        .outerjoin(Rsvp, and_(Rsvp.occurrence_id == Occurrence.id, Rsvp.account_id == account_id))
        .where(
            or_(Rsvp.account_id.is_not(None), in_program),
            not_ended(now),
            Occurrence.is_cancelled.is_(False),
        )
        .order_by(Occurrence.starts_at, Occurrence.id)
        .limit(limit)
    )
    return [tuple(row) for row in rows]


def may_see_venue(viewer: Account, rsvp: Rsvp | None, event: Event, occurrence: Occurrence) -> bool:
    """Venue details are for confirmed attendees and staff only, never the waitlist, and
    for nobody once the meeting is cancelled (issue 14: a cancelled meeting shows only that
    it is cancelled, and its calendar file drops the venue).

    For a program meeting, a confirmed place in the program stands in for an RSVP
    (get_occurrence has already checked that the viewer belongs to the program).
    """
    if occurrence.is_cancelled:
        return False
    if is_manager(viewer) or event.program_id is not None:
        return True
    return rsvp is not None and rsvp.status == RsvpStatus.CONFIRMED


def may_see_series_venue(viewer: Account, event: Event, now: datetime) -> bool:
    """Whether one calendar file for the whole series may carry the venue: for staff and a
    program's members as for one meeting (may_see_venue), and for a member only with a
    confirmed place at every meeting not yet ended (one query): the file gives the venue
    for every date in it, and a date they only wait for must not have it. Nobody gets it
    once no meeting is left (all cancelled or over), as for a cancelled meeting's file."""
    meetings, places = meetings_with_rsvps(
        event.id, viewer.id, Occurrence.ends_at > now, Rsvp.status == RsvpStatus.CONFIRMED
    )
    if is_manager(viewer) or event.program_id is not None:
        return meetings > 0
    return meetings > 0 and places == meetings


def series_counts(account_id: int, event_id: int, now: datetime) -> tuple[int, int]:
    """Return (the event's meetings still taking RSVPs, how many of them the account has an
    RSVP to), in one query."""
    return meetings_with_rsvps(event_id, account_id, Occurrence.starts_at > now, true())


def meetings_with_rsvps(event_id: int, account_id: int, when, which) -> tuple[int, int]:
    """Return (the event's meetings not cancelled and meeting `when`, how many of them the
    account has an RSVP to that meets `which`), in one query."""
    mine = and_(Rsvp.occurrence_id == Occurrence.id, Rsvp.account_id == account_id, which)
    meetings, rsvps = db.session.execute(
        select(func.count(Occurrence.id), func.count(Rsvp.id))
        .select_from(Occurrence)
        .outerjoin(Rsvp, mine)
        .where(Occurrence.event_id == event_id, Occurrence.is_cancelled.is_(False), when)
    ).one()
    return meetings, rsvps
