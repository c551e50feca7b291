"""The TOTP second factor (RFC 6238): setup, checking a code once, turning it off."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
from flask_babel import lazy_gettext as _l

from advocacy.accounts.errors import CodeInvalid, NotAllowed
from advocacy.accounts.models import Account, Role
from advocacy.accounts.services import require_password
from advocacy.extensions import db

TOTP_STEP_SECONDS = 30


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
