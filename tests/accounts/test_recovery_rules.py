"""The recovery rules at the service: which code works where, and who is told.

A member's own recovery codes stand in for a lost authenticator at sign-in and unlock a
sign-in that others' failures hold back; a staff reset code does neither (it only sets
a new password at /recover, where its issuer and approver are recorded). Every use
leaves the member a notice saying how many codes are left; a reset code's use also
tells every other admin. A code works only for its own account, a reset code until its
expiry (not at it), each try costs one check; a member who refuses staff resets gets
none. Ten codes are drawn, each with a selector of its own, from a seed of 32 random
bytes (256 bits; the session keeps it as 64 hex digits) new at every drawing. New codes
are shown again only to their account, until one is used, they are replaced or the
member says they kept them. A code spent by another request while it was checked gets
nowhere.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from advocacy.accounts import recovery, reset_log
from advocacy.accounts.errors import AccountChanged, AccountError, CodeInvalid
from advocacy.accounts.models import Account, RecoveryCode, ResetCode
from advocacy.extensions import db, passwords
from advocacy.notices.models import Notice
from advocacy.security import code_selector, normalize_code
from tests.accounts.helpers import change_meanwhile
from tests.support.accounts import (
    PASSWORD,
    give_recovery_codes,
    make_account,
    make_reset_code,
    said,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def notices(account_id: int) -> list[tuple]:
    """(kind, params, link, created_at) of each of the account's notices, oldest first."""
    rows = db.session.scalars(
        select(Notice).where(Notice.account_id == account_id).order_by(Notice.id)
    )
    return [(row.kind, row.params, row.link, row.created_at) for row in rows]


def approved_reset_code(app, account_id: int, issuer_id: int, approver_id: int) -> str:
    code, code_id = make_reset_code(app, account_id, issuer_id, now=NOW)
    with app.app_context():
        recovery.approve_reset_code(
            db.session.get(ResetCode, code_id), db.session.get(Account, approver_id), now=NOW
        )
        db.session.commit()
    return code


@pytest.fixture
def reset_code_for_mentor(app, mentor, staff, admin) -> str:
    return approved_reset_code(app, mentor.id, staff.id, admin.id)


def reset_codes_left(account_id: int) -> int:
    return len(
        db.session.scalars(select(ResetCode).where(ResetCode.account_id == account_id)).all()
    )


def test_a_staff_reset_code_does_not_pass_the_second_factor(
    app, mentor, reset_code_for_mentor, in_request
):
    account = db.session.get(Account, mentor.id)
    with pytest.raises(CodeInvalid):
        recovery.pass_second_factor_with_code(account, reset_code_for_mentor, now=NOW)
    assert reset_codes_left(mentor.id) == 1
    assert account.totp_secret == mentor.totp_secret


def test_a_staff_reset_code_does_not_unlock_a_sign_in(
    app, mentor, reset_code_for_mentor, in_request
):
    assert recovery.unlock_sign_in(mentor.pseudonym, reset_code_for_mentor, now=NOW) is False
    assert reset_codes_left(mentor.id) == 1
    assert notices(mentor.id) == []


def test_a_recovery_code_passes_the_second_factor_clears_it_and_says_what_is_left(
    app, mentor, in_request
):
    codes = give_recovery_codes(app, mentor.id)
    account = db.session.get(Account, mentor.id)

    recovered = recovery.pass_second_factor_with_code(account, codes[3], now=NOW)

    assert isinstance(recovered.spent, RecoveryCode)
    assert recovered.is_reset is False
    assert recovered.cleared_second_factor is True
    assert account.totp_secret is None
    assert notices(mentor.id) == [("recovered_with_code", {"left": "9"}, None, NOW)]


def test_a_recovery_code_unlocks_a_sign_in_and_says_what_is_left(app, member, in_request):
    codes = give_recovery_codes(app, member.id)

    assert recovery.unlock_sign_in(member.pseudonym, codes[0], now=NOW) is True

    assert notices(member.id) == [("unlocked_with_code", {"left": "9"}, None, NOW)]


def test_a_reset_codes_use_tells_the_member_and_every_other_admin(app, staff, admin, in_request):
    """An admin who is reset is told as the member, not a second time as an admin."""
    other_admin = make_account(app, "ash-admin", role="admin")
    code = approved_reset_code(app, admin.id, staff.id, other_admin.id)

    recovery.recover_account(
        pseudonym=admin.pseudonym,
        code=code,
        new_password=PASSWORD + " again",
        now=NOW,
        site_name="Pathways",
    )

    assert notices(admin.id) == [("reset_code_used", {}, "/account", NOW)]
    assert notices(other_admin.id) == [("reset_code_used_admin", {}, "/admin/audit", NOW)]
    assert notices(staff.id) == []


def test_the_reset_log_hands_each_call_to_what_the_staff_domain_registered(monkeypatch):
    monkeypatch.setattr(reset_log, "_log", [])
    # Nothing registered: a reset must never go unrecorded, and the error says who registers.
    unregistered = r"^no reset log is registered \(advocacy\.staff\.services registers it\)$"
    with pytest.raises(RuntimeError, match=unregistered):
        reset_log.record("account", "code", NOW)
    recorded = []
    reset_log.register(
        record=lambda account, code, now: recorded.append((account, code, now)),
        history=lambda account: [f"resets of {account}"],
    )

    reset_log.record("account", "code", NOW)

    assert recorded == [("account", "code", NOW)]
    assert reset_log.history("account") == ["resets of account"]


# Whose code, until when, at what cost

STAFF_RESETS_REFUSED = (
    "This member has chosen that only their own recovery codes can reset "
    "their account, so no reset code can be made for them."
)


def test_a_code_works_only_for_the_account_it_was_made_for(
    app, member, other_member, staff, admin, in_request
):
    codes = give_recovery_codes(app, member.id)
    reset_code = approved_reset_code(app, member.id, staff.id, admin.id)
    other = db.session.get(Account, other_member.id)

    assert recovery.spend_code(other, codes[0], now=NOW) is None
    assert recovery.spend_code(other, reset_code, now=NOW) is None

    assert recovery.codes_left(db.session.get(Account, member.id)) == 10
    assert reset_codes_left(member.id) == 1


def test_a_typed_code_is_checked_only_against_stored_codes_with_its_selector(
    app, member, staff, admin, in_request, monkeypatch
):
    """One argon2 check a try, whatever the account holds: the selector (the first four
    characters) finds the row, the check is on the rest."""
    codes = give_recovery_codes(app, member.id)
    approved_reset_code(app, member.id, staff.id, admin.id)
    account = db.session.get(Account, member.id)
    checks = []
    real_check = passwords.verify_code
    monkeypatch.setattr(passwords, "verify_code", lambda *a: checks.append(1) or real_check(*a))

    assert isinstance(recovery.spend_code(account, codes[3], now=NOW), RecoveryCode)
    assert recovery.spend_code(account, codes[0][:4] + "-0000-0000-0000", now=NOW) is None
    assert recovery.spend_code(account, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", now=NOW) is None

    assert checks == [1, 1, 1]


def test_a_reset_code_works_until_its_expiry_and_not_at_it(app, member, staff, admin, in_request):
    code = approved_reset_code(app, member.id, staff.id, admin.id)  # made at NOW, for 24 hours
    account = db.session.get(Account, member.id)
    expiry = NOW + timedelta(hours=24)

    assert recovery.spend_code(account, code, now=expiry) is None
    assert reset_codes_left(member.id) == 1
    assert isinstance(recovery.spend_code(account, code, now=expiry - SECOND), ResetCode)
    assert reset_codes_left(member.id) == 0


@pytest.mark.parametrize(("role", "had_second_factor"), [("member", False), ("mentor", True)])
def test_a_recovery_code_sets_a_new_password_and_says_what_is_left(
    app, in_request, role, had_second_factor
):
    account = make_account(app, f"river-{role}", role=role)
    codes = give_recovery_codes(app, account.id)

    recovered = recovery.recover_account(
        pseudonym=account.pseudonym,
        code=codes[0],
        new_password=PASSWORD + " again",
        now=NOW,
        site_name="Pathways",
    )

    assert recovered.cleared_second_factor is had_second_factor
    assert recovered.is_reset is False
    assert notices(account.id) == [("password_reset", {"left": "9"}, None, NOW)]


def test_a_member_who_refuses_staff_resets_gets_no_reset_code(app, member, staff, in_request):
    account = db.session.get(Account, member.id)
    recovery.refuse_staff_resets(account, True)

    with pytest.raises(AccountError) as refused:
        recovery.issue_reset_code(
            account,
            issued_by=db.session.get(Account, staff.id),
            approved=True,
            now=NOW,
            valid_for=timedelta(hours=24),
        )

    assert said(refused) == STAFF_RESETS_REFUSED
    assert reset_codes_left(member.id) == 0


# Drawing and showing new codes


def test_ten_codes_are_drawn_each_with_a_selector_of_its_own(in_request, monkeypatch):
    """A typed code is found by its first four characters (its selector), so a drawn code
    whose selector an earlier one has is passed over; the rest keep their order."""
    drawn = ["K7QM-2XRD-9FTB-4WZC", "K7QM-8HNP-3VTA-6YJE"]
    drawn += [f"{digit * 4}-2XRD-9FTB-4WZC" for digit in "0123456789"]
    monkeypatch.setattr(recovery, "codes_from_seed", lambda seed, purpose, groups: iter(drawn))

    codes = recovery.derive_recovery_codes(bytes(32))

    assert codes == ["K7QM-2XRD-9FTB-4WZC"] + [f"{d * 4}-2XRD-9FTB-4WZC" for d in "012345678"]
    assert len({code[:4] for code in codes}) == 10


def test_every_drawing_takes_a_new_seed_of_32_random_bytes(in_request):
    seeds = [recovery.draw_recovery_codes().seed for _ in range(2)]
    assert [len(seed) for seed in seeds] == [32, 32]
    assert seeds[0] != seeds[1]


def test_new_codes_are_shown_again_to_their_account_only_until_one_is_used(
    member, other_member, in_request
):
    account, other = db.session.get(Account, member.id), db.session.get(Account, other_member.id)
    seed = recovery.issue_recovery_codes(account)
    codes = recovery.derive_recovery_codes(seed)
    recovery.issue_recovery_codes(other)  # the other member's codes wait to be shown too

    assert recovery.codes_to_show(account, seed) == codes
    assert recovery.codes_to_show(other, seed) is None
    recovery.spend_code(account, codes[9], now=NOW)
    assert recovery.codes_to_show(account, seed) is None


def test_new_codes_are_not_shown_again_once_replaced_or_kept(member, in_request):
    account = db.session.get(Account, member.id)
    replaced = recovery.issue_recovery_codes(account)
    seed = recovery.issue_recovery_codes(account)

    assert recovery.codes_to_show(account, replaced) is None
    assert recovery.codes_to_show(account, seed) == recovery.derive_recovery_codes(seed)
    recovery.keep_codes(account)
    assert recovery.codes_to_show(account, seed) is None


# Rights read again after the slow work (the hashing runs outside any transaction)


def test_a_reset_code_is_not_made_for_an_account_promoted_while_it_was_hashed(
    app, member, staff, in_request, monkeypatch
):
    """The four-eyes rule for admins' resets was checked for a member: a promotion
    meanwhile must stop the code, not leave an approved code on an admin."""
    promote = update(Account).where(Account.id == member.id).values(role="admin")
    change_meanwhile(monkeypatch, "hash_code", lambda other: other.execute(promote))

    with pytest.raises(AccountChanged):
        recovery.issue_reset_code(
            db.session.get(Account, member.id),
            issued_by=db.session.get(Account, staff.id),
            approved=True,
            now=NOW,
            valid_for=timedelta(hours=24),
        )
    db.session.rollback()
    assert reset_codes_left(member.id) == 0


def test_the_lost_phone_step_gets_nowhere_for_an_account_paused_while_the_code_was_checked(
    app, mentor, in_request, monkeypatch
):
    codes = give_recovery_codes(app, mentor.id)
    pause = update(Account).where(Account.id == mentor.id).values(paused_at=NOW)
    change_meanwhile(monkeypatch, "verify_code", lambda other: other.execute(pause))

    with pytest.raises(CodeInvalid):
        recovery.pass_second_factor_with_code(db.session.get(Account, mentor.id), codes[0], now=NOW)
    db.session.rollback()
    assert db.session.get(Account, mentor.id).totp_secret == mentor.totp_secret
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.account_id == mentor.id)
        )
        == 10
    )


def spent_meanwhile(monkeypatch, account_id: int, code: str) -> None:
    """While the code is checked, another request spends it (deletes its row)."""
    spend = delete(RecoveryCode).where(
        RecoveryCode.account_id == account_id,
        RecoveryCode.selector == code_selector(normalize_code(code)),
    )
    change_meanwhile(monkeypatch, "verify_code", lambda other: other.execute(spend))


def test_a_code_spent_by_another_request_while_it_was_checked_unlocks_nothing(
    app, member, in_request, monkeypatch
):
    codes = give_recovery_codes(app, member.id)
    spent_meanwhile(monkeypatch, member.id, codes[0])

    assert recovery.unlock_sign_in(member.pseudonym, codes[0], now=NOW) is False
    assert notices(member.id) == []
    assert recovery.codes_left(db.session.get(Account, member.id)) == 9


# The two steps that refuse a code: the lost-phone step, and /recover's new password.
REFUSING_STEPS = {
    "lost phone": lambda made, code: recovery.pass_second_factor_with_code(
        db.session.get(Account, made.id), code, now=NOW
    ),
    "new password": lambda made, code: recovery.recover_account(
        pseudonym=made.pseudonym,
        code=code,
        new_password=PASSWORD + " again",
        now=NOW,
        site_name="Pathways",
    ),
}


@pytest.mark.parametrize("step", REFUSING_STEPS)
def test_a_code_spent_by_another_request_while_it_was_checked_is_refused_calmly(
    app, mentor, in_request, monkeypatch, step
):
    codes = give_recovery_codes(app, mentor.id)
    spent_meanwhile(monkeypatch, mentor.id, codes[0])

    with pytest.raises(CodeInvalid):
        REFUSING_STEPS[step](mentor, codes[0])
    db.session.rollback()
    account = db.session.get(Account, mentor.id)
    assert account.totp_secret == mentor.totp_secret
    assert passwords.verify(account.password_hash, PASSWORD)
    assert notices(mentor.id) == []
