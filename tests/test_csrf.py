"""CSRF on every unsafe route (H1), and GET never changes the database (H2).

CSRF is on here, as in production. Each POST route is sent a submission that
would change the database if accepted, so "nothing changed" means something;
the same submission with the session's own token is the positive control.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous.timed import TimestampSigner

from advocacy.accounts import recovery, second_factor
from advocacy.accounts.models import Account
from advocacy.events import rsvps
from advocacy.events.hosts import EVENT_HOSTS, HostTable
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.programs import completion, sessions
from advocacy.programs import services as program_services
from advocacy.programs.hosts import PROGRAM_HOSTS
from tests.access_table import ACCESS
from tests.accounts.helpers import invite_code
from tests.support import once as once_support
from tests.support.accounts import (
    PASSWORD,
    Clock,
    MadeAccount,
    make_account,
    make_reset_code,
)
from tests.support.accounts import make_invite as invite_made_by
from tests.support.events import make_event
from tests.support.headers import assert_not_cached, assert_safety_headers
from tests.support.help import make_resource, resource_form
from tests.support.pathway import make_eligible, make_eligible_member
from tests.support.programs import make_program, make_sessions
from tests.support.snapshots import differences, row_counts, snapshot
from tests.support.stories import access_objects

NEW_PASSWORD = "amber meadow quietly folding"
CSRF_PAGE = "This form had expired"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


class TokenFinder(HTMLParser):
    """Collect the values of csrf_token inputs on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "csrf_token":
            self.tokens.append(attributes["value"])


def token_on(client: FlaskClient, path: str) -> str:
    """Return the CSRF token a page gives this client's session."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.headers)
    finder = TokenFinder()
    finder.feed(response.get_data(as_text=True))
    assert finder.tokens, f"no csrf_token on {path}"
    return finder.tokens[0]


def post_with_token(client: FlaskClient, path: str, data: dict, token_page: str):
    return client.post(path, data={**data, "csrf_token": token_on(client, token_page)})


def sign_in(client: FlaskClient, account: MadeAccount, clock: Clock, expect: str = "/"):
    """Sign in through the real forms, tokens and all (and the code step if any)."""
    response = post_with_token(
        client, "/login", {"pseudonym": account.pseudonym, "password": account.password}, "/login"
    )
    if response.headers.get("Location") == "/login/code":
        clock.advance(seconds=30)
        code = account.totp_code(clock())
        response = post_with_token(client, "/login/code", {"code": code}, "/login/code")
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == expect
    return response


@dataclass
class Context:
    """What a case needs at test time."""

    app: Flask
    client: FlaskClient
    clock: Clock
    people: People
    values: dict[str, str] = field(default_factory=dict)


def pending_secret(ctx: Context, account_id: int) -> str:
    with ctx.app.app_context():
        return db.session.get(Account, account_id).totp_pending_secret


def begin_setup(ctx: Context) -> None:
    with ctx.app.app_context():
        second_factor.begin_two_factor_setup(db.session.get(Account, ctx.people["member"].id))
        db.session.commit()


def make_invite(ctx: Context) -> None:
    ctx.values["invite"] = invite_code(ctx.app, ctx.clock())


def approved_reset_code(ctx: Context) -> None:
    ctx.values["reset"], _id = make_reset_code(
        ctx.app, ctx.people["member"].id, ctx.people["admin"].id, now=ctx.clock(), approved=True
    )


def pending_reset_code(ctx: Context) -> None:
    """A code another staff member made for the member, waiting for approval."""
    other = make_account(ctx.app, "birch-staff", role="staff")
    _code, ctx.values["reset_code_id"] = make_reset_code(
        ctx.app, ctx.people["member"].id, other.id, now=ctx.clock()
    )


def own_pending_reset_code(ctx: Context) -> None:
    _code, ctx.values["reset_code_id"] = make_reset_code(
        ctx.app, ctx.people["member"].id, ctx.people["staff"].id, now=ctx.clock()
    )


def mentor_invite(ctx: Context) -> None:
    _code, ctx.values["invite_id"] = invite_made_by(
        ctx.app, ctx.people["mentor"].id, now=ctx.clock()
    )


def member_eligible(ctx: Context) -> None:
    """The member completed a leadership program: they may answer the pathway's question."""
    make_eligible(ctx.app, ctx.people["member"].id)


def interested_member(ctx: Context) -> None:
    ctx.values["eligible_id"] = make_eligible_member(ctx.app, "birch-eligible").id


def new_mentor(ctx: Context) -> None:
    """The mentor was just made one from the pathway: the guide is still to read."""
    with ctx.app.app_context():
        db.session.get(Account, ctx.people["mentor"].id).is_new_mentor = True
        db.session.commit()


def leave_notice(ctx: Context) -> None:
    with ctx.app.app_context():
        notice = notify(
            ctx.people["member"].id, "event_changed", now=ctx.clock(), title="Circle", link="/"
        )
        db.session.commit()
        ctx.values["notice_id"] = notice.id


def staff_event(ctx: Context) -> None:
    ctx.values["occurrence_id"] = make_event(ctx.app, ctx.people["staff"].id, now=ctx.clock()).first


def admin_also_hosts(ctx: Context, table: HostTable, parent_id: int) -> None:
    """The admin helps run the staff account's event or program: the staff account may leave."""
    admin = ctx.people["admin"].pseudonym  # made on first use: before the app context
    with ctx.app.app_context():
        staff = db.session.get(Account, ctx.people["staff"].id)
        table.add(staff, parent_id, admin, now=ctx.clock())
        db.session.commit()


def co_hosted_event(ctx: Context) -> None:
    made = make_event(ctx.app, ctx.people["staff"].id, now=ctx.clock())
    ctx.values["occurrence_id"] = made.first
    admin_also_hosts(ctx, EVENT_HOSTS, made.id)


def member_rsvp(ctx: Context) -> None:
    staff_event(ctx)
    with ctx.app.app_context():
        member = db.session.get(Account, ctx.people["member"].id)
        rsvps.rsvp(member, ctx.values["occurrence_id"], now=ctx.clock())
        db.session.commit()


def new_event_form(ctx: Context) -> dict:
    day = (ctx.clock() + timedelta(days=3)).date().isoformat()
    return {
        "title": "Thursday circle",
        "mode": "online",
        "area": "Online",
        "venue": "https://meet.example/abc",
        "timezone": "America/New_York",
        "language": "en",
        "day": day,
        "starts": "18:00",
        "ends": "19:00",
        "recurrence": "none",
    }


def event_details_form(ctx: Context) -> dict:
    form = {f"details-{k}": v for k, v in new_event_form(ctx).items()}
    return {**form, "part": "details"}


def staff_program(ctx: Context) -> None:
    program = make_program(ctx.app, ctx.people["staff"].id, now=ctx.clock())
    ctx.values["program_id"], ctx.values["meeting_id"] = program.id, program.meeting_ids[0]


def co_hosted_program(ctx: Context) -> None:
    staff_program(ctx)
    admin_also_hosts(ctx, PROGRAM_HOSTS, ctx.values["program_id"])


def member_enrolled(ctx: Context) -> None:
    staff_program(ctx)
    with ctx.app.app_context():
        member = db.session.get(Account, ctx.people["member"].id)
        program_services.enroll(member, ctx.values["program_id"], now=ctx.clock())
        db.session.commit()


def member_in_ended_program(ctx: Context) -> None:
    """The member has a place in a program of the staff account's that ended yesterday."""
    program = make_program(
        ctx.app, ctx.people["staff"].id, now=ctx.clock(), starts_in=-20, ends_in=-1
    )
    ctx.values["program_id"] = program.id
    with ctx.app.app_context():
        member = db.session.get(Account, ctx.people["member"].id)
        program_services.enroll(member, program.id, now=ctx.clock())
        db.session.commit()


def staff_session(ctx: Context) -> None:
    """A program of the staff account's with two sessions (the first one's id kept)."""
    staff_program(ctx)
    first, _second = make_sessions(ctx.app, ctx.values["program_id"], 2, now=ctx.clock())
    ctx.values["session_id"] = first


def member_following(ctx: Context) -> None:
    """The member has a place in a program of the staff account's that has sessions."""
    member_enrolled(ctx)
    (ctx.values["session_id"],) = make_sessions(
        ctx.app, ctx.values["program_id"], 1, now=ctx.clock()
    )


def member_marked_done(ctx: Context) -> None:
    member_following(ctx)
    with ctx.app.app_context():
        member = db.session.get(Account, ctx.people["member"].id)
        sessions.mark(member, ctx.values["program_id"], ctx.values["session_id"], done=True)
        db.session.commit()


def session_form(_ctx: Context) -> dict:
    return {"title": "Noticing", "body": "Notice three things you can see.", "minutes": "10"}


def member_placed_in_started_program(ctx: Context) -> None:
    """The member has a place in a program of the staff account's that began yesterday."""
    program = make_program(ctx.app, ctx.people["staff"].id, now=ctx.clock(), starts_in=-1)
    ctx.values["program_id"] = program.id
    with ctx.app.app_context():
        member = db.session.get(Account, ctx.people["member"].id)
        enrolled = program_services.enroll(member, program.id, now=ctx.clock())
        ctx.values["enrollment_id"] = enrolled.id
        db.session.commit()


def completed_today(ctx: Context) -> None:
    member_placed_in_started_program(ctx)
    with ctx.app.app_context():
        completion.complete(ctx.values["program_id"], ctx.values["enrollment_id"], now=ctx.clock())
        db.session.commit()


def program_form(ctx: Context) -> dict:
    return once_support.program_form(ctx.clock())


def help_resource(ctx: Context) -> None:
    ctx.values["resource_id"] = make_resource(ctx.app)


def password_step_done(ctx: Context) -> None:
    staff = ctx.people["staff"]
    response = post_with_token(
        ctx.client, "/login", {"pseudonym": staff.pseudonym, "password": staff.password}, "/login"
    )
    assert response.headers["Location"] == "/login/code"
    ctx.clock.advance(seconds=30)


def lost_phone(ctx: Context) -> None:
    """The staff member has recovery codes and has just typed the right password."""
    with ctx.app.app_context():
        seed = recovery.issue_recovery_codes(db.session.get(Account, ctx.people["staff"].id))
        ctx.values["recovery"] = recovery.derive_recovery_codes(seed)[0]
        db.session.commit()
    password_step_done(ctx)


@dataclass(frozen=True)
class Case:
    """A valid submission to one POST route, by someone allowed to make it."""

    actor: str  # "anon" or a key of `people`
    form: Callable[[Context], dict]
    status: int  # the answer to the valid submission
    writes: bool = True  # whether the valid submission changes the database
    prepare: Callable[[Context], None] | None = None
    token_page: str | None = None  # default: /account when signed in, else /login


def member_password(_ctx: Context) -> dict:
    return {"password": PASSWORD}


def nothing(_ctx: Context) -> dict:
    return {}


STORY_FORM = {
    "title": "A quiet morning",
    "body": "Plain words, nothing that names anyone.",
    "audience": "members",
    "byline": "pseudonym",
    "action": "save",
}

CASES = {
    "accounts.change_password": Case(
        "member",
        lambda _: {
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        303,
    ),
    "accounts.change_preferences": Case(
        "member", lambda _: {"is_discreet": "y", "locale": ""}, 303
    ),
    "accounts.change_pseudonym": Case(
        "member", lambda _: {"pseudonym": "Quiet Heron", "password": PASSWORD}, 303
    ),
    # Unticked: the same codes are shown again; nothing is written.
    "accounts.confirm_recovery_codes": Case("member", nothing, 303, writes=False),
    "accounts.delete": Case("member", member_password, 303),
    "accounts.export": Case("member", member_password, 200, writes=False),
    "accounts.new_recovery_codes": Case("member", member_password, 303),
    "accounts.reauthenticate": Case("member", member_password, 303, writes=False),
    "accounts.logout": Case("member", nothing, 303),
    "pages.language": Case("member", lambda _ctx: {"locale": "es", "next": "/"}, 303),
    "accounts.logout_everywhere": Case("member", nothing, 303),
    "accounts.two_factor_start": Case("member", nothing, 303),
    "accounts.two_factor_setup": Case(
        "member",
        lambda ctx: {
            "code": pyotp.TOTP(pending_secret(ctx, ctx.people["member"].id)).at(ctx.clock())
        },
        303,
        prepare=begin_setup,
    ),
    "accounts.two_factor_off": Case("member-2fa", member_password, 303),
    "accounts.invites": Case(
        "mentor", lambda _: {"role": "member", "uses": "1", "days": "14"}, 200
    ),
    "accounts.join": Case(
        "anon",
        lambda ctx: {
            "invite_code": ctx.values["invite"],
            "pseudonym": "Quiet Fern",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "action": "join",
        },
        303,
        prepare=make_invite,
    ),
    "accounts.login": Case(
        "anon",
        lambda ctx: {"pseudonym": ctx.people["member"].pseudonym, "password": PASSWORD},
        303,
    ),
    "accounts.login_second_factor": Case(
        "anon",
        lambda ctx: {"code": ctx.people["staff"].totp_code(ctx.clock())},
        303,
        prepare=password_step_done,
        token_page="/login/code",
    ),
    "accounts.login_recovery_code": Case(
        "anon",
        lambda ctx: {"lost-recovery_code": ctx.values["recovery"]},
        303,
        prepare=lost_phone,
        token_page="/login/code",
    ),
    "accounts.recover": Case(
        "anon",
        lambda ctx: {
            "pseudonym": ctx.people["member"].pseudonym,
            "code": ctx.values["reset"],
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        303,
        prepare=approved_reset_code,
    ),
    "accounts.staff_resets": Case("member", lambda _: {"refuses": "y", "password": PASSWORD}, 303),
    "accounts.revoke_invite": Case("mentor", nothing, 303, prepare=mentor_invite),
    "staff.approve_reset_code": Case("staff", nothing, 303, prepare=pending_reset_code),
    "staff.withdraw_reset_code": Case("staff", nothing, 303, prepare=own_pending_reset_code),
    "staff.reset_code": Case(
        "staff", lambda ctx: {"pseudonym": ctx.people["member"].pseudonym}, 200
    ),
    "staff.change_role": Case("admin", lambda _: {"role": "mentor"}, 303),
    "staff.make_mentor": Case("admin", nothing, 303, prepare=interested_member),
    "accounts.mentoring_answer": Case(
        "member", lambda _: {"answer": "interested"}, 303, prepare=member_eligible
    ),
    "moderation.guide": Case(
        "mentor", nothing, 303, prepare=new_mentor, token_page="/moderation/guide"
    ),
    "staff.pause_account": Case("admin", lambda _: {"action": "pause", "confirm": "yes"}, 303),
    "staff.remove_account": Case(
        "admin", lambda ctx: {"pseudonym": ctx.people["member"].pseudonym}, 303
    ),
    "moderation.posting": Case("mentor", lambda _: {"action": "stop", "days": "7"}, 303),
    "notices.mark_read": Case("member", nothing, 303, prepare=leave_notice),
    "notices.open_notice": Case("member", nothing, 303, prepare=leave_notice),
    "notices.dismiss": Case("member", nothing, 303, prepare=leave_notice),
    "events.new": Case("staff", new_event_form, 303),
    "events.rsvp": Case("member", nothing, 303, prepare=staff_event),
    "events.cancel_rsvp": Case("member", nothing, 303, prepare=member_rsvp),
    "events.rsvp_series": Case("member", nothing, 303, prepare=staff_event),
    "events.cancel_series_rsvps": Case("member", nothing, 303, prepare=member_rsvp),
    "events.edit": Case("staff", event_details_form, 303, prepare=staff_event),
    "events.cancel": Case("staff", nothing, 303, prepare=staff_event),
    "events.cancel_series": Case("staff", lambda _: {"confirm": "yes"}, 303, prepare=staff_event),
    # Before the meeting starts attendance can't be saved: a calm message, nothing written.
    "programs.enroll": Case("member", nothing, 303, prepare=staff_program),
    "programs.withdraw": Case("member", lambda _: {"confirm": "yes"}, 303, prepare=member_enrolled),
    # The program has ended (the clock moved past its last day): the place goes.
    "programs.remove": Case(
        "member", lambda _: {"confirm": "yes"}, 303, prepare=member_in_ended_program
    ),
    "programs.mark_done": Case("member", nothing, 303, prepare=member_following),
    "programs.mark_not_done": Case("member", nothing, 303, prepare=member_marked_done),
    "programs.new_session": Case("staff", session_form, 303, prepare=staff_program),
    "programs.edit_session": Case("staff", session_form, 303, prepare=staff_session),
    "programs.move_session": Case(
        "staff", lambda _: {"direction": "later"}, 303, prepare=staff_session
    ),
    "programs.delete_session": Case(
        "staff", lambda _: {"confirm": "yes"}, 303, prepare=staff_session
    ),
    # Not completed: a calm message, nothing written.
    "programs.letter": Case("member", nothing, 303, writes=False, prepare=member_enrolled),
    "programs.verify": Case(
        "anon",
        lambda _: {"code": "AAAA-BBBB-CCCC-DDDD"},
        200,
        writes=False,
        token_page="/programs/verify",
    ),
    "programs.new": Case("staff", program_form, 303),
    "programs.edit": Case("staff", program_form, 303, prepare=staff_program),
    "programs.decide": Case(
        "staff", lambda _: {"note": ""}, 303, writes=False, prepare=staff_program
    ),
    "programs.new_meeting": Case("staff", new_event_form, 303, prepare=staff_program),
    "programs.complete": Case(
        "staff", lambda _: {"confirm": "yes"}, 303, prepare=member_placed_in_started_program
    ),
    "programs.undo": Case("staff", lambda _: {"confirm": "yes"}, 303, prepare=completed_today),
    # A meeting with no day: the form again with a calm message, nothing written.
    "programs.past_meeting": Case("staff", nothing, 400, writes=False, prepare=staff_program),
    "programs.attendance": Case(
        "staff", lambda _: {"present": "1"}, 200, writes=False, prepare=staff_program
    ),
    "events.attendees": Case(
        "staff", lambda _: {"present": "1"}, 200, writes=False, prepare=staff_event
    ),
    "events.add_host": Case(
        "staff", lambda ctx: {"pseudonym": ctx.people["admin"].pseudonym}, 303, prepare=staff_event
    ),
    # The member does not run it: nothing to remove, a calm message, nothing written.
    "events.remove_host": Case("staff", nothing, 303, writes=False, prepare=staff_event),
    "programs.add_host": Case(
        "staff",
        lambda ctx: {"pseudonym": ctx.people["admin"].pseudonym},
        303,
        prepare=staff_program,
    ),
    "programs.remove_host": Case("staff", nothing, 303, writes=False, prepare=staff_program),
    # Stopping running it yourself, confirmed with the page's button (someone else runs it).
    "events.leave_hosts": Case("staff", lambda _: {"confirm": "yes"}, 303, prepare=co_hosted_event),
    "programs.leave_hosts": Case(
        "staff", lambda _: {"confirm": "yes"}, 303, prepare=co_hosted_program
    ),
    "help.new": Case("staff", lambda _: resource_form(), 303),
    "help.edit": Case("staff", lambda _: resource_form(), 303, prepare=help_resource),
    "help.remove": Case("staff", lambda _: {"confirm": "yes"}, 303, prepare=help_resource),
    "stories.new": Case("member", lambda _: dict(STORY_FORM), 303),
    "stories.edit": Case("member", lambda _: dict(STORY_FORM), 303),
    "stories.sharing": Case(
        "member", lambda _: {"audience": "members", "byline": "anonymous"}, 303
    ),
    "stories.withdraw": Case("member", lambda _: {"confirm": "y"}, 303),
    "stories.report": Case("reader", lambda _: {"category": "harassment", "note": ""}, 303),
    "stories.hidden_warnings": Case("member", lambda _: {"hidden": "violence"}, 303),
    "moderation.review": Case("mentor", lambda _: {"decision": "approve", "note": ""}, 303),
    "moderation.reports": Case("mentor", lambda _: {"decision": "keep", "note": ""}, 303),
}

BAD_TOKENS = ("missing", "other_session", "expired")
# What Flask-WTF logs for each (its reason, which the calm 400 page does not show).
REASONS = {
    "missing": "The CSRF token is missing.",
    "other_session": "The CSRF tokens do not match.",
    "expired": "The CSRF token has expired.",
}


PEOPLE = {
    "member": ("river-member", "member", False),
    "member-2fa": ("fern-member", "member", True),
    "mentor": ("heron-mentor", "mentor", True),
    "staff": ("maple-staff", "staff", True),
    "admin": ("wren-admin", "admin", True),
    "attacker": ("crow-member", "member", False),
    "reader": ("cedar-member", "member", False),
}


class People(dict):
    """The accounts a test uses, each created the first time it is asked for."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.app = app

    def __missing__(self, key: str) -> MadeAccount:
        pseudonym, role, two_factor = PEOPLE[key]
        self[key] = make_account(self.app, pseudonym, role=role, two_factor=two_factor)
        return self[key]


@pytest.fixture
def people(app) -> People:
    return People(app)


def test_every_unsafe_route_has_a_case(app):
    unsafe = {r.endpoint for r in app.url_map.iter_rules() if r.methods & UNSAFE_METHODS}
    assert unsafe == CASES.keys()
    for rule in app.url_map.iter_rules():
        assert not rule.methods & {"PUT", "PATCH", "DELETE"}, rule  # add them to CASES first


@pytest.mark.parametrize("variant", [*BAD_TOKENS, "valid"])
@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_unsafe_route_needs_the_sessions_own_fresh_token(
    app, client, clock, people, caplog, monkeypatch, endpoint, variant
):
    case = CASES[endpoint]
    ctx = Context(app, client, clock, people)
    objects = access_objects(app, people["member"].id, people["reader"].id)
    if case.actor != "anon":
        sign_in(client, people[case.actor], clock)
    if case.prepare:
        case.prepare(ctx)
    path = ACCESS[endpoint].path.format(
        member_id=people["member"].id,
        occurrence_id=ctx.values.get("occurrence_id", 0),
        program_id=ctx.values.get("program_id", 0),
        meeting_id=ctx.values.get("meeting_id", 0),
        invite_id=ctx.values.get("invite_id", 0),
        reset_code_id=ctx.values.get("reset_code_id", 0),
        eligible_id=ctx.values.get("eligible_id", 0),
        enrollment_id=ctx.values.get("enrollment_id", 0),
        session_id=ctx.values.get("session_id", 0),
        course_id=ctx.values.get("program_id", 0),
        notice_id=ctx.values.get("notice_id", 0),
        resource_id=ctx.values.get("resource_id", 0),
        **objects,
    )
    token_page = case.token_page or ("/login" if case.actor == "anon" else "/account")
    own_token = token_on(client, token_page)  # the session now holds its own token too
    data = case.form(ctx)
    if variant == "other_session":
        attacker = app.test_client()
        sign_in(attacker, people["attacker"], clock)
        data["csrf_token"] = token_on(attacker, "/account")
        assert data["csrf_token"] != own_token
    elif variant in ("expired", "valid"):
        data["csrf_token"] = own_token
    before = snapshot(app)
    caplog.set_level(logging.INFO, logger="flask_wtf.csrf")
    with monkeypatch.context() as patched:
        if variant == "expired":
            # Signed now, checked one second after WTF_CSRF_TIME_LIMIT.
            later = int(time.time()) + app.config["WTF_CSRF_TIME_LIMIT"] + 1
            patched.setattr(TimestampSigner, "get_timestamp", lambda _self: later)
        response = client.post(path, data=data)
    body = response.get_data(as_text=True)
    # The answer, refusal or not, carries every safety header and is never stored.
    assert_safety_headers(response)
    assert_not_cached(response)
    if variant == "valid":
        assert response.status_code == case.status, body[:2000]
        assert CSRF_PAGE not in body
        assert (differences(before, snapshot(app)) != {}) == case.writes
    else:
        assert response.status_code == 400
        assert CSRF_PAGE in body
        assert REASONS[variant] in caplog.text
        assert differences(before, snapshot(app)) == {}


# H2: GET is safe, for every role, on every GET route.

# DESIGN §5: quick exit is a plain link that ends the session on the server, so this
# GET may change one thing: the signed-in account's session token.
QUICK_EXIT = "accounts.quick_exit"


@pytest.mark.parametrize(
    "who", ["anon", "member", "mentor", "staff", "admin", "staff-no-2fa", "new-mentor"]
)
def test_get_changes_nothing(app, client, clock, people, who):
    if who == "staff-no-2fa":
        account = make_account(app, "cedar-staff", role="staff", two_factor=False)
        sign_in(client, account, clock, expect="/account/two-factor")
    elif who == "new-mentor":  # made a mentor from the pathway: every page sends to the guide
        account = people["mentor"]
        new_mentor(Context(app, client, clock, people))
        sign_in(client, account, clock)
    elif who != "anon":
        account = people[who]
        sign_in(client, account, clock)
    event = make_event(app, people["staff"].id, now=clock())
    program = make_program(app, people["staff"].id, now=clock())
    (session_id,) = make_sessions(app, program.id, 1, now=clock())
    with app.app_context():
        member = db.session.get(Account, people["member"].id)
        enrollment_id = program_services.enroll(member, program.id, now=clock()).id
        sessions.mark(member, program.id, session_id, done=True)
        db.session.commit()
    ids = {
        "member_id": people["member"].id,
        "occurrence_id": event.first,
        "program_id": program.id,
        "meeting_id": program.meeting_ids[0],
        "enrollment_id": enrollment_id,
        "resource_id": make_resource(app, is_public=False, outside_url="https://www.example.org/"),
        "session_id": session_id,
        "course_id": program.id,
        # Asking before making a mentor: an eligible member who said they are interested.
        "eligible_id": make_eligible_member(app, "pathway-eligible").id,
        **access_objects(app, people["member"].id, people["reader"].id),
    }
    rules = sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods),
        key=lambda r: (r.endpoint == QUICK_EXIT, r.endpoint),  # exit last: it ends the session
    )
    changed = {}
    for rule in rules:
        route = ACCESS[rule.endpoint]
        for method, before_path in route.before if who != "anon" else ():
            # /safety: every signed-in account may open it, held at a setup step or not.
            client.open(
                before_path, method=method, data={"csrf_token": token_on(client, "/safety")}
            )
        before = snapshot(app)
        # Quick exit from the site's own link (another site's link ends only this browser).
        headers = {"Sec-Fetch-Site": "same-origin"} if rule.endpoint == QUICK_EXIT else {}
        with client.get(route.path.format(**ids), headers=headers) as response:
            assert response.status_code < 500, rule.endpoint
        change = differences(before, snapshot(app))
        if rule.endpoint == QUICK_EXIT and who != "anon":
            assert change.keys() == {"accounts"}
            (gone,), (came,) = change["accounts"]["gone"], change["accounts"]["new"]
            columns = [c.name for c in db.metadata.tables["accounts"].columns]
            differing = {c for c, old, new in zip(columns, gone, came, strict=True) if old != new}
            assert differing == {"session_token"}
            assert gone[0] == account.id
        elif change:
            changed[rule.endpoint] = change
    assert changed == {}


SIGNED_IN_ALREADY = "You are signed in."


def test_a_sign_in_or_join_sent_again_after_it_worked_goes_home_signed_in(app, client, clock):
    """Back after joining or signing in, then the button again: the old form's token was
    the visitor's session's, now gone. Not "this form had expired" (which reads like
    something failed): home, signed in, with a calm word, and nothing made twice."""
    form = {
        "invite_code": invite_code(app, clock()),
        "pseudonym": "Quiet Fern",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        "action": "join",
        "csrf_token": token_on(client, "/join"),
    }
    assert client.post("/join", data=form).status_code == 303
    accounts_before = row_counts(snapshot(app))["accounts"]
    again = client.post("/join", data=form, follow_redirects=True)
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert urlsplit(again.request.url).path == "/"
    # A calm word, shown as information (not as an error or a success).
    assert f'<p class="flash flash-info">{SIGNED_IN_ALREADY}</p>' in page
    assert CSRF_PAGE not in page
    assert row_counts(snapshot(app))["accounts"] == accounts_before
    client.post("/logout", data={"csrf_token": token_on(client, "/account")})

    login = {"pseudonym": "Quiet Fern", "password": NEW_PASSWORD}
    login["csrf_token"] = token_on(client, "/login")
    assert client.post("/login", data=login).status_code == 303
    again = client.post("/login", data=login, follow_redirects=True)
    assert urlsplit(again.request.url).path == "/"
    assert SIGNED_IN_ALREADY in again.get_data(as_text=True)


def test_a_stale_form_from_a_visitor_still_says_it_expired(app, client):
    response = client.post("/login", data={"pseudonym": "x", "password": "y", "csrf_token": "z"})
    assert response.status_code == 400
    assert CSRF_PAGE in response.get_data(as_text=True)


def test_an_old_code_step_after_signing_in_goes_home_with_one_word(app, client, clock):
    """Two tabs at the code step, or Back to it: once signed in, a code step sent again
    (its token was the visitor session's) or opened again goes home, saying only that."""
    staff = make_account(app, "heron-staff", role="staff")
    form = {"pseudonym": staff.pseudonym, "password": staff.password}
    assert post_with_token(client, "/login", form, "/login").headers["Location"] == "/login/code"
    old_token = token_on(client, "/login/code")
    clock.advance(seconds=30)
    first = client.post(
        "/login/code", data={"code": staff.totp_code(clock()), "csrf_token": old_token}
    )
    assert first.headers["Location"] == "/"
    clock.advance(seconds=30)
    code_again = {"code": staff.totp_code(clock()), "csrf_token": old_token}
    for send_again in (
        lambda: client.post("/login/code", data=code_again),
        lambda: client.get("/login/code"),  # Back
    ):
        again = send_again()
        page = client.get(again.headers["Location"]).get_data(as_text=True)
        assert urlsplit(again.headers["Location"]).path == "/"
        assert SIGNED_IN_ALREADY in page
        assert "Please sign in again" not in page
        assert CSRF_PAGE not in page
