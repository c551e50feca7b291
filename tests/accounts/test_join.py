"""Joining: invite codes, pseudonym and password rules, recovery codes shown once."""

import re
import unicodedata

import pytest
from sqlalchemy import func, select

from advocacy.accounts.models import Account, Invite, RecoveryCode
from advocacy.extensions import db
from tests.accounts.helpers import codes_in, invite_code, join
from tests.support.accounts import PASSWORD, make_account


def account_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Account))


def test_join_shows_ten_codes_once_and_stores_only_hashes(app, client, clock):
    response = join(client, invite_code(app, clock()))
    assert response.status_code == 200
    codes = codes_in(response)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10
        assert all(h.startswith("$argon2id$") for h in stored)
        for code in codes:
            assert not any(code.replace("-", "") in h for h in stored)
    assert codes_in(client.get("/account")) == []


def stored_code_hashes(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(RecoveryCode.code_hash)))


def test_join_redirects_to_the_codes_and_reload_shows_the_same_ones(app, client, clock):
    response = client.post(
        "/join",
        data={
            "invite_code": invite_code(app, clock()),
            "pseudonym": "Quiet Fern",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    # Redirect after POST: Back and Reload never send the join form again.
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/recovery-codes"
    hashes = stored_code_hashes(app)
    first = codes_in(client.get("/account/recovery-codes"))
    reloaded = codes_in(client.get("/account/recovery-codes"))
    assert len(first) == 10
    assert reloaded == first
    assert stored_code_hashes(app) == hashes  # nothing was made anew
    assert account_count(app) == 1


def test_continue_without_the_tick_keeps_the_same_codes_and_says_so(app, client, clock):
    first = codes_in(join(client, invite_code(app, clock())))
    hashes = stored_code_hashes(app)
    response = client.post("/account/recovery-codes/confirm", data={})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/recovery-codes"
    page = client.get("/account/recovery-codes")
    assert codes_in(page) == first
    assert "these are still your codes" in page.get_data(as_text=True)
    assert stored_code_hashes(app) == hashes
    response = client.post("/account/recovery-codes/confirm", data={"kept": "y"})
    assert response.status_code == 303
    # Once kept, they are never shown again: the page sends the member to their account.
    again = client.get("/account/recovery-codes")
    assert again.headers["Location"] == "/account"
    assert codes_in(client.get("/account", follow_redirects=True)) == []


def test_codes_shown_after_joining_are_the_ones_that_work(app, client, clock):
    first = codes_in(join(client, invite_code(app, clock())))
    client.post("/account/recovery-codes/confirm", data={})  # unticked: the same codes stay
    client.post("/account/recovery-codes/confirm", data={"kept": "y"})
    client.post("/logout")
    response = client.post(
        "/recover",
        data={
            "pseudonym": "Quiet Fern",
            "code": first[0],
            "password": "a brand new passphrase here",
            "password_confirm": "a brand new passphrase here",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 9


def test_stale_codes_are_never_shown(app, client, clock):
    """New codes made on another device replace these: the old page shows nothing."""
    join(client, invite_code(app, clock()))
    with app.app_context():
        from advocacy.accounts import recovery

        recovery.issue_recovery_codes(db.session.scalars(select(Account)).one())
        db.session.commit()
    response = client.get("/account/recovery-codes")
    assert response.status_code == 302
    assert codes_in(client.get("/account")) == []


def test_join_needs_a_valid_invite(app, client, clock):
    for code in ("", "AAAA-BBBB-CCCC", "not a code"):
        response = join(client, code)
        assert response.status_code == 200
        assert "invite code can" in response.get_data(as_text=True)
    assert account_count(app) == 0


def test_used_up_and_expired_invites_get_the_same_calm_message(app, client, clock):
    single = invite_code(app, clock())
    assert join(client, single, pseudonym="First One").status_code == 200
    client.post("/logout")
    used = join(client, single, pseudonym="Second One").get_data(as_text=True)
    expired_code = invite_code(app, clock(), days=1)
    clock.advance(days=2)
    expired = join(client, expired_code, pseudonym="Third One").get_data(as_text=True)
    message = "That invite code can"
    assert message in used
    assert message in expired
    assert account_count(app) == 1


def test_invite_with_several_uses_counts_down(app, client, clock):
    code = invite_code(app, clock(), uses=2)
    for name in ("Alpha Fern", "Beta Fern"):
        assert codes_in(join(client, code, pseudonym=name))
        client.post("/logout")
    assert "invite code can" in join(client, code, pseudonym="Gamma Fern").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Invite.uses_left)) == 0


def test_invite_role_is_given_to_the_new_account(app, client, clock):
    join(client, invite_code(app, clock(), role="mentor"), pseudonym="New Mentor")
    with app.app_context():
        assert db.session.scalar(select(Account.role)) == "mentor"


@pytest.mark.parametrize("app_overrides", [{"OPEN_JOINING": True}])
def test_open_joining_is_a_setting(app, client, clock):
    assert codes_in(join(client, "", pseudonym="Open Fern"))


def test_failed_join_keeps_input_and_writes_nothing(app, client, clock):
    code = invite_code(app, clock())
    response = join(client, code, pseudonym="Kept Name", password="short")
    body = response.get_data(as_text=True)
    assert "at least 15 characters" in body
    assert 'value="Kept Name"' in body
    assert f'value="{code}"' in body
    assert "short" not in body.split("<main")[1].split("</main>")[0].replace("shortly", "")
    assert account_count(app) == 0
    with app.app_context():
        assert db.session.scalar(select(Invite.uses_left)) == 1


def test_mismatched_confirmation_is_refused(app, client, clock):
    response = join(client, invite_code(app, clock()), confirm=PASSWORD + "x")
    assert "don&#39;t match" in response.get_data(as_text=True)
    assert account_count(app) == 0


@pytest.mark.parametrize(
    ("pseudonym", "message"),
    [
        ("ab", "3 to 30"),
        ("x" * 31, "3 to 30"),
        ("me@example.org", "email address"),
        ("river.com", "email address"),
        ("555 123 4567", "phone number"),
        ("Anonymous", "reserved"),
        ("<script>", "Use letters"),
    ],
)
def test_pseudonym_rules(app, client, clock, pseudonym, message):
    body = join(client, invite_code(app, clock()), pseudonym=pseudonym).get_data(as_text=True)
    assert message in body
    assert account_count(app) == 0


def test_pseudonyms_are_unique_ignoring_case(app, client, clock):
    make_account(app, "Quiet Fern")
    body = join(client, invite_code(app, clock()), pseudonym="QUIET fern").get_data(as_text=True)
    assert "That pseudonym is taken" in body
    assert account_count(app) == 1


COMPOSED = unicodedata.normalize("NFC", "é")
DECOMPOSED = unicodedata.normalize("NFD", "é")


@pytest.mark.parametrize("accent", [COMPOSED, DECOMPOSED], ids=["composed", "decomposed"])
@pytest.mark.parametrize(("length", "accepted"), [(14, False), (15, True)])
def test_password_minimum_length_counts_characters(app, client, clock, accent, length, accepted):
    password = "lantern bay " + accent * (length - 12)
    assert len(unicodedata.normalize("NFKC", password)) == length
    response = join(client, invite_code(app, clock()), password=password)
    assert bool(codes_in(response)) is accepted


def test_long_passwords_and_spaces_are_fine(app, client, clock):
    assert codes_in(
        join(client, invite_code(app, clock()), password="correct horse battery staple")
    )
    client.post("/logout")
    assert codes_in(
        join(
            client,
            invite_code(app, clock()),
            pseudonym="Long One",
            password="w" + "ordy lantern " * 4 + "abcdefghijklm",
        )
    )


def test_password_over_128_is_refused_without_hashing(app, client, clock, monkeypatch):
    from advocacy.extensions import passwords

    calls = []
    monkeypatch.setattr(passwords, "hash", lambda pw: calls.append(pw) or "x")
    body = join(client, invite_code(app, clock()), password="a b c d " * 16 + "z").get_data(
        as_text=True
    )
    assert "at most 128" in body
    assert calls == []


@pytest.mark.parametrize(
    "password",
    [
        "password1234567",
        "aaaaaaaaaaaaaaa",
        "PathwaysPathways",
        "Quiet FernQuiet Fern!",
        "abcabcabcabcabcabc",
        "qwertyuiop123456",
    ],
)
def test_common_or_predictable_passwords_are_refused(app, client, clock, password):
    body = join(client, invite_code(app, clock()), password=password).get_data(as_text=True)
    assert "too easy to guess" in body
    assert account_count(app) == 0


def test_suggestions_fill_the_form_and_keep_other_input(app, client, clock):
    code = invite_code(app, clock())
    response = client.post(
        "/join", data={"invite_code": code, "pseudonym": "", "action": "suggest_pseudonym"}
    )
    body = response.get_data(as_text=True)
    assert f'value="{code}"' in body
    suggested = re.search(r'<input[^>]*id="pseudonym"[^>]*value="([^"]+)"', body)
    assert suggested is not None
    assert re.fullmatch(r"[A-Z][a-z]+[A-Z][a-z]+\d\d", suggested.group(1))
    response = client.post(
        "/join",
        data={"invite_code": code, "pseudonym": "Kept Name", "action": "suggest_passphrase"},
    )
    body = response.get_data(as_text=True)
    assert 'value="Kept Name"' in body
    assert "Suggested passphrase" in body
    assert account_count(app) == 0


def test_a_cookie_copied_before_the_tick_never_shows_the_codes_after_it(app, client, clock):
    """The codes page must not outlive "I kept them", even for a copy of the old cookie."""
    codes = codes_in(join(client, invite_code(app, clock())))
    assert len(codes) == 10
    copied = client.get_cookie("advocacy_session").value
    client.post("/account/recovery-codes/confirm", data={"kept": "y"})
    replay = app.test_client()
    replay.set_cookie("advocacy_session", copied)
    response = replay.get("/account/recovery-codes")
    assert response.status_code == 302
    assert codes_in(replay.get("/account/recovery-codes", follow_redirects=True)) == []


def test_a_short_password_is_told_once_to_be_longer(app, client, clock):
    body = join(client, invite_code(app, clock()), password="kettle").get_data(as_text=True)
    assert "at least 15 characters" in body
    assert "too easy to guess" not in body  # the one thing to fix is the length
