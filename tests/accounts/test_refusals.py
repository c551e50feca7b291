"""Refusals of invites, the second factor and reset codes, called at the service level.

Each refusal is checked word for word and leaves every row as it was; each bound is
tried on both sides. The bounds are written here from the rules: invites of 1 to 500
uses lasting 1 hour to 90 days; only members may turn their second factor off; a
reset code is approved once, by someone other than its issuer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from advocacy.accounts import invites, recovery, second_factor
from advocacy.accounts.errors import AccountError, NotAllowed
from advocacy.accounts.models import Invite, ResetCode, Role
from advocacy.extensions import db, passwords
from advocacy.notices.models import Notice
from tests.support.accounts import PASSWORD, said
from tests.support.event_rules import notices_of, person

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
USES_REFUSED = "Choose between 1 and 500 uses."
EXPIRY_REFUSED = "Choose an expiry between 1 hour and 90 days."


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def invite(*, uses: int = 1, expires_in: timedelta = timedelta(days=7)) -> str:
    return invites.create_invite(
        role=Role.MEMBER, uses=uses, expires_in=expires_in, now=NOW, inviter=None
    )


# Invites


@pytest.mark.parametrize("uses", [1, 500])
def test_an_invite_takes_1_to_500_uses(in_request, uses):
    invite(uses=uses)
    stored = db.session.scalar(select(Invite))
    assert stored.uses_left == uses


@pytest.mark.parametrize("uses", [0, 501, -1])
def test_an_invite_outside_1_to_500_uses_is_refused(in_request, uses):
    with pytest.raises(AccountError) as refused:
        invite(uses=uses)
    assert said(refused) == USES_REFUSED
    assert count(Invite) == 0


@pytest.mark.parametrize("expires_in", [timedelta(hours=1), timedelta(days=90)])
def test_an_invite_lasts_1_hour_to_90_days_from_now(in_request, expires_in):
    invite(expires_in=expires_in)
    db.session.expire_all()
    assert db.session.scalar(select(Invite.expires_at)) == NOW + expires_in


@pytest.mark.parametrize(
    "expires_in", [timedelta(hours=1) - SECOND, timedelta(days=90) + SECOND, timedelta(0)]
)
def test_an_invite_shorter_than_1_hour_or_longer_than_90_days_is_refused(in_request, expires_in):
    with pytest.raises(AccountError) as refused:
        invite(expires_in=expires_in)
    assert said(refused) == EXPIRY_REFUSED
    assert count(Invite) == 0


def test_uses_are_checked_before_the_expiry(in_request):
    with pytest.raises(AccountError) as refused:
        invite(uses=0, expires_in=timedelta(0))
    assert said(refused) == USES_REFUSED


def test_an_invite_works_until_the_moment_it_expires(in_request):
    code = invite(uses=1, expires_in=timedelta(hours=1))
    ends = NOW + timedelta(hours=1)
    assert invites.usable_invite(code, now=ends) is None
    usable = invites.usable_invite(code, now=ends - SECOND)
    assert usable is not None
    assert invites.redeem_invite(usable, now=ends - SECOND) == Role.MEMBER
    assert invites.usable_invite(code, now=NOW) is None  # its one use is spent


def test_an_expired_invite_cannot_be_redeemed(in_request):
    code = invite(uses=2, expires_in=timedelta(hours=1))
    usable = invites.usable_invite(code, now=NOW)
    with pytest.raises(AccountError):
        invites.redeem_invite(usable, now=NOW + timedelta(hours=1))
    db.session.expire_all()
    assert db.session.scalar(select(Invite.uses_left)) == 2


# The second factor


def with_second_factor(pseudonym: str, role: str):
    account = person(pseudonym, role)
    account.password_hash = passwords.hash(PASSWORD)
    account.totp_secret = "JBSWY3DPEHPK3PXP"
    db.session.flush()
    return account


@pytest.mark.parametrize("role", [Role.MENTOR, Role.STAFF, Role.ADMIN])
def test_a_role_that_needs_a_second_factor_cannot_turn_it_off(in_request, role):
    account = with_second_factor("heron-keeper", role)
    with pytest.raises(NotAllowed) as refused:
        second_factor.turn_off_two_factor(account, PASSWORD, now=NOW)
    assert said(refused) == "Your role needs a second factor, so it can't be turned off."
    db.session.expire_all()
    assert account.totp_secret == "JBSWY3DPEHPK3PXP"
    assert count(Notice) == 0


def test_a_member_turns_the_second_factor_off_and_is_told_when(in_request):
    account = with_second_factor("heron-member", Role.MEMBER)
    second_factor.turn_off_two_factor(account, PASSWORD, now=NOW)
    db.session.expire_all()
    assert account.totp_secret is None
    (notice,) = notices_of(account)
    assert (notice.kind, notice.created_at) == ("second_factor_off", NOW)


# Reset codes


def reset_code(account, issuer, *, approved: bool) -> ResetCode:
    recovery.issue_reset_code(
        account, issued_by=issuer, approved=approved, now=NOW, valid_for=timedelta(hours=24)
    )
    return db.session.scalar(select(ResetCode).where(ResetCode.account_id == account.id))


def test_a_reset_code_is_stamped_with_now(in_request):
    member, staff = person("cedar-member"), person("maple-staff", Role.STAFF)
    code = reset_code(member, staff, approved=True)
    db.session.expire_all()
    assert (code.created_at, code.expires_at) == (NOW, NOW + timedelta(hours=24))
    assert (code.approved_at, code.approved_by_id) == (NOW, staff.id)


def test_an_unapproved_reset_code_waits_for_a_second_person(in_request):
    member, staff = person("cedar-member"), person("maple-staff", Role.STAFF)
    code = reset_code(member, staff, approved=False)
    db.session.expire_all()
    assert (code.approved_at, code.approved_by_id) == (None, None)
    approver = person("wren-admin", Role.ADMIN)
    later = NOW + timedelta(minutes=5)
    recovery.approve_reset_code(code, approver, now=later)
    db.session.expire_all()
    assert (code.approved_at, code.approved_by_id) == (later, approver.id)


def test_an_approved_reset_code_cannot_be_approved_again(in_request):
    member, staff = person("cedar-member"), person("maple-staff", Role.STAFF)
    code = reset_code(member, staff, approved=True)
    with pytest.raises(AccountError) as refused:
        recovery.approve_reset_code(code, person("wren-admin", Role.ADMIN), now=NOW + SECOND)
    assert said(refused) == "That code is already approved."
    db.session.expire_all()
    assert (code.approved_at, code.approved_by_id) == (NOW, staff.id)


def test_the_issuer_cannot_approve_their_own_reset_code(in_request):
    member, staff = person("cedar-member"), person("maple-staff", Role.STAFF)
    code = reset_code(member, staff, approved=False)
    with pytest.raises(AccountError) as refused:
        recovery.approve_reset_code(code, staff, now=NOW + SECOND)
    assert said(refused) == "You made this code, so someone else needs to approve it."
    db.session.expire_all()
    assert (code.approved_at, code.approved_by_id) == (None, None)
