"""Choosing a language (issue 18, item 2): the browser's by default; a button on every page,
working without JavaScript, that keeps the choice in the session for a visitor and on the
account for a member, and nothing else; `<html lang>` says the page's language; the
buttons name each language in itself; a language needs only its catalogue.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from advocacy import create_app
from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.conftest import make_config
from tests.support.accounts import AuthActions, make_invite
from tests.support.catalogues import catalogue_overrides, write_catalogues
from tests.support.snapshots import differences, snapshot

SPANISH = {"Accept-Language": "es-US,es;q=0.9"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


@pytest.fixture
def app_overrides(tmp_path):
    """Spanish and French catalogues (French: a third language, nothing else added)."""
    return catalogue_overrides(tmp_path)


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]*)">', response.get_data(as_text=True)).group(1)


def language_buttons(response) -> list[tuple[str, str, str]]:
    """(value, lang attribute, text) of each button of the page's language form."""
    page = response.get_data(as_text=True)
    form = re.search(r'<form class="language" method="post" action="/language"[^>]*>(.*?)</form>',
                     page, re.S)  # fmt: skip
    assert form, "every page has the language form"
    return re.findall(
        r'<button class="link" type="submit" name="locale" value="(\w+)" lang="(\w+)">([^<]+)<',
        form.group(1),
    )


def choose(client, code: str, back_to: str = "/safety", **headers):
    return client.post("/language", data={"locale": code, "next": back_to}, headers=headers)


def sign_in(client, account, clock) -> None:
    assert AuthActions(client.application, client, clock).login(account).status_code == 303


def session_keys(client) -> set[str]:
    with client.session_transaction() as kept:
        return set(kept)


def test_the_browsers_language_is_the_default(client):
    assert page_language(client.get("/", headers=SPANISH)) == "es"
    assert "Salida rápida" in client.get("/", headers=SPANISH).get_data(as_text=True)
    assert page_language(client.get("/", headers=ENGLISH)) == "en"
    # A language without a catalogue, or none asked for: English.
    assert page_language(client.get("/", headers={"Accept-Language": "de"})) == "en"
    assert page_language(client.get("/")) == "en"


@pytest.mark.parametrize("path", ["/", "/safety", "/privacy", "/login", "/join", "/help"])
def test_every_page_offers_the_other_languages_each_named_in_itself(client, path):
    assert language_buttons(client.get(path, headers=ENGLISH)) == [
        ("es", "es", "Español"),
        ("fr", "fr", "Français"),
    ]
    assert language_buttons(client.get(path, headers=SPANISH)) == [
        ("en", "en", "English"),
        ("fr", "fr", "Français"),
    ]


def test_a_visitor_chooses_and_the_session_keeps_it_and_nothing_else(app, client):
    before = snapshot(app)
    response = choose(client, "es", back_to="/help?page=2", **ENGLISH)
    assert response.status_code == 303
    assert response.headers["Location"] == "/help?page=2"
    assert session_keys(client) == {"locale"}
    # Every later page, whatever the browser asks for.
    for path in ("/", "/safety", "/stories"):
        answer = client.get(path, headers=ENGLISH)
        assert page_language(answer) == "es"
        assert "Salida rápida" in answer.get_data(as_text=True)
    assert differences(before, snapshot(app)) == {}  # nothing written to the database
    choose(client, "en", **SPANISH)
    assert page_language(client.get("/", headers=SPANISH)) == "en"


def test_a_member_chooses_and_the_account_keeps_it(app, client, clock, member):
    sign_in(client, member, clock)
    keys_before = session_keys(client)
    response = choose(client, "es", back_to="/account", **ENGLISH)
    assert (response.status_code, response.headers["Location"]) == (303, "/account")
    assert session_keys(client) == keys_before  # the session holds no language for them
    with app.app_context():
        assert db.session.get(Account, member.id).locale == "es"
    assert page_language(client.get("/account", headers=ENGLISH)) == "es"
    # On another device too: the choice is the account's.
    other = app.test_client()
    sign_in(other, member, clock)
    assert page_language(other.get("/", headers=ENGLISH)) == "es"


def test_a_visitors_choice_lasts_through_signing_in_without_touching_the_account(
    app, client, clock, member
):
    choose(client, "es")
    sign_in(client, member, clock)
    assert page_language(client.get("/account", headers=ENGLISH)) == "es"
    with app.app_context():
        assert db.session.get(Account, member.id).locale is None


@pytest.mark.parametrize("code", ["de", "", "es-ES", "../es", "EN", "x" * 5000])
def test_a_language_without_a_catalogue_is_refused_calmly_and_nothing_kept(
    app, client, clock, member, code
):
    assert choose(client, code).status_code == 400
    assert "locale" not in session_keys(client)
    sign_in(client, member, clock)
    response = choose(client, code)
    assert response.status_code == 400
    assert "Something in that request didn't work" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Account.locale).where(Account.id == member.id)) is None


@pytest.mark.parametrize(
    "back_to", ["https://elsewhere.example/", "//elsewhere.example/", "/\\elsewhere", "", "help"]
)
def test_the_way_back_is_a_page_of_this_site_only(client, back_to):
    response = choose(client, "es", back_to=back_to)
    assert (response.status_code, response.headers["Location"]) == (303, "/")


def test_a_link_cannot_change_the_language(client):
    assert client.get("/language?locale=es").status_code == 405
    assert "locale" not in session_keys(client)


CSRF_ON = pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])


@CSRF_ON
def test_another_sites_form_cannot_change_a_visitors_language(client):
    client.get("/login", headers=ENGLISH)  # its form gives this visitor a session and token
    assert choose(client, "es").status_code == 400  # sent without it, from nowhere known
    assert choose(client, "es", **{"Sec-Fetch-Site": "cross-site"}).status_code == 400
    assert "locale" not in session_keys(client)
    page = client.get("/", headers=ENGLISH).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent = client.post("/language", data={"locale": "es", "next": "/", "csrf_token": token})
    assert sent.status_code == 303
    assert page_language(client.get("/", headers=ENGLISH)) == "es"


def test_each_app_reads_its_own_catalogues(app, client, database_url, tmp_path):
    """Catalogues are cached per app (Flask-Babel's cache is per domain, shared by apps)."""
    other_catalogue = write_catalogues(tmp_path / "other", {"es": {"Quick exit": "Salir ya"}})
    other = create_app(make_config(database_url, BABEL_TRANSLATION_DIRECTORIES=other_catalogue))
    for _ in range(2):
        assert "Salida rápida" in client.get("/", headers=SPANISH).get_data(as_text=True)
        assert "Salir ya" in other.test_client().get("/", headers=SPANISH).get_data(as_text=True)


@CSRF_ON
@pytest.mark.parametrize("path", ["/", "/safety", "/privacy", "/signed-out"])
def test_a_visitors_page_sets_no_cookie_until_they_choose(client, path):
    """Least data (a shared device keeps nothing of the site): reading a page, or the page
    after signing out, starts no session; the language button works without one."""
    response = client.get(path, headers=ENGLISH)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert 'name="csrf_token"' not in response.get_data(as_text=True).split('class="language"')[1]
    chosen = choose(client, "es", back_to=path, **{"Sec-Fetch-Site": "same-origin"})
    assert (chosen.status_code, chosen.headers["Location"]) == (303, path)
    assert "Set-Cookie" in chosen.headers  # the choice is kept, as asked
    assert page_language(client.get(path, headers=ENGLISH)) == "es"


@CSRF_ON
@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Sec-Fetch-Site": "same-origin"}, 303),
        ({"Origin": "http://localhost"}, 303),  # a browser without Fetch Metadata
        ({"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"}, 400),
        ({"Sec-Fetch-Site": "same-site"}, 400),  # a sibling subdomain is another site
        ({"Sec-Fetch-Site": "none"}, 400),  # typed or bookmarked: no page of ours sent it
        ({"Origin": "https://elsewhere.example"}, 400),
        ({"Origin": "null"}, 400),
        ({}, 400),
    ],
)
def test_a_visitor_without_a_session_is_trusted_only_from_this_sites_pages(client, headers, status):
    assert choose(client, "es", **headers).status_code == status
    assert ("locale" in session_keys(client)) is (status == 303)


def test_a_member_always_sends_the_token(app, client, clock, member):
    sign_in(client, member, clock)  # with CSRF off, as the app_overrides leave it
    app.config["WTF_CSRF_ENABLED"] = True
    assert choose(client, "es", **{"Sec-Fetch-Site": "same-origin"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Account.locale).where(Account.id == member.id)) != "es"


@pytest.mark.parametrize("chosen", ["es", None])
def test_joining_keeps_the_language_chosen_before(app, client, clock, chosen):
    """Spanish chosen on the first page stays after signing out and in again: the new
    account holds it (and no choice stays no choice: the browser's language rules)."""
    if chosen:
        assert choose(client, chosen).status_code == 303
    code, _ = make_invite(app, None, now=clock())
    joined = client.post(
        "/join",
        data={
            "invite_code": code,
            "pseudonym": "Quiet Fern",
            "password": "amber kettle harbour violet",
            "password_confirm": "amber kettle harbour violet",
            "action": "join",
        },
    )
    assert joined.status_code == 303
    with app.app_context():
        kept = db.session.scalar(select(Account.locale).where(Account.pseudonym == "Quiet Fern"))
    assert kept == chosen
