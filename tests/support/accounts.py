"""Builders and the `auth` helper for tests that need accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from advocacy.accounts import invites, recovery
from advocacy.accounts.models import Account, Invite, ResetCode, Role
from advocacy.accounts.policy import pseudonym_key
from advocacy.accounts.second_factor import TOTP_STEP_SECONDS
from advocacy.extensions import db, passwords

PASSWORD = "quiet river lantern morning"
ROLES = ("member", "mentor", "staff", "admin")


class Clock:
    """A controllable clock for app.config["CLOCK"]."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class MadeAccount:
    """What a test needs to know about an account it made."""

    id: int
    pseudonym: str
    role: str
    password: str
    totp_secret: str | None

    def totp_code(self, at: datetime, step_offset: int = 0) -> str:
        step = int(at.timestamp()) // TOTP_STEP_SECONDS + step_offset
        return pyotp.TOTP(self.totp_secret).generate_otp(step)


def make_account(
    app: Flask,
    pseudonym: str = "river-member",
    *,
    role: str = Role.MEMBER,
    password: str = PASSWORD,
    two_factor: bool | None = None,
) -> MadeAccount:
    """Create an account directly in the database; privileged roles get TOTP by default."""
    if two_factor is None:
        two_factor = role != Role.MEMBER
    secret = pyotp.random_base32() if two_factor else None
    with app.app_context():
        account = Account(
            pseudonym=pseudonym,
            pseudonym_key=pseudonym_key(pseudonym),
            password_hash=passwords.hash(password),
            role=role,
            totp_secret=secret,
            created_at=datetime.now(UTC),  # joined just now, by the real clock
        )
        db.session.add(account)
        db.session.commit()
        return MadeAccount(account.id, pseudonym, role, password, secret)


def give_recovery_codes(app: Flask, account_id: int) -> list[str]:
    """Issue the account ten recovery codes; return them as their owner saw them."""
    with app.app_context():
        seed = recovery.issue_recovery_codes(db.session.get(Account, account_id))
        db.session.commit()
        return recovery.derive_recovery_codes(seed)


def make_reset_code(
    app: Flask, account_id: int, issuer_id: int, *, now: datetime, approved: bool = False
) -> tuple[str, int]:
    """Create a reset code for an account as `issuer_id` made it; return (code, id)."""
    with app.app_context():
        code = recovery.issue_reset_code(
            db.session.get(Account, account_id),
            issued_by=db.session.get(Account, issuer_id),
            approved=approved,
            now=now,
            valid_for=timedelta(hours=24),
        )
        db.session.commit()
        code_id = db.session.scalar(
            db.select(ResetCode.id).where(ResetCode.account_id == account_id)
        )
        return code, code_id


def make_invite(
    app: Flask, creator_id: int | None, *, now: datetime, role: str = Role.MEMBER, uses: int = 1
) -> tuple[str, int]:
    """Create an invite as `creator_id` made it (None: the command line); return (code, id)."""
    with app.app_context():
        creator = db.session.get(Account, creator_id) if creator_id else None
        code = invites.create_invite(
            role=role, uses=uses, expires_in=timedelta(days=14), now=now, inviter=creator
        )
        db.session.commit()
        invite_id = db.session.scalar(db.select(Invite.id).order_by(Invite.id.desc()).limit(1))
        return code, invite_id


def load_account(app: Flask, account_id: int) -> Account | None:
    """Read an account fresh from the database (detached)."""
    with app.app_context():
        account = db.session.get(Account, account_id)
        if account is not None:
            db.session.expunge(account)
        return account


class AuthActions:
    """Sign in and out through the real forms."""

    def __init__(self, app: Flask, client: FlaskClient, clock: Clock) -> None:
        self.app = app
        self.client = client
        self.clock = clock

    def login(self, account: MadeAccount, password: str | None = None, client=None):
        client = client or self.client
        response = client.post(
            "/login",
            data={"pseudonym": account.pseudonym, "password": password or account.password},
        )
        if account.totp_secret and response.headers.get("Location", "").endswith("/login/code"):
            # Each sign-in needs a code not used before: move to the next time step.
            self.clock.advance(seconds=TOTP_STEP_SECONDS)
            response = client.post("/login/code", data={"code": account.totp_code(self.clock())})
        return response

    def logout(self, client=None):
        return (client or self.client).post("/logout")


@pytest.fixture
def clock(app) -> Clock:
    """Control the app's clock."""
    controlled = Clock()
    app.config["CLOCK"] = controlled
    return controlled


@pytest.fixture
def auth(app, client, clock) -> AuthActions:
    """Sign in and out as an account."""
    return AuthActions(app, client, clock)


@pytest.fixture
def in_request(app):
    """A request context for service-level tests: rows live in db.session, and lazy
    refusal messages turn into text (`str(error.message)`)."""
    with app.test_request_context():
        yield db.session


def said(refusal: pytest.ExceptionInfo) -> str:
    """A refusal's message as the reader sees it (call inside a request context)."""
    return str(refusal.value.message)


@pytest.fixture
def member(app) -> MadeAccount:
    return make_account(app, "river-member")


@pytest.fixture
def other_member(app) -> MadeAccount:
    return make_account(app, "cedar-member")


@pytest.fixture
def mentor(app) -> MadeAccount:
    return make_account(app, "heron-mentor", role=Role.MENTOR)


@pytest.fixture
def staff(app) -> MadeAccount:
    return make_account(app, "maple-staff", role=Role.STAFF)


@pytest.fixture
def admin(app) -> MadeAccount:
    return make_account(app, "wren-admin", role=Role.ADMIN)
