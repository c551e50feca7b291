"""Signing in and out: generic failures, throttling, second factor, sessions that end."""

import re

import pytest
from argon2 import PasswordHasher, profiles
from flask.testing import FlaskClient

from advocacy.extensions import db, passwords
from tests.support.accounts import PASSWORD, load_account, make_account


def session_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie("advocacy_session")
    return cookie.value if cookie else None


def signed_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


def test_wrong_variants_of_the_password_fail(app, client, auth, member):
    for wrong in (PASSWORD[:-1], PASSWORD + "x", PASSWORD.upper()):
        response = client.post("/login", data={"pseudonym": member.pseudonym, "password": wrong})
        assert response.status_code == 200
        assert not signed_in(client)
    assert auth.login(member).status_code == 303
    assert signed_in(client)


def test_unknown_pseudonym_and_wrong_password_look_identical(app, client, member, monkeypatch):
    verified = []
    original = passwords.verify

    def spy(password_hash, password):
        verified.append(password_hash is None)
        return original(password_hash, password)

    monkeypatch.setattr(passwords, "verify", spy)
    client.get("/login")  # the form first, as a visitor sees it (its session holds a token)
    unknown = client.post("/login", data={"pseudonym": "nobody-here", "password": PASSWORD + "!"})
    wrong = client.post("/login", data={"pseudonym": member.pseudonym, "password": PASSWORD + "!"})
    assert unknown.status_code == wrong.status_code == 200

    def strip(r):
        return (
            r.get_data(as_text=True)
            .replace("nobody-here", "")
            .replace(  # noqa: E731
                member.pseudonym, ""
            )
        )

    assert strip(unknown) == strip(wrong)
    assert "match. Please try again" in strip(unknown)
    assert verified == [True, False]  # both ran a verify: the unknown one against a dummy hash
    assert unknown.headers.getlist("Set-Cookie") == wrong.headers.getlist("Set-Cookie")


def test_overlong_password_at_login_never_reaches_argon2(app, client, member, monkeypatch):
    calls = []
    monkeypatch.setattr(passwords, "verify", lambda *a: calls.append(a) or False)
    response = client.post("/login", data={"pseudonym": member.pseudonym, "password": "a" * 129})
    assert response.status_code == 200
    assert calls == []


def test_stored_hash_uses_strong_argon2id(app, client, clock):
    from advocacy.config import TestConfig
    from tests.conftest import make_config

    config = make_config(app.config["SQLALCHEMY_DATABASE_URI"])
    config.ARGON2_PROFILE = "default"
    from advocacy import create_app

    strong = create_app(config)
    with strong.app_context():
        digest = passwords.hash(PASSWORD)
    assert digest.startswith("$argon2id$v=19$")
    memory, time_cost = (int(part.split("=")[1]) for part in digest.split("$")[3].split(",")[:2])
    assert memory >= 65536
    assert time_cost >= 3
    assert TestConfig.ARGON2_PROFILE == "cheapest"
    passwords.init_app(app)  # back to the test app's cheap parameters


def test_login_upgrades_an_old_hash(app, client, auth):
    member = make_account(app, "old-hash")
    weak = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(PASSWORD)
    stronger = PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1)
    with app.app_context():
        account = db.session.get(type(load_account(app, member.id)), member.id)
        account.password_hash = stronger.hash(PASSWORD)
        db.session.commit()
    assert auth.login(member).status_code == 303
    upgraded = load_account(app, member.id).password_hash
    assert upgraded != weak
    with app.app_context():
        assert not passwords.needs_rehash(upgraded)


@pytest.mark.parametrize(
    "app_overrides",
    [
        {
            "LIMIT_LOGIN_PER_ACCOUNT_AND_CLIENT": "3 per 15 minutes",
            "LIMIT_LOGIN_PER_CLIENT": "50 per hour",
        }
    ],
)
def test_failed_attempts_throttle_that_account_only(app, client, auth, member, other_member):
    for _ in range(3):
        client.post("/login", data={"pseudonym": member.pseudonym, "password": "wrong wrong wrong"})
    throttled = auth.login(member)
    assert throttled.status_code == 429
    assert "Please try again in about 15 minutes" in throttled.get_data(as_text=True)
    assert auth.login(other_member).status_code == 303


@pytest.mark.parametrize(
    "app_overrides",
    [{"LIMIT_LOGIN_PER_ACCOUNT": "50 per hour", "LIMIT_LOGIN_PER_CLIENT": "4 per 15 minutes"}],
)
def test_one_client_cannot_try_many_accounts(app, client):
    statuses = [
        client.post("/login", data={"pseudonym": f"guess-{n}", "password": "x" * 20}).status_code
        for n in range(6)
    ]
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429, 429]


def test_session_cookie_is_new_on_login_and_planted_cookie_is_useless(app, client, auth, member):
    with client.session_transaction() as session:
        session["_user_id"] = "planted-by-attacker"
        session["planted"] = True
    planted_cookie = session_cookie(client)
    auth.login(member)
    token = load_account(app, member.id).session_token
    assert session_cookie(client) != planted_cookie
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == token


def test_copied_cookie_stops_working_after_logout(app, client, auth, member):
    auth.login(member)
    copied = session_cookie(client)
    assert auth.logout().status_code == 303
    thief = app.test_client()
    thief.set_cookie("advocacy_session", copied)
    assert thief.get("/account").status_code == 302


def test_logout_is_post_only_and_clears_site_data(app, client, auth, member):
    auth.login(member)
    assert client.get("/logout").status_code == 405
    response = auth.logout()
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "Sign out" not in client.get("/").get_data(as_text=True)


def test_every_signed_in_page_has_a_sign_out_control(app, client, auth, member):
    auth.login(member)
    for path in ("/", "/account", "/safety", "/privacy", "/account/export"):
        assert 'action="/logout"' in client.get(path).get_data(as_text=True)


def test_idle_timeout(app, client, auth, clock, member):
    auth.login(member)
    clock.advance(minutes=29)
    assert signed_in(client)
    clock.advance(minutes=31)
    response = client.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    # Said as information (it is no error of theirs), in the flash style for it.
    assert re.search(
        r'<p class="flash flash-info">[^<]*without activity', client.get("/login").text
    )


def test_absolute_timeout_despite_activity(app, client, auth, clock, member):
    auth.login(member)
    for _ in range(12 * 6 - 1):
        clock.advance(minutes=10)
        assert client.get("/").status_code == 200
    clock.advance(minutes=9)
    assert signed_in(client)
    clock.advance(minutes=2)
    assert not signed_in(client)


def test_password_change_signs_out_the_other_device(app, client, auth, member):
    other = app.test_client()
    auth.login(member, client=other)
    auth.login(member)
    assert signed_in(other)
    new = "fresh cedar harbor lantern"
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": new, "password_confirm": new},
    )
    assert response.status_code == 303
    assert signed_in(client)
    assert not signed_in(other)


def test_password_change_needs_the_current_password(app, client, auth, member):
    auth.login(member)
    before = load_account(app, member.id).password_hash
    new = "fresh cedar harbor lantern"
    for current in ("", "not my password at all"):
        response = client.post(
            "/account/password",
            data={"current_password": current, "password": new, "password_confirm": new},
        )
        assert response.status_code == 400
    assert load_account(app, member.id).password_hash == before


def test_log_out_everywhere(app, client, auth, member):
    auth.login(member)
    copied = session_cookie(client)
    assert client.post("/account/logout-everywhere").status_code == 303
    thief = app.test_client()
    thief.set_cookie("advocacy_session", copied)
    assert not signed_in(thief)
    assert not signed_in(client)


@pytest.mark.parametrize("ending", ["password", "everywhere"])
def test_a_code_step_begun_elsewhere_ends_with_the_other_sessions(
    app, client, auth, clock, staff, ending
):
    """Someone who has the password but not the phone waits at the code step: a password
    change, or signing out everywhere, ends that step too, so a code typed there later
    (or guessed) signs nobody in."""
    waiting = app.test_client()
    response = waiting.post("/login", data={"pseudonym": staff.pseudonym, "password": PASSWORD})
    assert response.headers["Location"].endswith("/login/code")
    auth.login(staff)
    new = "fresh cedar harbor lantern"
    if ending == "password":
        form = {"current_password": PASSWORD, "password": new, "password_confirm": new}
        assert client.post("/account/password", data=form).status_code == 303
    else:
        assert client.post("/account/logout-everywhere").status_code == 303
    clock.advance(seconds=30)  # a code of a step not used yet
    response = waiting.post("/login/code", data={"code": staff.totp_code(clock())})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert not signed_in(waiting)


def test_no_remember_cookie_and_cookie_attributes(app, client, auth, member):
    response = auth.login(member)
    cookies = response.headers.getlist("Set-Cookie")
    assert not any("remember_token" in c for c in cookies)
    session_header = next(c for c in cookies if c.startswith("advocacy_session="))
    assert "HttpOnly" in session_header
    assert "SameSite=Lax" in session_header
    assert "Path=/" in session_header
    assert "Domain" not in session_header
    assert "Expires" not in session_header  # a browser-session cookie


def test_production_cookie_is_host_prefixed_and_secure(monkeypatch):
    from advocacy.config import ProductionConfig

    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "p" * 40)
    monkeypatch.setenv("ADVOCACY_BASE_URL", "https://pathways.example.org")
    config = ProductionConfig()
    assert config.SESSION_COOKIE_NAME == "__Host-session"
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True


def test_privileged_login_needs_the_code(app, client, auth, clock, staff):
    response = client.post("/login", data={"pseudonym": staff.pseudonym, "password": PASSWORD})
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/staff").status_code == 302  # not signed in yet
    wrong = client.post("/login/code", data={"code": "000000"})
    assert "That code didn" in wrong.get_data(as_text=True)
    clock.advance(seconds=30)
    assert client.post("/login/code", data={"code": staff.totp_code(clock())}).status_code == 303
    assert client.get("/staff").status_code == 200


def test_a_used_code_cannot_be_used_again(app, client, auth, clock, staff):
    auth.login(staff)
    used = staff.totp_code(clock())
    auth.logout()
    client.post("/login", data={"pseudonym": staff.pseudonym, "password": PASSWORD})
    response = client.post("/login/code", data={"code": used})
    assert "That code didn" in response.get_data(as_text=True)
    assert client.get("/staff").status_code == 302


def test_password_fields_let_browsers_help(app, client):
    join = client.get("/join").get_data(as_text=True)
    login = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="new-password"' in join
    assert 'autocomplete="current-password"' in login
    assert "onpaste" not in join + login
