"""Authorization: the route x role table (Z1), fail closed (Z6), mass assignment (Z3), X8."""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import flask_login.utils
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import current_user as real_current_user
from sqlalchemy import func, select

import advocacy.security
from advocacy.accounts.models import Account, Invite
from advocacy.extensions import db
from advocacy.security import safe_next_url
from advocacy.staff.models import AuditEntry
from tests.access_table import ACCESS, SIGNED_IN
from tests.accounts.helpers import invite_code
from tests.support.accounts import (
    PASSWORD,
    AuthActions,
    load_account,
)
from tests.support.headers import assert_not_cached, assert_safety_headers
from tests.support.matrix import all_objects, cells, location
from tests.support.snapshots import differences, snapshot

IGNORED_METHODS = {"HEAD", "OPTIONS"}


SETUP_PATH = "/account/two-factor"
CALM_403 = "This page isn't available to you"
CALM_500 = "Something went wrong on our side"


def role_required_roles(app: Flask, endpoint: str) -> tuple[str, ...] | None:
    """Return the roles a role_required view lets in (None if it is not role-gated)."""
    return getattr(app.view_functions[endpoint], "allowed_roles", None)


# Z1: the table covers every route, and every cell holds.


def test_every_endpoint_is_in_the_table(matrix):
    endpoints = {rule.endpoint for rule in matrix.app.url_map.iter_rules()}
    missing, stale = endpoints - ACCESS.keys(), ACCESS.keys() - endpoints
    assert not missing, f"decide who may use these and add them to tests/access_table.py: {missing}"
    assert not stale, f"these are in tests/access_table.py but not in the app: {stale}"


def test_table_methods_and_paths_match_the_routes(matrix):
    adapter = matrix.app.url_map.bind("localhost")
    for rule in matrix.app.url_map.iter_rules():
        route = ACCESS[rule.endpoint]
        assert route.methods == rule.methods - IGNORED_METHODS, rule.endpoint
        for method in route.methods:
            endpoint, _args = adapter.match(matrix.path(route), method=method)
            assert endpoint == rule.endpoint, (rule.endpoint, method)


def test_role_required_views_agree_with_the_table(matrix):
    gated = 0
    for endpoint, route in ACCESS.items():
        allowed = role_required_roles(matrix.app, endpoint)
        if allowed is None:
            continue
        gated += 1
        for method in route.methods:
            expect = route.expect(method)
            assert expect["anon"].outcome == "login", (endpoint, method)
            for role in SIGNED_IN:
                refused = expect[role].outcome == "forbidden"
                assert refused == (role not in allowed), (endpoint, method, role)
    assert gated >= 6  # invites, staff tools, admin: the decorator is still in use


@pytest.mark.parametrize(("endpoint", "method", "role"), cells())
def test_route_answers_each_role_as_the_table_says(matrix, endpoint, method, role):
    route = ACCESS[endpoint]
    expect = route.expect(method)[role]
    client = matrix.client_as(role)
    for before_method, before_path in route.before:
        client.open(before_path.format(**matrix.ids), method=before_method)
    path = matrix.path(route)
    before = snapshot(matrix.app) if expect.outcome != "ok" else None
    with client.open(path, method=method, data={} if method == "POST" else None) as response:
        body = response.get_data(as_text=True)
    assert response.status_code == expect.status, body[:2000]
    # Every answer of every route, to every role: the full safety header set, and (but for
    # our static files) never stored by the browser, so Back after an exit shows nothing.
    assert_safety_headers(response)
    if endpoint != "static":
        assert_not_cached(response)
    expected_location = expect.location.format(**matrix.ids) if expect.location else None
    assert location(response) == expected_location
    if expect.outcome == "login" and method == "GET":
        # Flask-Login keeps the address in the session (USE_SESSION_FOR_NEXT), not the URL.
        # (A POST-only address is no place to come back to: see the tests at the end.)
        with client.session_transaction() as session:
            assert session.get("next") == path
    if expect.outcome == "forbidden":
        assert CALM_403 in body
    if before is not None:
        assert differences(before, snapshot(matrix.app)) == {}


GET_PATHS = {r.path for r in ACCESS.values() if "GET" in r.methods}
# Addresses that answer only POST (a GET at the same address is another endpoint's page).
POST_ONLY = sorted(
    e for e, r in ACCESS.items() if r.methods == {"POST"} and r.path not in GET_PATHS
)


@pytest.mark.parametrize("endpoint", POST_ONLY)
def test_post_only_routes_refuse_get(matrix, endpoint):
    response = matrix.client_as("member").get(matrix.path(ACCESS[endpoint]))
    assert response.status_code == 405
    assert_safety_headers(response)
    assert_not_cached(response)


# Mentors, staff and admins must set up a second factor before anything else (DESIGN §3).
REACHABLE_BEFORE_SETUP = {
    "accounts.two_factor_setup",
    "accounts.two_factor_start",
    "accounts.two_factor_qr",
    "accounts.logout",
    "accounts.quick_exit",
    "pages.home",
    "pages.safety",
    "pages.healthz",
    "privacy.privacy_page",
    "static",
}


def test_privileged_account_without_second_factor_is_held_at_setup(matrix):
    account = matrix.accounts["staff-no-2fa"]
    held, reached = [], []
    for endpoint, route in sorted(ACCESS.items()):
        for method in sorted(route.methods):
            client = matrix.app.test_client()
            matrix.sign_in(client, account, expect_location=SETUP_PATH)
            response = client.open(matrix.path(route), method=method, data={})
            response.close()
            at_setup = response.status_code == 302 and location(response) == SETUP_PATH
            (held if at_setup else reached).append(endpoint)
    assert set(reached) == REACHABLE_BEFORE_SETUP
    assert not set(held) & REACHABLE_BEFORE_SETUP


# Z6: when the permission check itself breaks, the answer is an error, never the page.


class RoleLookupFails:
    """Stands in for current_user inside role_required: signed in, but .role raises."""

    @property
    def is_authenticated(self) -> bool:
        return real_current_user.is_authenticated

    @property
    def role(self) -> str:
        raise RuntimeError("role lookup failed")


class AuthenticationCheckFails:
    """Stands in for current_user inside login_required: .is_authenticated raises."""

    @property
    def is_authenticated(self) -> bool:
        raise RuntimeError("session lookup failed")


@pytest.mark.parametrize(
    "endpoint", [e for e in POST_ONLY if ACCESS[e].post["anon"].outcome == "login"]
)
def test_sign_in_after_a_refused_form_lands_on_a_page(matrix, endpoint):
    route = ACCESS[endpoint]
    role = next(r for r in SIGNED_IN if route.post[r].outcome == "ok")
    client = matrix.app.test_client()
    assert location(client.post(matrix.path(route))) == "/login"
    response = AuthActions(matrix.app, client, matrix.clock).login(matrix.accounts[role])
    assert response.status_code == 303
    assert client.get(location(response)).status_code == 200


@pytest.fixture
def app_overrides():
    # Let Flask turn the exception into its 500 page, as it does in production.
    return {"PROPAGATE_EXCEPTIONS": False}


def assert_closed(response, normal_body: str, what: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code in (403, 500), (what, response.status_code)
    assert body != normal_body, what
    if response.status_code == 500:
        assert CALM_500 in body, what


def test_role_check_failure_fails_closed(app, client, auth, admin, member, monkeypatch):
    auth.login(admin)
    objects = all_objects(app, auth.clock, member.id, admin.id, runner_id=admin.id)
    checked = 0
    for endpoint, route in ACCESS.items():
        if role_required_roles(app, endpoint) is None:
            continue
        for method in sorted(route.methods):
            path = route.path.format(member_id=admin.id, **objects)
            normal = client.open(path, method=method, data={})
            assert normal.status_code == route.expect(method)["admin"].status
            with monkeypatch.context() as patched:
                patched.setattr(advocacy.security, "current_user", RoleLookupFails())
                broken = client.open(path, method=method, data={})
            assert_closed(broken, normal.get_data(as_text=True), f"{method} {path}")
            checked += 1
    assert checked >= 8


ENDS_SESSION = {"accounts.logout", "accounts.logout_everywhere"}


def test_sign_in_check_failure_fails_closed(
    app, client, auth, staff, member, other_member, monkeypatch
):
    auth.login(member)
    objects = all_objects(app, auth.clock, member.id, other_member.id, runner_id=staff.id)
    checked = 0
    for endpoint, route in ACCESS.items():
        expect = route.get or route.post
        if expect["anon"].outcome != "login" or role_required_roles(app, endpoint) is not None:
            continue
        for method in sorted(route.methods):
            path = route.path.format(member_id=member.id, **objects)
            # Their normal answer would end this session, so there is nothing to compare.
            normal = "" if endpoint in ENDS_SESSION else client.open(path, method=method, data={})
            with monkeypatch.context() as patched:
                patched.setattr(flask_login.utils, "current_user", AuthenticationCheckFails())
                broken = client.open(path, method=method, data={})
            normal_body = normal if isinstance(normal, str) else normal.get_data(as_text=True)
            assert_closed(broken, normal_body, f"{method} {path}")
            checked += 1
    assert checked >= 15
    assert client.get("/account").status_code == 200  # the session itself survived


# Z3: forms take only the fields they declare.

SMUGGLED = {
    "role": "admin",
    "is_admin": "1",
    "is_mentor": "1",
    "is_discreet": "y",
    "session_token": "attacker-chosen-session-token",
    "totp_secret": "JBSWY3DPEHPK3PXP",
    "totp_pending_secret": "JBSWY3DPEHPK3PXP",
    "totp_last_step": "99999999999",
    "password_hash": "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
    "pseudonym_key": "someone-else",
    "locale": "xx",
    "created_at": "2000-01-01T00:00:00",
    "last_login_on": "2000-01-01",
}

PROTECTED_COLUMNS = (
    "id",
    "role",
    "session_token",
    "totp_secret",
    "totp_pending_secret",
    "totp_last_step",
    "password_hash",
    "created_at",
    "last_login_on",
)


def columns(account: Account, names=PROTECTED_COLUMNS) -> dict:
    return {name: getattr(account, name) for name in names}


def test_pseudonym_form_ignores_smuggled_fields(app, client, auth, member, other_member):
    auth.login(member)
    before, other_before = load_account(app, member.id), load_account(app, other_member.id)
    data = {**SMUGGLED, "pseudonym": "Quiet Heron", "password": PASSWORD, "id": other_member.id}
    data["account_id"] = data["user_id"] = other_member.id
    response = client.post("/account/pseudonym", data=data)
    assert response.status_code == 303
    after = load_account(app, member.id)
    assert after.pseudonym == "Quiet Heron"
    assert columns(after) == columns(before)
    assert (after.is_discreet, after.locale) == (before.is_discreet, before.locale)
    other_after = load_account(app, other_member.id)
    assert columns(other_after) == columns(other_before)
    assert other_after.pseudonym == other_before.pseudonym


def test_preferences_form_ignores_smuggled_fields(app, client, auth, member, other_member):
    auth.login(member)
    before = load_account(app, member.id)
    data = {**SMUGGLED, "locale": "", "pseudonym": "Taken Over", "user_id": other_member.id}
    response = client.post("/account/preferences", data=data)
    assert response.status_code == 303
    after = load_account(app, member.id)
    assert after.is_discreet is True
    assert columns(after) == columns(before)
    assert (after.pseudonym, after.pseudonym_key) == (before.pseudonym, before.pseudonym_key)
    assert load_account(app, other_member.id).is_discreet is False


def test_join_form_ignores_smuggled_fields(app, client, clock):
    code = invite_code(app, clock(), role="member")
    data = {
        **SMUGGLED,
        "invite_code": code,
        "pseudonym": "Quiet Fern",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "action": "join",
    }
    response = client.post("/join", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.pseudonym == "Quiet Fern"))
        assert account.role == "member"
        assert account.session_token != SMUGGLED["session_token"]
        assert account.totp_secret is None
        assert account.totp_pending_secret is None
        assert account.totp_last_step is None
        assert account.is_discreet is False
        assert account.locale is None
        assert account.pseudonym_key != SMUGGLED["pseudonym_key"]
        assert account.password_hash != SMUGGLED["password_hash"]
        assert account.created_at == clock()
        assert account.last_login_on == clock().date()


@pytest.mark.parametrize(
    ("inviter", "refused_role"), [("mentor", "mentor"), ("mentor", "admin"), ("staff", "admin")]
)
def test_invite_form_offers_only_the_inviters_roles(
    app, client, auth, request, inviter, refused_role
):
    account = request.getfixturevalue(inviter)
    auth.login(account)
    response = client.post("/invites", data={"role": refused_role, "uses": "1", "days": "14"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 0


def test_admin_cannot_change_own_role(app, client, auth, admin):
    auth.login(admin)
    response = client.post(f"/admin/accounts/{admin.id}/role", data={"role": "member"})
    assert response.status_code == 303
    assert location(response) == f"/admin?q={quote(admin.pseudonym)}"  # their own row
    assert load_account(app, admin.id).role == "admin"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    page = client.get("/admin")
    assert page.status_code == 200  # still an admin, still signed in
    assert "change your own role" in page.get_data(as_text=True)


def test_admin_changes_another_role_and_it_is_audited(app, client, auth, admin, member):
    auth.login(admin)
    response = client.post(f"/admin/accounts/{member.id}/role", data={"role": "mentor"})
    assert response.status_code == 303
    assert load_account(app, member.id).role == "mentor"
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.actor_id, entry.target_id, entry.action) == (
            admin.id,
            member.id,
            "role_changed",
        )


# X8: no open redirects after signing in.

MALICIOUS_NEXT = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "/%09/evil.example",
    "http:evil.example",
    # And a few more ways browsers read an address differently from Python.
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "///evil.example",
    "https:/evil.example",
    "/\\/evil.example",
    "\x00//evil.example",
]


def browser_resolves(target: str, base: str = "http://localhost/login") -> tuple[str, str]:
    """Resolve a Location the lenient way a browser does (WHATWG URL), return (scheme, host)."""
    cleaned = target.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f \x7f")
    cleaned = "".join(ch for ch in cleaned if ch not in "\t\n\r").replace("\\", "/")
    resolved = urlsplit(urljoin(base, cleaned))
    return resolved.scheme, resolved.netloc


def assert_stays_on_site(response) -> None:
    assert response.status_code == 303
    target = location(response)
    assert browser_resolves(target) == ("http", "localhost"), target
    assert target == "/", target  # nothing dangerous is honoured, even partly


def set_next(client: FlaskClient, value: str) -> None:
    with client.session_transaction() as session:
        session["next"] = value


@pytest.mark.parametrize("target", MALICIOUS_NEXT)
def test_safe_next_url_refuses_off_site_targets(target):
    result = safe_next_url(target)
    if result is not None:
        assert browser_resolves(result) == ("http", "localhost")
    # Only a same-site path may come back: "/%09/evil.example" is the path /%09/evil.example.
    assert result in (None, "/%09/evil.example")


@pytest.mark.parametrize("target", ["/account", "/events/5", "/stories?after=3", "/"])
def test_safe_next_url_keeps_site_paths(target):
    assert safe_next_url(target) == target


@pytest.mark.parametrize("target", MALICIOUS_NEXT)
@pytest.mark.parametrize("who", ["member", "staff"])
def test_sign_in_never_redirects_off_site(app, client, auth, request, who, target):
    account = request.getfixturevalue(who)
    set_next(client, target)
    response = auth.login(account)  # staff go through the code step, which keeps "next"
    if target == "/%09/evil.example":
        # A path on this site (the %09 stays encoded), so it is honoured: still on-site.
        assert response.status_code == 303
        assert browser_resolves(location(response)) == ("http", "localhost")
        assert location(response) == target
    else:
        assert_stays_on_site(response)


@pytest.mark.parametrize("who", ["member", "staff"])
def test_sign_in_honours_a_site_next(app, client, auth, request, who):
    set_next(client, "/account")
    response = auth.login(request.getfixturevalue(who))
    assert response.status_code == 303
    assert location(response) == "/account"


def test_sign_in_after_being_sent_to_login_returns_there(app, client, auth, member):
    assert location(client.get("/account/export")) == "/login"
    response = auth.login(member)
    assert location(response) == "/account/export"


def test_sign_in_ignores_next_in_the_query_string(app, client, member):
    response = client.post(
        "/login?next=https://evil.example",
        data={"pseudonym": member.pseudonym, "password": member.password, "next": "//evil.example"},
    )
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example"])
def test_reauthentication_never_redirects_off_site(app, client, auth, member, target):
    auth.login(member)
    set_next(client, target)
    response = client.post("/account/confirm", data={"password": member.password})
    assert response.status_code == 303
    assert location(response) == "/account"


# After being sent to sign in (or to confirm the password) from a form, the next
# page must be one that answers GET: Flask-Login keeps the form's POST-only address.


def test_confirming_the_password_before_a_role_change_lands_on_a_page(
    app, client, auth, clock, admin, member
):
    auth.login(admin)
    clock.advance(minutes=16)  # no longer fresh (15 min), not yet idle (30 min)
    response = client.post(f"/admin/accounts/{member.id}/role", data={"role": "mentor"})
    assert location(response) == "/account/confirm"
    assert load_account(app, member.id).role == "member"
    response = client.post("/account/confirm", data={"password": admin.password})
    assert response.status_code == 303
    assert client.get(location(response)).status_code == 200
