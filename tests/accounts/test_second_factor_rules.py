"""The second factor at the service: RFC 6238 codes, one step of drift, each step once.

RFC 6238 §4: 30-second steps, 6 digits. §5.2: allow at most one step of clock drift
either way, and never accept a code (or an older one) again. Only ASCII digits count
in what the member types; spaces and dashes from copying are dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from advocacy.accounts.errors import CodeInvalid
from advocacy.accounts.models import Account
from advocacy.accounts.recovery import regain_account
from advocacy.accounts.second_factor import (
    begin_two_factor_setup,
    confirm_two_factor_setup,
    verify_second_factor,
)
from advocacy.extensions import db

NOW = datetime(2026, 11, 27, 12, 0, 10, tzinfo=UTC)
STEP = timedelta(seconds=30)


def code_at(secret: str, at: datetime) -> str:
    """The code an authenticator app shows at `at` (pyotp: RFC 6238, 30 s, 6 digits)."""
    return pyotp.TOTP(secret).at(at)


@pytest.fixture
def account(in_request, staff) -> Account:
    return db.session.get(Account, staff.id)


@pytest.mark.parametrize("steps", [-1, 0, 1])
def test_a_code_of_this_step_or_one_step_either_side_is_accepted(account, steps):
    verify_second_factor(account, code_at(account.totp_secret, NOW + steps * STEP), now=NOW)
    expected_step = int((NOW + steps * STEP).timestamp()) // 30
    assert db.session.scalar(db.select(Account.totp_last_step)) == expected_step
    assert account.totp_last_step == expected_step


@pytest.mark.parametrize("steps", [-2, 2])
def test_a_code_two_steps_away_is_refused(account, steps):
    with pytest.raises(CodeInvalid):
        verify_second_factor(account, code_at(account.totp_secret, NOW + steps * STEP), now=NOW)
    assert account.totp_last_step is None


def test_the_code_that_turned_the_second_factor_on_is_spent(in_request, member):
    """The setup code proves the app shows the right code; replayed at sign-in it is a
    code already used (§5.2), and so is the one before it. The next step's code works."""
    account = db.session.get(Account, member.id)
    secret = begin_two_factor_setup(account)
    confirm_two_factor_setup(account, code_at(secret, NOW), now=NOW)

    for used in (NOW, NOW - STEP):
        with pytest.raises(CodeInvalid):
            verify_second_factor(account, code_at(secret, used), now=NOW)
    verify_second_factor(account, code_at(secret, NOW + STEP), now=NOW + STEP)


@pytest.mark.parametrize("typed", ["{0} {1}", "{0}-{1}", " {0}{1} ", "X{0}X{1}X"])
def test_anything_but_digits_in_a_typed_code_is_ignored(account, typed):
    code = code_at(account.totp_secret, NOW)
    verify_second_factor(account, typed.format(code[:3], code[3:]), now=NOW)
    assert account.totp_last_step is not None


def test_without_a_second_factor_no_code_passes(in_request, member):
    account = db.session.get(Account, member.id)
    with pytest.raises(CodeInvalid):
        verify_second_factor(account, "123456", now=NOW)


def test_getting_back_in_with_a_code_forgets_the_second_factor_entirely(account):
    verify_second_factor(account, code_at(account.totp_secret, NOW), now=NOW)
    account.totp_pending_secret = pyotp.random_base32()

    assert regain_account(account) is True

    stored = db.session.execute(
        db.select(Account.totp_secret, Account.totp_pending_secret, Account.totp_last_step)
    ).one()
    assert tuple(stored) == (None, None, None)
    assert regain_account(account) is False  # nothing left to clear
