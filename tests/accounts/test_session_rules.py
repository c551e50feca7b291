"""Signing in and confirming at the service: the code step's deadline, the password check.

Written from the rules: after a right password the code step lasts 5 minutes and is
over at its deadline (as every deadline is); a password typed to sign in or re-entered
in the settings is checked up to 128 characters (NIST SP 800-63B rev 4's maximum
here), and a wrong one is refused word for word.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

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
