"""The TOTP second factor (RFC 6238): setup, checking a code once, turning it off."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, update

from advocacy.accounts.errors import CodeInvalid, NotAllowed
from advocacy.accounts.models import Account, Role
from advocacy.accounts.services import require_password
from advocacy.extensions import db
from advocacy.notices.services import notify

TOTP_STEP_SECONDS = 30


def totp_for(secret: str) -> pyotp.TOTP:
    """Return the TOTP generator for a secret (30-second steps, 6 digits)."""
    return pyotp.TOTP(secret, interval=TOTP_STEP_SECONDS)


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """Return the time step whose code matches (allowing one step of clock drift)."""
    # ASCII digits only: str.isdigit() is true for "²" and "٣" too.
    code = "".join(ch for ch in code if ch in "0123456789")
    if len(code) != 6:
        return None
    totp = totp_for(secret)
    current = int(now.timestamp()) // TOTP_STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_second_factor(account: Account, code: str, *, now: datetime) -> None:
    """Accept a TOTP code once; a code already used (or older) is refused (RFC 6238 §5.2).

    The step is claimed with one conditional UPDATE, not read-then-write, so two
    sign-ins racing with the same code cannot both succeed (on SQLite or PostgreSQL).
    """
    secret = account.totp_secret
    step = matching_step(secret, code, now) if secret else None
    if step is None:
        raise CodeInvalid()
    claimed = db.session.execute(
        update(Account)
        .where(
            Account.id == account.id,
            or_(Account.totp_last_step.is_(None), Account.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    if claimed.rowcount != 1:
        raise CodeInvalid()


def begin_two_factor_setup(account: Account) -> str:
    """Create a pending secret to show as a QR code; it counts only once confirmed."""
    account.totp_pending_secret = pyotp.random_base32()
    db.session.flush()
    return account.totp_pending_secret


def provisioning_uri(account: Account, secret: str, site_name: str, discreet_title: str) -> str:
    """Return the otpauth:// address of a secret (base32) being set up (Key URI Format).

    The app lists every entry by issuer and name: in discreet mode both are neutral,
    so a phone someone checks shows neither the site nor the pseudonym.
    """
    if account.is_discreet:
        issuer, name = discreet_title, discreet_title
    else:
        issuer, name = site_name, account.pseudonym
    return totp_for(secret).provisioning_uri(name=name, issuer_name=issuer)


def confirm_two_factor_setup(account: Account, code: str, *, now: datetime) -> None:
    """Turn on the second factor once the member proves their app shows the right code."""
    secret = account.totp_pending_secret
    step = matching_step(secret, code, now) if secret else None
    if step is None:
        raise CodeInvalid()
    account.totp_secret = secret
    account.totp_pending_secret = None
    account.totp_last_step = step
    notify(account.id, "second_factor_on", now=now)
    db.session.flush()


def turn_off_two_factor(account: Account, password: str, *, now: datetime) -> None:
    """Remove the second factor (members only; other roles must keep it)."""
    require_password(account, password)  # first: the role is read again after the check
    if account.role != Role.MEMBER:
        raise NotAllowed(_l("Your role needs a second factor, so it can't be turned off."))
    clear_second_factor(account)
    notify(account.id, "second_factor_off", now=now)
    db.session.flush()


def clear_second_factor(account: Account) -> None:
    """Forget the second factor (and any setup under way); privileged roles must set a new one."""
    account.totp_secret = None
    account.totp_pending_secret = None
    account.totp_last_step = None


def grouped_key(secret: str) -> str:
    """Return a TOTP key in groups of four ("ABCD EFGH …"), easier to type into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
