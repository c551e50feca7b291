"""Signing in and confirming at the service: the code step, the password check, the CSRF token.

Written from the rules: after a right password the code step lasts 5 minutes and is
over at its deadline (as every deadline is); it keeps the account's id and the SHA-256
of its session token, never the token (ASVS 5.0 7.2.4), and ends when the account is
paused, deleted or its token replaced. A password typed to sign in or re-entered in the
settings is checked up to 128 characters (NIST SP 800-63B rev 4's maximum here), and a
wrong one is refused word for word. A new session forgets the CSRF token made for the
old one, whatever the token's field is called (WTF_CSRF_FIELD_NAME).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from flask import session
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from advocacy.accounts import services, sessions
from advocacy.accounts.errors import AccountError
from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.support.accounts import make_account, said

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
WRONG_PASSWORD = "That isn't your current password. Please try again."
# 128 characters: words apart by single spaces, the last one cut short.
LONGEST = ("quiet river lantern morning " * 5)[:128]


def test_the_code_step_lasts_5_minutes_and_is_over_at_its_deadline(in_request, staff):
    sessions.begin_second_factor(db.session.get(Account, staff.id), NOW)
    deadline = NOW + timedelta(minutes=5)

    assert sessions.pending_second_factor_account(NOW).id == staff.id
    assert sessions.pending_second_factor_account(deadline - SECOND).id == staff.id
    assert sessions.pending_second_factor_account(deadline) is None


def test_without_a_password_step_no_account_awaits_a_code(in_request):
    assert sessions.pending_second_factor_account(NOW) is None


def test_a_right_password_of_128_characters_is_accepted(app, in_request):
    assert len(LONGEST) == 128
    made = make_account(app, "river-member", password=LONGEST)

    services.require_password(db.session.get(Account, made.id), LONGEST)


def test_a_sign_in_with_a_right_password_of_128_characters_is_let_in(app, in_request):
    made = make_account(app, "river-member", password=LONGEST)

    assert services.authenticate(made.pseudonym, LONGEST).id == made.id


def test_a_wrong_password_is_refused_word_for_word(in_request, member):
    with pytest.raises(AccountError) as refused:
        services.require_password(db.session.get(Account, member.id), "not the password at all")
    assert said(refused) == WRONG_PASSWORD


def test_the_code_step_keeps_the_account_and_a_hash_of_its_token_and_the_way_back(
    in_request, staff
):
    """Only the return address survives from the visitor's session; the token's SHA-256
    (hex), never the token (ASVS 5.0 7.2.4)."""
    session["next"] = "/staff"
    session["csrf_token"] = "of the visitor's session"
    account = db.session.get(Account, staff.id)
    sessions.begin_second_factor(account, NOW)
    assert dict(session) == {
        "next": "/staff",
        "pending_account": staff.id,
        "pending_check": hashlib.sha256(account.session_token.encode()).hexdigest(),
        "pending_until": (NOW + timedelta(minutes=5)).timestamp(),
    }


@pytest.mark.parametrize("change", ["paused", "token replaced", "deleted"])
def test_the_code_step_ends_when_its_account_changes(in_request, staff, change):
    account = db.session.get(Account, staff.id)
    sessions.begin_second_factor(account, NOW)
    if change == "paused":
        account.paused_at = NOW
    elif change == "token replaced":
        account.rotate_session_token()
    else:
        db.session.delete(account)
    db.session.flush()
    assert sessions.pending_second_factor_account(NOW + SECOND) is None


@pytest.mark.parametrize("kept", ["the token", "the account id only"])
def test_a_code_step_begun_before_the_hash_was_kept_is_over(in_request, staff, kept):
    """Earlier releases kept the session token itself, or only the account id; a step
    begun with either before an upgrade, still in time, gets no one in."""
    account = db.session.get(Account, staff.id)
    if kept == "the token":
        session["pending_token"] = account.session_token
    else:
        session["pending_account"] = account.id
    session["pending_until"] = (NOW + timedelta(minutes=5)).timestamp()
    assert sessions.pending_second_factor_account(NOW) is None


@pytest.mark.parametrize(
    "app_overrides", [{}, {"WTF_CSRF_FIELD_NAME": "form_key"}], ids=["csrf_token", "renamed"]
)
def test_a_page_shown_after_signing_in_carries_a_token_of_the_new_session(app, member):
    """A form rendered in the request that signed in (the recovery codes after joining)
    must validate later; a token of the visitor's session never can again."""
    with app.test_request_context("/login", method="POST"):
        before = generate_csrf()
        sessions.start_session(db.session.get(Account, member.id), NOW)
        after = generate_csrf()
        assert after != before
        validate_csrf(after)
        with pytest.raises(ValidationError):
            validate_csrf(before)
