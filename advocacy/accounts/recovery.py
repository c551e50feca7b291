"""Getting back in without email: recovery codes and in-person reset codes."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from advocacy.accounts.errors import AccountError, CodeInvalid
from advocacy.accounts.models import Account, RecoveryCode, ResetCode
from advocacy.accounts.services import find_account, validated_password
from advocacy.extensions import db, passwords
from advocacy.security import code_selector, new_code, normalize_code

RECOVERY_CODE_COUNT = 10
# 4 groups are 80 random bits: look-up secrets of 64 bits or more need no rate limit
# (NIST SP 800-63B 5.1.2.2), so a right code works even when sign-in is throttled.
# Older 3-group codes still verify: a code is hashed after normalize_code, whatever its length.
CODE_GROUPS = 4


def issue_recovery_codes(account: Account) -> list[str]:
    """Replace the account's recovery codes with ten new ones and return them."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    codes: list[str] = []
    selectors: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        code = new_code(CODE_GROUPS)
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


def spend_code(account: Account | None, code: str, *, now: datetime) -> bool:
    """Spend a recovery code or a staff reset code of the account; return whether one matched."""
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
            )
        )
    if not candidates:
        passwords.verify_code(None, normalized)
        return False
    for candidate in candidates:
        if passwords.verify_code(candidate.code_hash, normalized):
            db.session.delete(candidate)
            db.session.flush()
            return True
    return False


def recover_account(
    *, pseudonym: str, code: str, new_password: str, now: datetime, site_name: str
) -> Account:
    """Set a new password with a one-time code; the code is spent and every session ends."""
    account = find_account(pseudonym)
    normalized = validated_password(
        new_password, pseudonym=account.pseudonym if account else pseudonym, site_name=site_name
    )
    if not spend_code(account, code, now=now) or account is None:
        raise CodeInvalid()
    account.password_hash = passwords.hash(normalized)
    account.rotate_session_token()
    db.session.flush()
    return account


def issue_reset_code(*, pseudonym: str, now: datetime, valid_for: timedelta) -> str:
    """Create a one-time reset code for the named account (staff hand it over in person)."""
    account = find_account(pseudonym)
    if account is None:
        raise AccountError(_l("There is no account with that pseudonym."))
    db.session.execute(db.delete(ResetCode).where(ResetCode.account_id == account.id))
    code = new_code(CODE_GROUPS)
    normalized = normalize_code(code)
    db.session.add(
        ResetCode(
            account_id=account.id,
            selector=code_selector(normalized),
            code_hash=passwords.hash_code(normalized),
            expires_at=now + valid_for,
            created_at=now,
        )
    )
    db.session.flush()
    return code
