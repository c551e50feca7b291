"""The account page: pseudonym, discreet mode, second factor, export and deletion.

Only moderators (mentors and admins) keep the choice to open stories at once on the
review page: saved as asked for them, false for anyone else whatever they send.
"""

import json

import pyotp
import pytest
from sqlalchemy import func, select

from advocacy.accounts import services
from advocacy.accounts.models import Account, RecoveryCode, RetiredName, Role
from advocacy.extensions import db
from advocacy.notices.models import Notice
from tests.accounts.helpers import codes_in, invite_code, join
from tests.support.accounts import PASSWORD, load_account, make_account
from tests.support.event_rules import person
from tests.support.stories import load_story, make_story


@pytest.fixture
def signed_in(auth, member):
    auth.login(member)
    return member


def test_change_pseudonym(app, client, signed_in):
    assert (
        client.post(
            "/account/pseudonym", data={"pseudonym": "New Heron", "password": PASSWORD}
        ).status_code
        == 303
    )
    assert load_account(app, signed_in.id).pseudonym == "New Heron"


def test_taken_pseudonym_is_refused_calmly(app, client, signed_in, other_member):
    response = client.post(
        "/account/pseudonym",
        data={"pseudonym": other_member.pseudonym.upper(), "password": PASSWORD},
    )
    assert response.status_code == 400
    assert "That pseudonym is taken" in response.get_data(as_text=True)
    assert load_account(app, signed_in.id).pseudonym == signed_in.pseudonym


def test_discreet_mode_makes_the_tab_neutral(app, client, signed_in):
    assert "· Pathways</title>" in client.get("/account").get_data(as_text=True)
    client.post("/account/preferences", data={"is_discreet": "y", "locale": ""})
    body = client.get("/account").get_data(as_text=True)
    assert "<title>Notes</title>" in body
    assert "favicon-plain.svg" in body
    assert "Pathways" not in body


def test_a_chosen_language_is_kept_and_the_browsers_choice_keeps_none(app, client, signed_in):
    client.post("/account/preferences", data={"locale": "en"})
    assert load_account(app, signed_in.id).locale == "en"
    client.post("/account/preferences", data={"locale": ""})  # "Same as my browser"
    assert load_account(app, signed_in.id).locale is None


def test_language_must_be_one_we_have(app, client, signed_in):
    response = client.post("/account/preferences", data={"locale": "xx"})
    assert response.status_code == 400
    assert load_account(app, signed_in.id).locale is None


def test_member_can_set_up_and_turn_off_a_second_factor(app, client, clock, signed_in):
    assert client.post("/account/two-factor/start").status_code == 303
    secret = load_account(app, signed_in.id).totp_pending_secret
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert secret in page
    qr = client.get("/account/two-factor/qr.svg")
    assert qr.content_type.startswith("image/svg+xml")
    assert b"<svg" in qr.data
    assert qr.headers["Cache-Control"] == "no-store"
    code = pyotp.TOTP(secret).at(clock())
    assert client.post("/account/two-factor", data={"code": code}).status_code == 303
    account = load_account(app, signed_in.id)
    assert account.totp_secret == secret
    assert account.totp_pending_secret is None
    assert client.post("/account/two-factor/off", data={"password": PASSWORD}).status_code == 303
    assert load_account(app, signed_in.id).totp_secret is None


def test_wrong_setup_code_does_not_turn_it_on(app, client, signed_in):
    client.post("/account/two-factor/start")
    response = client.post("/account/two-factor", data={"code": "123456"})
    assert "That code didn" in response.get_data(as_text=True)
    assert load_account(app, signed_in.id).totp_secret is None


def test_privileged_account_without_second_factor_must_set_it_up(app, client, auth, clock):
    mentor = make_account(app, "new-mentor", role="mentor", two_factor=False)
    response = auth.login(mentor)
    assert response.headers["Location"].endswith("/account/two-factor")
    for path in ("/invites", "/account", "/account/export"):
        assert client.get(path).headers["Location"].endswith("/account/two-factor")
    assert client.get("/safety").status_code == 200
    secret = load_account(app, mentor.id).totp_pending_secret
    client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).at(clock())})
    assert client.get("/invites").status_code == 200


def test_privileged_roles_cannot_turn_the_second_factor_off(app, client, auth, staff):
    auth.login(staff)
    response = client.post("/account/two-factor/off", data={"password": PASSWORD})
    assert response.status_code == 400
    assert load_account(app, staff.id).totp_secret == staff.totp_secret


def test_export_needs_the_password_and_holds_no_secrets(app, client, signed_in, other_member):
    page = client.get("/account/export")
    assert page.status_code == 200
    refused = client.post("/account/export", data={"password": "not my password at all"})
    assert refused.content_type.startswith("text/html")
    assert "Content-Disposition" not in refused.headers  # nothing was exported
    assert "That isn't your current password" in refused.get_data(as_text=True)
    assert signed_in.pseudonym not in refused.get_data(as_text=True).split("<main", 1)[1]
    response = client.post("/account/export", data={"password": PASSWORD})
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    assert data["account"]["pseudonym"] == signed_in.pseudonym
    assert data["account"]["unused_recovery_codes"] == 0
    text = response.get_data(as_text=True)
    account = load_account(app, signed_in.id)
    for secret in (account.password_hash, account.session_token, other_member.pseudonym, "argon2"):
        assert secret not in text


def test_export_and_delete_need_a_recent_sign_in(app, client, clock, signed_in):
    clock.advance(minutes=16)
    client.get("/")  # still signed in, but no longer fresh
    clock.advance(minutes=10)
    response = client.get("/account/delete")
    assert response.headers["Location"].endswith("/account/confirm")
    # The confirm page says why it is asking (Flask-Login's needs_refresh message).
    assert '<p class="flash flash-info">Please confirm it&#39;s you to continue.</p>' in (
        client.get("/account/confirm").text
    )
    assert client.post("/account/confirm", data={"password": PASSWORD}).status_code == 303
    assert client.get("/account/delete").status_code == 200


def test_delete_removes_every_row_and_ends_the_session(app, client, signed_in):
    with app.app_context():
        account = db.session.get(Account, signed_in.id)
        db.session.add(RecoveryCode(account_id=account.id, selector="ABCD", code_hash="x"))
        db.session.commit()
    wrong = client.post("/account/delete", data={"password": "not my password at all"})
    assert wrong.status_code == 200
    assert load_account(app, signed_in.id) is not None
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"]
    assert load_account(app, signed_in.id) is None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    relogin = app.test_client().post(
        "/login", data={"pseudonym": signed_in.pseudonym, "password": PASSWORD}
    )
    assert relogin.status_code == 200
    assert client.get("/account").status_code == 302


def test_a_new_pseudonym_needs_the_password(app, client, signed_in):
    response = client.post(
        "/account/pseudonym", data={"pseudonym": "New Heron", "password": "not it at all really"}
    )
    assert response.status_code == 400
    assert "That isn't your current password" in response.get_data(as_text=True)
    assert load_account(app, signed_in.id).pseudonym == signed_in.pseudonym


def test_a_renamed_member_is_told_and_the_old_name_is_held_back(app, client, clock, signed_in):
    client.post("/account/pseudonym", data={"pseudonym": "New Heron", "password": PASSWORD})
    with app.app_context():
        kinds = list(db.session.scalars(select(Notice.kind)))
    assert kinds == ["pseudonym_changed"]
    # Nobody can take the old name and pass as its owner to the people who knew it.
    stranger = app.test_client()
    response = join(stranger, invite_code(app, clock()), pseudonym=signed_in.pseudonym)
    assert "That pseudonym is taken" in response.get_data(as_text=True)
    clock.advance(days=181)
    assert codes_in(join(stranger, invite_code(app, clock()), pseudonym=signed_in.pseudonym))


def test_a_deleted_accounts_name_is_held_back_as_a_hash_only(app, client, clock, signed_in):
    client.post("/account/delete", data={"password": PASSWORD, "published_stories": "delete"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account)) == 0
        (held,) = db.session.scalars(select(RetiredName))
        assert signed_in.pseudonym.lower() not in held.key_hash
    response = join(app.test_client(), invite_code(app, clock()), pseudonym=signed_in.pseudonym)
    assert "That pseudonym is taken" in response.get_data(as_text=True)


@pytest.mark.parametrize(("choice", "kept"), [("keep_anonymous", True), ("delete", False)])
def test_deleting_an_account_does_with_published_stories_what_the_member_chose(
    app, client, signed_in, choice, kept
):
    story_id = make_story(app, signed_in.id)
    client.post("/account/delete", data={"password": PASSWORD, "published_stories": choice})
    story = load_story(app, story_id)
    assert (story is not None) is kept
    if kept:
        assert (story.author_id, story.is_anonymous) == (None, True)


@pytest.mark.parametrize(
    ("role", "asked", "kept"),
    [
        (Role.MENTOR, True, True),
        (Role.ADMIN, True, True),
        (Role.MENTOR, False, False),
        (Role.ADMIN, False, False),
        (Role.MEMBER, True, False),
        (Role.STAFF, True, False),
    ],
)
def test_only_moderators_keep_the_choice_to_open_stories_at_once(in_request, role, asked, kept):
    account = person("heron-chooser", role)
    account.opens_stories_in_review = not kept  # the choice saved before, if any
    services.change_preferences(
        account, is_discreet=False, locale=None, timezone=None, opens_stories_in_review=asked
    )
    assert account.opens_stories_in_review is kept
