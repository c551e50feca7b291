"""The check before every request: idle and absolute limits, freshness, the setup step.

Written from the rules (DESIGN §3 Accounts, README): a session ends after more than 30 minutes
without a request or more than 12 hours after signing in, each with its own calm
reason, and holds at the limit itself; a sign-in counts as fresh for 15 minutes (after
that a sensitive action asks for the password again), and still is at 15 minutes.
The cookie holds only the session token, when it signed in and when it was last seen
(and Flask-Login's fresh mark): no hash of the address or browser (DESIGN §4), no
expiry (a browser-session cookie). A session that does not say when it signed in or was
last seen is over. Static files and the quick exit neither end nor renew a session:
the exit must always leave for the neutral site. On the sign-in pages an expired
session simply ends and the page shows. An account whose role needs a second factor
it has not set up reaches only the setup pages until it does; then a mentor made from the
pathway opens the moderation guide first: every page asked for (GET) but the guide, the
safety and privacy pages and recovery codes waiting to be seen leads there, while a
form sent meanwhile goes on, until the guide is seen. The cookie is written
again only when what it holds changes: the time last seen once it moves by a minute or
more (so a session ends at most a minute early), the fresh mark once it turns false.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import get_flashed_messages, session
from flask_login import current_user, login_fresh

from advocacy.accounts import sessions
from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from tests.support.accounts import make_account

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
IDLE_LIMIT = timedelta(minutes=30)
AGE_LIMIT = timedelta(hours=12)
FRESH_FOR = timedelta(minutes=15)
IDLE = ("info", "You were signed out after a while without activity, to keep you safe.")
TOO_OLD = ("info", "You were signed out because your session had lasted a long time.")
EXIT_URL = "https://www.weather.com/"  # Config.EXIT_URL


@dataclass
class Checked:
    """What the check before a request did: its answer, and the session it left."""

    location: str | None  # where it sent the visitor, or None to let the request through
    signed_in: bool
    fresh: bool
    said: list[tuple[str, str]]
    cookie: dict
    rewritten: bool  # whether the check changed the cookie (the response then re-sends it)


def check(
    app, account_id, path="/account", *, at, seen=None, forget=(), fresh=True, method="GET"
) -> Checked:
    """Sign in at NOW, last seen at `seen` (NOW if None), then ask for `path` at `at`
    (with `method`).

    `forget` names timestamps to take out of the session first; `fresh=False` starts
    from a session already marked not fresh.
    """
    app.config["CLOCK"] = lambda: at
    with app.test_request_context(path, method=method):
        sessions.start_session(db.session.get(Account, account_id), NOW)
        session["seen_at"] = (seen or NOW).timestamp()
        for key in forget:
            del session[key]
        if not fresh:
            session["_fresh"] = False
        session.modified = False
        answer = sessions.enforce_session_limits()
        said = get_flashed_messages(with_categories=True)
        return Checked(
            answer.headers["Location"] if answer else None,
            current_user.is_authenticated,
            bool(login_fresh()),
            said,
            dict(session),
            session.modified,
        )


def test_signing_in_keeps_the_token_and_two_times_and_nothing_else(app, member):
    app.config["CLOCK"] = lambda: NOW
    with app.test_request_context("/login", method="POST"):
        session["csrf_token"] = "of the visitor's session"
        session["_id"] = "a hash of the address and browser"
        account = db.session.get(Account, member.id)
        sessions.start_session(account, NOW)
        assert dict(session) == {
            "_user_id": account.session_token,
            "_fresh": True,
            "auth_at": NOW.timestamp(),
            "seen_at": NOW.timestamp(),
            "_permanent": False,  # a browser-session cookie: no expiry
        }
        assert current_user.id == member.id


def test_a_request_within_the_limits_renews_the_session(app, member):
    later = NOW + timedelta(minutes=20)
    checked = check(app, member.id, at=later, seen=NOW + timedelta(minutes=5))
    assert checked.location is None
    assert checked.signed_in
    assert checked.cookie["seen_at"] == later.timestamp()
    assert checked.cookie["auth_at"] == NOW.timestamp()
    assert checked.said == []


def test_the_time_last_seen_moves_once_a_minute_or_more_has_passed(app, member):
    seen = NOW + timedelta(minutes=5)
    kept = check(app, member.id, at=seen + timedelta(seconds=59), seen=seen)
    assert kept.cookie["seen_at"] == seen.timestamp()
    assert not kept.rewritten

    at = seen + timedelta(minutes=1)
    moved = check(app, member.id, at=at, seen=seen)
    assert moved.cookie["seen_at"] == at.timestamp()
    assert moved.rewritten


def test_a_session_already_not_fresh_is_not_written_again(app, member):
    at = NOW + FRESH_FOR + timedelta(minutes=1)
    seen = at - timedelta(seconds=30)
    turned = check(app, member.id, at=at, seen=seen)
    assert (turned.fresh, turned.rewritten) == (False, True)

    already = check(app, member.id, at=at, seen=seen, fresh=False)
    assert (already.fresh, already.rewritten) == (False, False)


def test_30_idle_minutes_keep_the_session_and_a_second_more_ends_it(app, member):
    kept = check(app, member.id, at=NOW + IDLE_LIMIT)
    assert (kept.location, kept.signed_in) == (None, True)

    ended = check(app, member.id, at=NOW + IDLE_LIMIT + SECOND)
    assert (ended.location, ended.signed_in) == ("/login", False)
    assert ended.said == [IDLE]
    assert "_user_id" not in ended.cookie


def test_12_hours_keep_a_busy_session_and_a_second_more_ends_it(app, member):
    limit = NOW + AGE_LIMIT
    kept = check(app, member.id, at=limit, seen=limit - timedelta(minutes=1))
    assert (kept.location, kept.signed_in) == (None, True)

    ended = check(app, member.id, at=limit + SECOND, seen=limit - timedelta(minutes=1))
    assert (ended.location, ended.signed_in) == ("/login", False)
    assert ended.said == [TOO_OLD]


@pytest.mark.parametrize(
    ("forget", "reason"),
    [(("auth_at",), TOO_OLD), (("seen_at",), IDLE), (("auth_at", "seen_at"), IDLE)],
)
def test_a_session_that_does_not_say_when_it_began_or_was_seen_is_over(app, member, forget, reason):
    checked = check(app, member.id, at=NOW + SECOND, forget=forget)
    assert (checked.location, checked.signed_in) == ("/login", False)
    assert checked.said == [reason]


@pytest.mark.parametrize("path", ["/static/css/site.css", "/exit"])
def test_static_files_and_the_quick_exit_neither_end_nor_renew_a_session(app, member, path):
    checked = check(app, member.id, path, at=NOW + IDLE_LIMIT + SECOND)
    assert checked.location is None
    assert checked.signed_in
    assert checked.said == []
    assert checked.cookie["seen_at"] == NOW.timestamp()  # not renewed


def test_the_quick_exit_leaves_for_the_neutral_site_from_an_idle_session(
    client, auth, clock, member
):
    auth.login(member)
    clock.advance(minutes=31)
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == EXIT_URL
    assert client.get("/account").headers["Location"] == "/login"


@pytest.mark.parametrize("path", ["/login", "/join", "/recover"])
@pytest.mark.parametrize(
    ("at", "seen"),
    [
        (NOW + IDLE_LIMIT + SECOND, NOW),  # idle only
        (NOW + AGE_LIMIT + SECOND, NOW + AGE_LIMIT),  # too old only
    ],
    ids=["idle", "too-old"],
)
def test_on_a_sign_in_page_an_expired_session_simply_ends(app, member, path, at, seen):
    checked = check(app, member.id, path, at=at, seen=seen)
    assert checked.location is None  # the page shows
    assert not checked.signed_in
    assert checked.said == []
    assert "_user_id" not in checked.cookie


@pytest.mark.parametrize("path", ["/login", "/join", "/recover"])
def test_on_a_sign_in_page_a_live_session_goes_on(app, member, path):
    checked = check(app, member.id, path, at=NOW + timedelta(minutes=1))
    assert checked.location is None
    assert checked.signed_in
    assert checked.said == []


def test_a_sign_in_is_fresh_for_15_minutes(app, member):
    assert check(app, member.id, at=NOW + FRESH_FOR).fresh
    stale = check(app, member.id, at=NOW + FRESH_FOR + SECOND)
    assert not stale.fresh
    assert stale.cookie["_fresh"] is False  # what the readable cookie says, too


def test_a_stale_sign_in_asks_for_the_password_before_a_sensitive_action(
    client, auth, clock, member
):
    auth.login(member)
    clock.advance(minutes=15)
    assert client.get("/account/delete").status_code == 200
    clock.advance(seconds=1)
    response = client.get("/account/delete")
    assert response.headers["Location"] == "/account/confirm"


@pytest.mark.parametrize(
    ("path", "sent_to"),
    [
        ("/account", "/account/two-factor"),
        ("/stories", "/account/two-factor"),
        ("/account/two-factor", None),
        ("/", None),
        ("/safety", None),
    ],
)
def test_a_role_that_needs_a_second_factor_reaches_only_its_setup(app, path, sent_to):
    staff = make_account(app, "cedar-staff", role=Role.STAFF, two_factor=False)
    checked = check(app, staff.id, path, at=NOW + SECOND)
    assert checked.location == sent_to
    assert checked.signed_in


def test_a_member_without_a_second_factor_goes_anywhere(app, member):
    assert check(app, member.id, "/stories", at=NOW + SECOND).location is None


GUIDE = "/moderation/guide"


@pytest.mark.parametrize(
    ("method", "path", "sent_to"),
    [
        ("GET", "/", GUIDE),
        ("GET", "/moderation", GUIDE),
        ("GET", "/account", GUIDE),
        ("GET", GUIDE, None),
        ("GET", "/safety", None),
        ("GET", "/privacy", None),
        ("GET", "/healthz", None),
        ("GET", "/account/recovery-codes", None),
        ("POST", "/account/preferences", None),  # a form sent meanwhile goes on
        ("POST", GUIDE, None),  # saying it was read
    ],
)
def test_a_new_mentor_opens_the_guide_first(app, method, path, sent_to):
    mentor = make_account(app, "heron-mentor", role=Role.MENTOR)
    with app.app_context():
        db.session.get(Account, mentor.id).is_new_mentor = True  # made from the pathway
        db.session.commit()
    assert check(app, mentor.id, path, at=NOW + SECOND, method=method).location == sent_to
    with app.app_context():
        db.session.get(Account, mentor.id).is_new_mentor = False  # the guide is seen
        db.session.commit()
    assert check(app, mentor.id, path, at=NOW + SECOND, method=method).location is None
