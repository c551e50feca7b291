"""Getting back in without email: recovery codes and in-person reset codes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm.exc import ObjectDeletedError

from advocacy.accounts import reset_log
from advocacy.accounts.errors import AccountError, AccountPaused, CodeInvalid
from advocacy.accounts.models import Account, RecoveryCode, ResetCode, Role
from advocacy.accounts.policy import validated_password
from advocacy.accounts.second_factor import clear_second_factor
from advocacy.accounts.services import (
    find_account,
    hash_password,
    outside_transaction,
    standing_of,
)
from advocacy.database import commit_before_slow_work
from advocacy.extensions import db, passwords
from advocacy.notices.services import notify
from advocacy.security import code_selector, codes_from_seed, new_code, normalize_code

RECOVERY_CODE_COUNT = 10
# 4 groups are 80 random bits: look-up secrets of 64 bits or more need no rate limit
# (NIST SP 800-63B 5.1.2.2), so a right code works even when sign-in is throttled.
# Older 3-group codes still verify: a code is hashed after normalize_code, whatever its length.
CODE_GROUPS = 4


@dataclass(frozen=True)
class DrawnCodes:
    """Ten new recovery codes: the seed they come from, and (selector, argon2 hash) each."""

    seed: bytes
    hashed: list[tuple[str, str]]


def draw_recovery_codes() -> DrawnCodes:
    """Draw ten codes and hash them: ten argon2id hashes, so before the request writes
    (the transaction so far ends first: commit_before_slow_work)."""
    seed = secrets.token_bytes(32)
    normalized = [normalize_code(code) for code in derive_recovery_codes(seed)]
    commit_before_slow_work()
    return DrawnCodes(
        seed, [(code_selector(code), passwords.hash_code(code)) for code in normalized]
    )


def issue_recovery_codes(account: Account, drawn: DrawnCodes | None = None) -> bytes:
    """Replace the account's recovery codes with ten new ones; return the seed they come from.

    Only their argon2 hashes are stored (ASVS 6.5.2); `codes_to_show` derives the codes
    again from the seed, kept in the member's session while they copy them down. Pass
    codes drawn earlier when the request has already written (joining).
    """
    drawn = drawn or draw_recovery_codes()
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    account.recovery_codes_kept = False
    db.session.add_all(
        RecoveryCode(account_id=account.id, selector=selector, code_hash=code_hash)
        for selector, code_hash in drawn.hashed
    )
    db.session.flush()
    return drawn.seed


def derive_recovery_codes(seed: bytes) -> list[str]:
    """Return the ten codes a seed gives, each with its own selector: a code whose
    selector an earlier one has is passed over (codes_from_seed never runs out)."""
    by_selector: dict[str, str] = {}
    for code in codes_from_seed(seed, "recovery", CODE_GROUPS):
        by_selector.setdefault(code_selector(normalize_code(code)), code)
        if len(by_selector) == RECOVERY_CODE_COUNT:
            break
    return list(by_selector.values())


def codes_to_show(account: Account, seed: bytes) -> list[str] | None:
    """Return the codes a seed gave, while every one of them is still the account's, unused.

    Once the member says they kept them, never again (not even to a copied cookie);
    new codes made since (on another device) replace them, and a code used meanwhile
    shows they were kept: never stale codes.
    """
    if account.recovery_codes_kept:
        return None
    codes = derive_recovery_codes(seed)
    unused = db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(
            RecoveryCode.account_id == account.id,
            RecoveryCode.selector.in_([code_selector(normalize_code(code)) for code in codes]),
        )
    )
    return codes if unused == len(codes) else None


def keep_codes(account: Account) -> None:
    """Note that the member kept the codes shown: they are never shown again."""
    account.recovery_codes_kept = True
    db.session.flush()


def codes_left(account: Account) -> int:
    """Count the account's unused recovery codes."""
    return db.session.scalar(
        select(func.count()).select_from(RecoveryCode).where(RecoveryCode.account_id == account.id)
    )


def spend_code(
    account: Account | None, code: str, *, now: datetime, reset_codes: bool = True
) -> RecoveryCode | ResetCode | None:
    """Spend a recovery code or an approved reset code of the account; return it, or None."""
    found = matching_code(account, code, now=now, reset_codes=reset_codes)
    return found if found is not None and claim(found) else None


def claim(found: RecoveryCode | ResetCode) -> bool:
    """Spend a matched code: delete its row; False if another request spent it first."""
    model = type(found)
    try:
        found_id = found.id  # reloaded after the check (outside any transaction), to read on
    except ObjectDeletedError:  # spent by another request while it was checked
        return False
    return db.session.execute(delete(model).where(model.id == found_id)).rowcount == 1


def matching_code(
    account: Account | None, code: str, *, now: datetime, reset_codes: bool = True
) -> RecoveryCode | ResetCode | None:
    """Return the account's recovery code or approved reset code that `code` is (not spent).

    A reset code waiting for its second person's approval is not a candidate, so it gets
    the same answer as a wrong code: nobody learns that it exists. With reset_codes off,
    only the member's own recovery codes count (the second-factor step).
    """
    normalized = normalize_code(code)
    selector = code_selector(normalized)
    candidates: list[RecoveryCode | ResetCode] = []
    if account is not None:
        candidates += db.session.scalars(
            select(RecoveryCode).where(
                RecoveryCode.account_id == account.id, RecoveryCode.selector == selector
            )
        )
    if account is not None and reset_codes:
        candidates += db.session.scalars(
            select(ResetCode).where(
                ResetCode.account_id == account.id,
                ResetCode.selector == selector,
                ResetCode.expires_at > now,
                ResetCode.approved_at.is_not(None),
            )
        )
    stored = [(candidate, candidate.code_hash) for candidate in candidates] or [(None, None)]
    commit_before_slow_work()  # argon2id with no write lock held; the caller re-reads
    # No candidate still costs one check, so an unknown code takes as long as a wrong one.
    return next((row for row, hashed in stored if passwords.verify_code(hashed, normalized)), None)


@dataclass(frozen=True)
class Recovered:
    """An account someone got back into, and the code that did it (for the audit log)."""

    account: Account
    spent: RecoveryCode | ResetCode
    cleared_second_factor: bool

    @property
    def is_reset(self) -> bool:
        """Return whether a staff reset code (not the member's own recovery code) was used."""
        return isinstance(self.spent, ResetCode)


def regain_account(account: Account) -> bool:
    """After a one-time code: end every session and clear the second factor (if any).

    Whoever lost their phone gets in; a privileged role is then held at setup until
    a new second factor is on (sessions.enforce_session_limits). Return whether a
    second factor was cleared.
    """
    had_second_factor = account.has_two_factor
    account.rotate_session_token()
    clear_second_factor(account)
    db.session.flush()
    return had_second_factor


def pass_second_factor_with_code(account: Account, code: str, *, now: datetime) -> Recovered:
    """Let a recovery code stand in for a lost authenticator at sign-in (raise CodeInvalid)."""
    spent = matching_code(account, code, now=now, reset_codes=False)
    # Read again after the check (outside any transaction): paused, deleted, or the code
    # spent by another request meanwhile, and it gets nowhere.
    if spent is None or standing_of(account) is None or account.paused_at is not None:
        raise CodeInvalid()
    if not claim(spent):
        raise CodeInvalid()
    cleared = regain_account(account)
    notify(account.id, "recovered_with_code", now=now, left=str(codes_left(account)))
    return Recovered(account, spent, cleared)


def unlock_sign_in(pseudonym: str, code: str, *, now: datetime) -> bool:
    """Spend one of the account's recovery codes to let a sign-in past the limits.

    For the owner whom someone else's failures (on a shared address) keep out: the
    password is still checked, and nothing else changes. An unknown pseudonym costs
    the same and fails the same. If the password then turns out wrong, the caller
    rolls back and the code stays unspent.
    """
    account = find_account(pseudonym)
    if spend_code(account, code, now=now, reset_codes=False) is None or account is None:
        return False
    notify(account.id, "unlocked_with_code", now=now, left=str(codes_left(account)))
    return True


def recover_account(
    *, pseudonym: str, code: str, new_password: str, now: datetime, site_name: str
) -> Recovered:
    """Set a new password with a one-time code: spent, every session ends, second factor cleared."""
    account = find_account(pseudonym)
    # Checked against the name as typed (it has the same key as the account's, if any), so
    # the answer never differs between a real and an unknown pseudonym (ASVS 6.3.8).
    normalized = validated_password(new_password, pseudonym=pseudonym, site_name=site_name)
    spent = matching_code(account, code, now=now)
    if spent is None or account is None:
        raise CodeInvalid()
    password_hash = hash_password(normalized)  # the code is right: now the slow work, unlocked
    if standing_of(account) is None or not claim(spent):
        raise CodeInvalid()  # deleted, or the code spent by another request, meanwhile
    if account.paused_at is not None:
        raise AccountPaused()  # nothing changes (the view rolls back); the code stays unspent
    account.password_hash = password_hash
    cleared = regain_account(account)
    if isinstance(spent, ResetCode):
        record_reset_use(account, spent, now)
    else:
        notify(account.id, "password_reset", now=now, left=str(codes_left(account)))
    return Recovered(account, spent, cleared)


def record_reset_use(account: Account, reset_code: ResetCode, now: datetime) -> None:
    """Tell the member and every admin that a reset code was used, and write it in the log.

    The notices name nobody (a pseudonym in a notice would outlive its account); the
    member's account page and the admin log show who issued and who approved the code.
    """
    reset_log.record(account, reset_code, now)
    notify(account.id, "reset_code_used", now=now, link="/account")
    admins = db.session.scalars(
        select(Account.id).where(Account.role == Role.ADMIN, Account.id != account.id)
    )
    for admin_id in admins:
        notify(admin_id, "reset_code_used_admin", now=now, link="/admin/audit")


def issue_reset_code(
    account: Account,
    *,
    issued_by: Account,
    approved: bool,
    now: datetime,
    valid_for: timedelta,
) -> str:
    """Create the account's one open reset code (staff hand it over in person).

    An unapproved code works only once a second person approves it (approve_reset_code).
    """
    code = new_code(CODE_GROUPS)
    normalized = normalize_code(code)
    # argon2id with no write lock held; AccountChanged if either account changed meanwhile
    # (a role changed since the caller checked its rights, a pause, a deletion).
    code_hash = outside_transaction(lambda: passwords.hash_code(normalized), account, issued_by)
    if account.refuses_staff_resets:
        raise AccountError(
            _l(
                "This member has chosen that only their own recovery codes can reset "
                "their account, so no reset code can be made for them."
            )
        )
    db.session.execute(db.delete(ResetCode).where(ResetCode.account_id == account.id))
    db.session.add(
        ResetCode(
            account_id=account.id,
            selector=code_selector(normalized),
            code_hash=code_hash,
            expires_at=now + valid_for,
            created_at=now,
            issued_by_id=issued_by.id,
            approved_by_id=issued_by.id if approved else None,
            approved_at=now if approved else None,
        )
    )
    db.session.flush()
    return code


def approve_reset_code(reset_code: ResetCode, approver: Account, *, now: datetime) -> None:
    """Let a waiting reset code work: the second pair of eyes is never its issuer."""
    if reset_code.approved_at is not None:
        raise AccountError(_l("That code is already approved."))
    if reset_code.issued_by_id == approver.id:
        raise AccountError(_l("You made this code, so someone else needs to approve it."))
    reset_code.approved_by_id = approver.id
    reset_code.approved_at = now
    db.session.flush()


def refuse_staff_resets(account: Account, refuses: bool) -> None:
    """Save the member's choice; turning it on removes any open reset code at once."""
    account.refuses_staff_resets = refuses
    if refuses:
        db.session.execute(db.delete(ResetCode).where(ResetCode.account_id == account.id))
    db.session.flush()
