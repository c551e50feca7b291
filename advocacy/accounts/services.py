"""Account rules: pseudonyms, passwords, signing in and settings.

Services take `now` explicitly, flush but never commit, and raise AccountError
subclasses (accounts/errors.py) whose message a view can show as it is. Joining,
invites, the second factor and recovery each have a module of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import ObjectDeletedError

from advocacy import clock
from advocacy.accounts import standing
from advocacy.accounts.errors import (
    AccountChanged,
    AccountError,
    AccountPaused,
    LoginFailed,
    PseudonymRefused,
    PseudonymTaken,
)
from advocacy.accounts.models import MODERATING_ROLES, Account
from advocacy.accounts.policy import (
    PASSWORD_MAX,
    normalize_text,
    pseudonym_key,
    pseudonym_problems,
    validated_password,
)
from advocacy.database import commit_before_slow_work
from advocacy.extensions import db, passwords
from advocacy.notices.services import notify
from advocacy.privacy import registry

T = TypeVar("T")


def validated_pseudonym(
    raw: str,
    *,
    site_name: str,
    now: datetime,
    except_account: Account | None = None,
    may_say_taken: bool = True,
) -> str:
    """Return a clean, unused pseudonym or raise PseudonymRefused with every problem.

    With may_say_taken false (no valid invite yet) whether the name is taken stays unsaid.
    A removed account's name counts as taken while it is held back (see standing.py).
    """
    pseudonym, problems = pseudonym_problems(raw, site_name=site_name)
    if may_say_taken:
        owner = find_account(pseudonym)
        # Compared by id: except_account may be the current_user proxy.
        if (
            owner is not None
            and (except_account is None or owner.id != except_account.id)
            or owner is None
            and standing.is_retired(pseudonym, now=now)
        ):
            problems.append(PseudonymTaken.message)
    if problems:
        raise PseudonymRefused(problems)
    return pseudonym


def find_account(pseudonym: str) -> Account | None:
    """Return the account whose pseudonym looks like this one (any case, any look-alike)."""
    return db.session.scalar(
        select(Account).where(Account.pseudonym_key == pseudonym_key(pseudonym))
    )


def authenticate(pseudonym: str, password: str) -> Account:
    """Check a pseudonym and password; unknown names cost the same and fail the same.

    The password is checked outside any transaction (commit_before_slow_work); what it
    decides on is read again afterwards, so a change meanwhile is seen.
    """
    password = normalize_text(password)
    if len(password) > PASSWORD_MAX:
        # Never hash arbitrarily long input; the answer is the usual one.
        raise LoginFailed()
    account = find_account(pseudonym)
    stored = account.password_hash if account else None
    commit_before_slow_work()
    right = passwords.verify(stored, password)
    if not right or standing_of(account) is None or account.password_hash != stored:
        raise LoginFailed()  # wrong, or the account changed or went while it was checked
    if account.paused_at is not None:
        # Only after the right password: nobody else learns the name exists.
        raise AccountPaused()
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash(password)
    return account


def standing_of(account: Account) -> tuple | None:
    """What a signed-in request relies on: password, session, pause and role (None: deleted).

    Read in the current transaction, so it reloads an account expired by a commit.
    """
    try:
        return (account.password_hash, account.session_token, account.paused_at, account.role)
    except ObjectDeletedError:
        return None


def record_login(account: Account, *, now: datetime) -> None:
    """Note the sign-in date (never the time).

    The account's session token is not replaced here, so a member can stay signed
    in on two devices; the new session's cookie is brand new (no fixation), and
    signing out, a password change or a role change replaces the token everywhere.
    """
    account.last_login_on = clock.local_date(now)
    db.session.flush()


# Settings


def require_password(account: Account, password: str) -> None:
    """Raise AccountError unless password is the account's current one.

    Raises AccountChanged if the account was paused, deleted, signed out or given
    another role while the password was checked (outside any transaction).
    """
    password = normalize_text(password)
    account_id, before = account.id, standing_of(account)
    if before is None:
        raise AccountChanged(account_id)
    commit_before_slow_work()
    right = len(password) <= PASSWORD_MAX and passwords.verify(before[0], password)
    if standing_of(account) != before:
        raise AccountChanged(account_id)
    if not right:
        raise AccountError(_l("That isn't your current password. Please try again."))


def outside_transaction(work: Callable[[], T], *accounts: Account) -> T:
    """Run slow work (argon2id: CPU seconds on a busy machine) with no write lock held.

    On SQLite a request holds the write lock from its first statement; slow work under it
    keeps every other writer waiting, past the busy timeout (503s). So the transaction so
    far ends first (commit_before_slow_work: call this before the request writes), and
    `accounts` are read again after: AccountChanged if one was paused, deleted, signed out
    or given another role meanwhile, so no right checked before is relied on stale.
    """
    before = [(account.id, standing_of(account)) for account in accounts]
    commit_before_slow_work()
    result = work()
    changed = [
        account_id
        for account, (account_id, was) in zip(accounts, before, strict=True)
        if standing_of(account) != was
    ]
    if changed:
        raise AccountChanged(*changed)
    return result


def hash_password(password: str, *accounts: Account) -> str:
    """Hash a normalized password outside any transaction (see outside_transaction)."""
    return outside_transaction(lambda: passwords.hash(password), *accounts)


def change_password(
    account: Account, *, current: str, new: str, site_name: str, now: datetime
) -> None:
    """Change the password after checking the current one; every session ends, a notice stays."""
    require_password(account, current)
    normalized = validated_password(new, pseudonym=account.pseudonym, site_name=site_name)
    account.password_hash = hash_password(normalized, account)
    account.rotate_session_token()
    notify(account.id, "password_changed", now=now)
    db.session.flush()


def change_pseudonym(
    account: Account, new_pseudonym: str, *, site_name: str, now: datetime
) -> None:
    """Give the account a new pseudonym; the old one is held back and a notice stays."""
    clean = validated_pseudonym(new_pseudonym, site_name=site_name, now=now, except_account=account)
    old_key, new_key = account.pseudonym_key, pseudonym_key(clean)
    if new_key != old_key:
        standing.retire_name(old_key, now=now)
        notify(account.id, "pseudonym_changed", now=now)
    account.pseudonym = clean
    account.pseudonym_key = new_key
    db.session.flush()


def delete_own_account(account: Account, choices: dict[str, str], *, now: datetime) -> None:
    """Delete the account and everything linked to it; its name is held back a while."""
    standing.retire_name(account.pseudonym_key, now=now)
    registry.delete_account(account, choices, now=now)


def change_preferences(
    account: Account,
    *,
    is_discreet: bool,
    locale: str | None,
    timezone: str | None,
    opens_stories_in_review: bool = False,
) -> None:
    """Save discreet mode, language, time zone (empty: the site's) and, for moderators
    (MODERATING_ROLES) only, whether stories open at once on the review page; anyone else
    keeps false, so no account holds a choice it cannot use."""
    account.is_discreet = is_discreet
    account.locale = locale or None
    account.timezone = timezone or None
    account.opens_stories_in_review = opens_stories_in_review and account.role in MODERATING_ROLES
    db.session.flush()


def end_all_sessions(account: Account) -> None:
    """Log the account out on every device."""
    account.rotate_session_token()
    db.session.flush()
