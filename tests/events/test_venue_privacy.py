"""Venue details reach confirmed attendees and staff only: every page and file, every viewer.

A unique canary is the venue, of an event and of a program's meetings. For a visitor, a
member without an RSVP, a member on the waiting list, a mentor and a member who cancelled
(and who withdrew from the program, after its confirmation page), every GET route of the
app (with the meeting's, the program's and its sessions' ids filled in, the events list
with each filter, the notices after a change, the static files) and the JSON account
export are fetched, and the canary is in none of them, though the program's page shows
them its meetings' days and times. A confirmed member, staff and an admin do see it on the
meeting page and in the calendar file, but never in the events list.
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import product
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select, update

from advocacy.accounts.models import Account
from advocacy.events.models import Occurrence
from advocacy.extensions import db
from tests.support.accounts import AuthActions, Clock, MadeAccount, make_account
from tests.support.events import make_event
from tests.support.programs import make_program, make_sessions

ZONE = "America/New_York"
EXIT_ENDPOINT = "accounts.quick_exit"  # signs out: fetched last
# Filters and pages of the events list, as a member would choose them.
LIST_QUERIES = [
    {},
    {"week": "1"},
    {"mode": "in_person"},
    {"mode": "online"},
    {"language": "en"},
    {"language": "es"},
    {"week": "1", "mode": "in_person", "language": "en"},
]


@dataclass
class Scene:
    """A weekly group with one place, and people in every relation to it."""

    canary: str
    event_title: str
    occurrence_ids: list[int]
    accounts: dict[str, MadeAccount]
    program_id: int = 0
    program_meeting_ids: list[int] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.occurrence_ids[0]


def signed_in(app: Flask, clock: Clock, account: MadeAccount | None) -> FlaskClient:
    """A new client, signed in through the real forms (or a visitor when account is None)."""
    client = app.test_client()
    if account is not None:
        response = AuthActions(app, client, clock).login(account)
        assert response.status_code == 303, response.get_data(as_text=True)
        assert urlsplit(response.headers["Location"]).path == "/"
    return client


def text_of(response) -> str:
    """The page as a person reads it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def post(client: FlaskClient, path: str, data: dict | None = None) -> None:
    response = client.post(path, data=data or {})
    assert response.status_code == 303, (path, response.status_code)


def build_scene(app: Flask, clock: Clock) -> Scene:
    canary = f"VENUE-CANARY-{secrets.token_hex(6)}"
    title = f"Thursday circle {secrets.token_hex(3)}"
    accounts = {
        "staff": make_account(app, "maple-staff", role="staff"),
        "admin": make_account(app, "wren-admin", role="admin"),
        "mentor": make_account(app, "heron-mentor", role="mentor"),
        "confirmed": make_account(app, "river-confirmed"),
        "waitlisted": make_account(app, "cedar-waiting"),
        "no_rsvp": make_account(app, "birch-browsing"),
        "cancelled": make_account(app, "aspen-cancelled"),
    }
    made = make_event(
        app,
        accounts["staff"].id,
        title=title,
        venue=f"{canary} Room 4B, ring twice",
        capacity=1,
        now=clock(),
        timezone=ZONE,
        recurrence="weekly",
        weeks=2,
    )
    scene = Scene(canary, title, made.occurrence_ids, accounts)
    first = scene.first

    # The one place: taken, given up (the queue moves up), so every status exists.
    leaver = signed_in(app, clock, accounts["cancelled"])
    post(leaver, f"/events/{first}/rsvp")
    post(signed_in(app, clock, accounts["confirmed"]), f"/events/{first}/rsvp")
    post(signed_in(app, clock, accounts["waitlisted"]), f"/events/{first}/rsvp")
    post(leaver, f"/events/{first}/rsvp/cancel")

    # Staff move the venue and the time: everyone with an RSVP gets a notice.
    staff = signed_in(app, clock, accounts["staff"])
    post(
        staff,
        f"/events/{first}/edit",
        {
            "part": "details",
            "details-title": title,
            "details-description": "A calm space to talk.",
            "details-mode": "in_person",
            "details-area": "Brooklyn",
            "details-venue": f"{canary} Room 5C, upstairs",
            "details-timezone": ZONE,
            "details-language": "en",
            "details-accessibility": "Step-free entrance.",
        },
    )
    add_program(app, clock, scene)
    starts = with_app(app, lambda: db.session.get(Occurrence, first).starts_at)
    post(
        staff,
        f"/events/{first}/edit",
        {
            "part": "meeting",
            "meeting-day": starts.astimezone(ZoneInfo(ZONE)).date().isoformat(),
            "meeting-starts": "18:30",
            "meeting-ends": "20:00",
            "meeting-capacity": "1",
        },
    )
    return scene


def add_program(app: Flask, clock: Clock, scene: Scene) -> None:
    """A program with one place whose meetings are at the canary, and two sessions: taken
    by the member who later cancelled and withdrew (after the confirmation page), so the
    confirmed member moved up from its waiting list and the waiting member still waits."""
    accounts = scene.accounts
    made = make_program(
        app,
        accounts["staff"].id,
        now=clock(),
        title=f"{scene.event_title} program",
        capacity=1,
        meetings=3,
        venue=f"{scene.canary} Program room 2, side door",
    )
    make_sessions(app, made.id, 2, now=clock())
    scene.program_id, scene.program_meeting_ids = made.id, made.meeting_ids
    people = {who: signed_in(app, clock, accounts[who]) for who in CHAIN}
    for who in CHAIN:
        post(people[who], f"/programs/{made.id}/enroll")
    asked = people["cancelled"].get(f"/programs/{made.id}/withdraw")
    assert "Yes, withdraw" in text_of(asked)
    post(people["cancelled"], f"/programs/{made.id}/withdraw", {"confirm": "yes"})


# Who asks for the program's one place, in this order.
CHAIN = ("cancelled", "confirmed", "waitlisted")


def with_app(app: Flask, read):
    with app.app_context():
        return read()


@dataclass(frozen=True)
class Fetched:
    """Where a request ended, its final status, and every header and body on the way."""

    end: str
    status: int
    seen: bytes


def fetch(client: FlaskClient, method: str, path: str, **kwargs) -> Fetched:
    """Fetch a path, following redirects on this site."""
    seen = b""
    for _ in range(5):
        with client.open(path, method=method, **kwargs) as response:
            body = response.get_data()
        # Calendar lines fold at 75 octets: unfold, so a folded venue is still found.
        seen += str(response.headers).encode() + body + body.replace(b"\r\n ", b"")
        location = response.headers.get("Location")
        if response.status_code not in {301, 302, 303, 307, 308} or not location:
            return Fetched(path, response.status_code, seen)
        parts = urlsplit(location)
        if parts.netloc and parts.netloc != "localhost":
            return Fetched(location, response.status_code, seen)  # quick exit leaves the site
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        method, kwargs = "GET", {}
    raise AssertionError(f"too many redirects from {path}")


def argument_values(app: Flask, scene: Scene, name: str) -> list:
    """The values to fill one kind of route argument with."""
    if name == "occurrence_id":
        return scene.occurrence_ids + scene.program_meeting_ids
    if name == "filename":
        root = Path(app.static_folder)
        return [p.relative_to(root).as_posix() for p in sorted(root.rglob("*")) if p.is_file()]
    tables = {
        "program_id": "programs",
        "story_id": "stories",
        "account_id": "accounts",
        "code_id": "reset_codes",
        "invite_id": "invites",
        "enrollment_id": "enrollments",
        "resource_id": "help_resources",
        "session_id": "program_sessions",
    }
    if name in tables:
        # Every row there is, or a missing one (a 404 page).
        table = db.metadata.tables[tables[name]]
        ids = with_app(app, lambda: list(db.session.scalars(select(table.c.id))))
        return ids or [1]
    raise AssertionError(f"no values for the route argument {name!r}: add them here")


def url_values(app: Flask, scene: Scene, arguments: set[str]) -> list[dict]:
    """Every combination of values for a route's arguments."""
    names = sorted(arguments)
    choices = [argument_values(app, scene, name) for name in names]
    return [dict(zip(names, combination, strict=True)) for combination in product(*choices)]


def everything_reachable(
    app: Flask, client: FlaskClient, scene: Scene, account: MadeAccount | None
) -> dict[str, Fetched]:
    """Fetch every GET route (every id filled in), the list's filters and the JSON export."""
    paths, exits = [], []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods:
                continue
            for values in url_values(app, scene, set(rule.arguments)):
                path = url_for(rule.endpoint, **values)
                (exits if rule.endpoint == EXIT_ENDPOINT else paths).append(path)
        cursor = with_app(app, lambda: db.session.get(Occurrence, scene.first))
        after = f"{cursor.starts_at.isoformat()}_{cursor.id}"
        for query in [*LIST_QUERIES, {"after": after}, {"week": "1", "after": after}]:
            paths.append(url_for("events.index", **query))
        paths.append(url_for("notices.index", before="999999"))
    assert exits, "quick exit is a GET route"

    seen = {path: fetch(client, "GET", path) for path in paths}
    password = account.password if account else "not signed in at all"
    seen["POST /account/export"] = fetch(
        client, "POST", "/account/export", data={"password": password}
    )
    for path in exits:
        seen[path] = fetch(client, "GET", path)
    return seen


@pytest.mark.parametrize("who", ["visitor", "no_rsvp", "waitlisted", "mentor", "cancelled"])
def test_venue_is_in_nothing_they_can_reach(app, clock, who):
    scene = build_scene(app, clock)
    account = scene.accounts.get(who)
    client = signed_in(app, clock, account)

    # What this viewer's meeting page says, so the walk below sees the right state.
    page = text_of(client.get(f"/events/{scene.first}"))
    if who == "waitlisted":
        assert "You're on the waiting list (number 1)" in page
        notices = text_of(client.get("/notices"))
        assert "Notices (2 new)" in notices
        assert f"“{scene.event_title}” has changed" in notices
    elif who != "visitor":
        assert "Join the waiting list" in page  # its one place is taken
        assert "You're going" not in page
        assert "waiting list (number" not in page
    if who != "visitor":
        # Before asking (or without a place), the program's page says when it meets.
        program_page = text_of(client.get(f"/programs/{scene.program_id}"))
        assert "When it meets" in program_page
        assert "Where it meets is shared once you have a place." in program_page

    seen = everything_reachable(app, client, scene, account)
    leaks = [path for path, fetched in seen.items() if scene.canary.encode() in fetched.seen]
    assert leaks == [], f"the venue reached {who} through {leaks}"

    # The walk really opened the pages that matter (not just sign-in redirects).
    event_meetings = {str(n) for n in scene.occurrence_ids}
    meeting_paths = [
        p for p in seen if p.startswith("/events/") and p[8:].split(".")[0] in event_meetings
    ]
    list_paths = [p for p in seen if p.startswith(("/events?", "/notices"))] + ["/events"]
    assert len(meeting_paths) == 2 * len(scene.occurrence_ids)
    for path in meeting_paths + list_paths:
        expected_end = "/login" if who == "visitor" else path
        assert (seen[path].end, seen[path].status) == (expected_end, 200), path
    export = seen["POST /account/export"]
    if who == "visitor":
        assert export.end == "/login"
    else:
        assert (export.end, export.status) == ("/account/export", 200)
        assert b"Content-Type: application/json" in export.seen
        assert b'"rsvps"' in export.seen
    if who == "waitlisted":
        assert b'"status": "waitlisted"' in export.seen
        assert scene.event_title.encode() in export.seen


@pytest.mark.parametrize("who", ["confirmed", "staff", "admin"])
def test_confirmed_and_staff_see_the_venue_but_never_in_lists(app, clock, who):
    scene = build_scene(app, clock)
    client = signed_in(app, clock, scene.accounts[who])

    page = text_of(client.get(f"/events/{scene.first}"))
    assert "Where to go" in page
    assert f"{scene.canary} Room 5C, upstairs" in page
    meeting = text_of(client.get(f"/events/{scene.program_meeting_ids[0]}"))
    assert f"{scene.canary} Program room 2, side door" in meeting
    assert scene.canary not in text_of(client.get(f"/programs/{scene.program_id}"))
    if who == "confirmed":
        assert "You're going." in page
        notices = text_of(client.get("/notices"))
        assert "A place opened up: you're now confirmed for" in notices
        assert scene.canary not in notices

    response = client.get(f"/events/{scene.first}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    entry = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(entry["LOCATION"]) == f"{scene.canary} Room 5C, upstairs"
    assert str(entry["SUMMARY"]) == scene.event_title

    for query in LIST_QUERIES:
        listed = client.get("/events?" + urlencode(query)).get_data(as_text=True)
        assert scene.canary not in listed, query
    # Sanity: the list does show the meeting, with its public area only.
    listed = client.get("/events").get_data(as_text=True)
    assert scene.event_title in listed
    assert "Brooklyn" in listed


# Discreet mode and UTC instants in the calendar file


def set_discreet(app: Flask, account: MadeAccount) -> None:
    with app.app_context():
        db.session.execute(update(Account).where(Account.id == account.id).values(is_discreet=True))
        db.session.commit()


def vevent(client: FlaskClient, occurrence_id: int):
    response = client.get(f"/events/{occurrence_id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="meeting.ics"'
    calendar = Calendar.from_ical(response.data)
    (entry,) = calendar.walk("VEVENT")
    return response.data, entry


@pytest.mark.parametrize("confirmed", [False, True], ids=["no-place", "confirmed"])
def test_discreet_calendar_file_is_neutral_with_the_right_instants(app, clock, confirmed):
    canary = f"VENUE-CANARY-{secrets.token_hex(6)}"
    title = f"Survivor circle {secrets.token_hex(3)}"
    staff = make_account(app, "maple-staff", role="staff")
    member = make_account(app, "quiet-fern")
    # 2026-11-27 12:00 UTC + 2 days: Sunday 29 November, 18:00–19:30 in New York (EST).
    made = make_event(app, staff.id, title=title, venue=canary, now=clock(), timezone=ZONE)
    set_discreet(app, member)
    client = signed_in(app, clock, member)
    if confirmed:
        post(client, f"/events/{made.first}/rsvp")

    raw, entry = vevent(client, made.first)
    assert str(entry["SUMMARY"]) == "Appointment"
    assert "DESCRIPTION" not in entry
    text = raw.decode()
    for secret in (title, "A calm space to talk.", "Pathways", "Brooklyn"):
        assert secret not in text
    if confirmed:
        assert str(entry["LOCATION"]) == canary  # a confirmed member still needs the place
    else:
        assert "LOCATION" not in entry
        assert canary not in text

    start, end = entry.decoded("DTSTART"), entry.decoded("DTEND")
    stored = with_app(
        app,
        lambda: db.session.execute(
            select(Occurrence.starts_at, Occurrence.ends_at).where(Occurrence.id == made.first)
        ).one(),
    )
    assert start.utcoffset() == timedelta(0)
    assert end.utcoffset() == timedelta(0)
    assert (start, end) == tuple(stored)
    local = ZoneInfo(ZONE)
    assert start == datetime.combine(date(2026, 11, 29), time(18, 0), local).astimezone(UTC)
    assert start == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 0, 30, tzinfo=UTC)
    assert "DTSTART:20261129T230000Z" in text.replace("\r\n", "\n")


def test_calendar_file_is_not_discreet_by_default(app, clock):
    staff = make_account(app, "maple-staff", role="staff")
    member = make_account(app, "quiet-fern")
    made = make_event(app, staff.id, title="Open circle", now=clock(), timezone=ZONE)
    _, entry = vevent(signed_in(app, clock, member), made.first)
    assert str(entry["SUMMARY"]) == "Open circle"
    assert str(entry["DESCRIPTION"]) == "A calm space to talk."
    assert str(entry["LOCATION"]) == "Brooklyn"  # the public area, not the venue
