"""Getting back in without email: recovery codes and in-person reset codes."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from advocacy.accounts import reset_log
from advocacy.accounts.errors import AccountError, CodeInvalid
from advocacy.accounts.models import Account, RecoveryCode, ResetCode, Role
from advocacy.accounts.services import find_account, validated_password
from advocacy.extensions import db, passwords
from advocacy.notices.services import notify
from advocacy.security import code_selector, new_code, normalize_code

RECOVERY_CODE_COUNT = 10


def issue_recovery_codes(account: Account) -> list[str]:
    """Replace the account's recovery codes with ten new ones and return them."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    codes: list[str] = []
    selectors: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        code = new_code()
        normalized = normalize_code(code)
        if code_selector(normalized) in selectors:
            continue
        selectors.add(code_selector(normalized))
        codes.append(code)
        db.session.add(
            RecoveryCode(
                account_id=account.id,
                selector=code_selector(normalized),
                code_hash=passwords.hash_code(normalized),
            )
        )
    db.session.flush()
    return codes


def spend_code(
    account: Account | None, code: str, *, now: datetime
) -> RecoveryCode | ResetCode | None:
    """Spend a recovery code or an approved reset code of the account; return it, or None.

    A reset code waiting for its second person's approval is not a candidate, so it gets
    the same answer as a wrong code: nobody learns that it exists.
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
        candidates += db.session.scalars(
            select(ResetCode).where(
                ResetCode.account_id == account.id,
                ResetCode.selector == selector,
                ResetCode.expires_at > now,
                ResetCode.approved_at.is_not(None),
            )
        )
    if not candidates:
        passwords.verify_code(None, normalized)
        return None
    for candidate in candidates:
        if passwords.verify_code(candidate.code_hash, normalized):
            db.session.delete(candidate)
            db.session.flush()
            return candidate
    return None


def recover_account(
    *, pseudonym: str, code: str, new_password: str, now: datetime, site_name: str
) -> Account:
    """Set a new password with a one-time code; the code is spent and every session ends."""
    account = find_account(pseudonym)
    normalized = validated_password(
        new_password, pseudonym=account.pseudonym if account else pseudonym, site_name=site_name
    )
    spent = spend_code(account, code, now=now)
    if spent is None or account is None:
        raise CodeInvalid()
    if isinstance(spent, ResetCode):
        record_reset_use(account, spent, now)
    account.password_hash = passwords.hash(normalized)
    account.rotate_session_token()
    db.session.flush()
    return account


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
    if account.refuses_staff_resets:
        raise AccountError(
            _l(
                "This member has chosen that only their own recovery codes can reset "
                "their account, so no reset code can be made for them."
            )
        )
    db.session.execute(db.delete(ResetCode).where(ResetCode.account_id == account.id))
    code = new_code()
    normalized = normalize_code(code)
    db.session.add(
        ResetCode(
            account_id=account.id,
            selector=code_selector(normalized),
            code_hash=passwords.hash_code(normalized),
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
