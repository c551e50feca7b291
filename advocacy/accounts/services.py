"""Account rules: joining, signing in, second factor, recovery, invites, settings.

Services take `now` explicitly, flush but never commit, and raise AccountError
subclasses whose message a view can show as it is.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from advocacy.accounts.models import Account, Invite, RecoveryCode, ResetCode, Role
from advocacy.accounts.policy import (
    PASSWORD_MAX,
    PolicyError,
    check_password,
    clean_pseudonym,
    normalize_text,
    pseudonym_key,
)
from advocacy.domain import DomainError
from advocacy.extensions import db, passwords
from advocacy.security import code_selector, new_code, normalize_code

RECOVERY_CODE_COUNT = 10
TOTP_STEP_SECONDS = 30
# Who may invite whom (DESIGN §2): mentors invite members; staff members and mentors.
INVITABLE_ROLES = {
    Role.MENTOR: (Role.MEMBER,),
    Role.STAFF: (Role.MEMBER, Role.MENTOR),
    Role.ADMIN: (Role.MEMBER, Role.MENTOR, Role.STAFF, Role.ADMIN),
}


class AccountError(DomainError):
    """A refused account action."""


class LoginFailed(AccountError):
    message = _l("That pseudonym and password don't match. Please try again.")


class InviteInvalid(AccountError):
    message = _l(
        "That invite code can't be used. It may have expired or been used up. "
        "Please ask the person who gave it to you for a new one."
    )


class PseudonymTaken(AccountError):
    message = _l("That pseudonym is taken. Please choose another, or ask for a suggestion.")


class PseudonymRefused(AccountError):
    """The pseudonym breaks a rule (length, characters, looks like contact details)."""


class PasswordRefused(AccountError):
    """The password breaks a rule (length, common, built from names)."""


class CodeInvalid(AccountError):
    message = _l("That code didn't work. Check it and try again; each code works only once.")


class NotAllowed(AccountError):
    message = _l("Your account can't do that.")


@dataclass(frozen=True)
class NewAccount:
    """A freshly created account and its recovery codes (shown once, never stored)."""

    account: Account
    recovery_codes: list[str]


def validated_pseudonym(raw: str, *, except_account: Account | None = None) -> str:
    """Return a clean, unused pseudonym or raise PseudonymRefused/PseudonymTaken."""
    try:
        pseudonym = clean_pseudonym(raw)
    except PolicyError as error:
        raise PseudonymRefused(error.message) from error
    owner = db.session.scalar(
        select(Account).where(Account.pseudonym_key == pseudonym_key(pseudonym))
    )
    if owner is not None and owner is not except_account:
        raise PseudonymTaken()
    return pseudonym


def validated_password(password: str, *, pseudonym: str, site_name: str) -> str:
    """Return the normalized password or raise PasswordRefused."""
    try:
        return check_password(password, pseudonym=pseudonym, site_name=site_name)
    except PolicyError as error:
        raise PasswordRefused(error.message) from error


# Invites


def may_invite(inviter_role: str, role: str) -> bool:
    """Return whether an account with inviter_role may invite someone as role."""
    return role in INVITABLE_ROLES.get(inviter_role, ())


def create_invite(
    *, role: str, uses: int, expires_in: timedelta, now: datetime, inviter: Account | None
) -> str:
    """Create an invite and return its code (shown once; only a hash is kept)."""
    if inviter is not None and not may_invite(inviter.role, role):
        raise NotAllowed()
    if not 1 <= uses <= 500:
        raise AccountError(_l("Choose between 1 and 500 uses."))
    if not timedelta(hours=1) <= expires_in <= timedelta(days=90):
        raise AccountError(_l("Choose an expiry between 1 hour and 90 days."))
    while True:
        code = new_code()
        selector = code_selector(normalize_code(code))
        if db.session.scalar(select(Invite.id).where(Invite.selector == selector)) is None:
            break
    db.session.add(
        Invite(
            selector=selector,
            code_hash=passwords.hash_code(normalize_code(code)),
            role=role,
            uses_left=uses,
            expires_at=now + expires_in,
            created_by_id=inviter.id if inviter else None,
        )
    )
    db.session.flush()
    return code


def redeem_invite(code: str, *, now: datetime) -> str:
    """Spend one use of an invite and return its role, or raise InviteInvalid."""
    normalized = normalize_code(code)
    invite = db.session.scalar(select(Invite).where(Invite.selector == code_selector(normalized)))
    if not passwords.verify_code(invite.code_hash if invite else None, normalized):
        raise InviteInvalid()
    # One conditional update: two people can never share the last use.
    spent = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.uses_left > 0, Invite.expires_at > now)
        .values(uses_left=Invite.uses_left - 1)
    )
    if spent.rowcount != 1:
        raise InviteInvalid()
    return invite.role


# Joining and signing in


def register_account(
    *,
    invite_code: str | None,
    pseudonym: str,
    password: str,
    now: datetime,
    open_joining: bool,
    site_name: str,
) -> NewAccount:
    """Create an account from an invite (or open joining) and issue its recovery codes."""
    # The invite comes first: without one, nobody learns whether a pseudonym is taken.
    if invite_code:
        role = redeem_invite(invite_code, now=now)
    elif open_joining:
        role = Role.MEMBER
    else:
        raise InviteInvalid()
    clean = validated_pseudonym(pseudonym)
    normalized_password = validated_password(password, pseudonym=clean, site_name=site_name)
    account = Account(
        pseudonym=clean,
        pseudonym_key=pseudonym_key(clean),
        password_hash=passwords.hash(normalized_password),
        role=role,
        created_at=now,
    )
    db.session.add(account)
    db.session.flush()
    return NewAccount(account, issue_recovery_codes(account))


def find_account(pseudonym: str) -> Account | None:
    """Return the account with this pseudonym (any case), if any."""
    return db.session.scalar(
        select(Account).where(Account.pseudonym_key == pseudonym_key(pseudonym))
    )


def authenticate(pseudonym: str, password: str) -> Account:
    """Check a pseudonym and password; unknown names cost the same and fail the same."""
    password = normalize_text(password)
    if len(password) > PASSWORD_MAX:
        # Never hash arbitrarily long input; the answer is the usual one.
        raise LoginFailed()
    account = find_account(pseudonym)
    if not passwords.verify(account.password_hash if account else None, password):
        raise LoginFailed()
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash(password)
    return account


def record_login(account: Account, *, now: datetime) -> None:
    """Note the sign-in date (never the time).

    The account's session token is not replaced here, so a member can stay signed
    in on two devices; the new session's cookie is brand new (no fixation), and
    signing out, a password change or a role change replaces the token everywhere.
    """
    account.last_login_on = now.date()
    db.session.flush()


# Second factor


def totp_for(secret: str) -> pyotp.TOTP:
    """Return the TOTP generator for a secret (30-second steps, 6 digits)."""
    return pyotp.TOTP(secret, interval=TOTP_STEP_SECONDS)


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """Return the time step whose code matches (allowing one step of clock drift)."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = totp_for(secret)
    current = int(now.timestamp()) // TOTP_STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_second_factor(account: Account, code: str, *, now: datetime) -> None:
    """Accept a TOTP code once; a code already used (or older) is refused."""
    step = matching_step(account.totp_secret or "", code, now) if account.totp_secret else None
    if step is None or (account.totp_last_step is not None and step <= account.totp_last_step):
        raise CodeInvalid()
    account.totp_last_step = step
    db.session.flush()


def begin_two_factor_setup(account: Account) -> str:
    """Create a pending secret to show as a QR code; it counts only once confirmed."""
    account.totp_pending_secret = pyotp.random_base32()
    db.session.flush()
    return account.totp_pending_secret


def provisioning_uri(account: Account, site_name: str) -> str:
    """Return the otpauth:// address for the pending secret."""
    return totp_for(account.totp_pending_secret or "").provisioning_uri(
        name=account.pseudonym, issuer_name=site_name
    )


def confirm_two_factor_setup(account: Account, code: str, *, now: datetime) -> None:
    """Turn on the second factor once the member proves their app shows the right code."""
    secret = account.totp_pending_secret
    step = matching_step(secret, code, now) if secret else None
    if step is None:
        raise CodeInvalid()
    account.totp_secret = secret
    account.totp_pending_secret = None
    account.totp_last_step = step
    db.session.flush()


def turn_off_two_factor(account: Account, password: str) -> None:
    """Remove the second factor (members only; other roles must keep it)."""
    if account.role != Role.MEMBER:
        raise NotAllowed(_l("Your role needs a second factor, so it can't be turned off."))
    require_password(account, password)
    account.totp_secret = None
    account.totp_last_step = None
    db.session.flush()


# Recovery


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
    code = new_code()
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


# Settings


def require_password(account: Account, password: str) -> None:
    """Raise AccountError unless password is the account's current one."""
    password = normalize_text(password)
    if len(password) > PASSWORD_MAX or not passwords.verify(account.password_hash, password):
        raise AccountError(_l("That isn't your current password. Please try again."))


def change_password(account: Account, *, current: str, new: str, site_name: str) -> None:
    """Change the password after checking the current one; every session ends."""
    require_password(account, current)
    normalized = validated_password(new, pseudonym=account.pseudonym, site_name=site_name)
    account.password_hash = passwords.hash(normalized)
    account.rotate_session_token()
    db.session.flush()


def change_pseudonym(account: Account, new_pseudonym: str) -> None:
    """Give the account a new pseudonym."""
    clean = validated_pseudonym(new_pseudonym, except_account=account)
    account.pseudonym = clean
    account.pseudonym_key = pseudonym_key(clean)
    db.session.flush()


def change_preferences(account: Account, *, is_discreet: bool, locale: str | None) -> None:
    """Save discreet mode and language."""
    account.is_discreet = is_discreet
    account.locale = locale or None
    db.session.flush()


def end_all_sessions(account: Account) -> None:
    """Log the account out on every device."""
    account.rotate_session_token()
    db.session.flush()
