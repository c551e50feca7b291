"""The signed-in account of each request: the columns pages use, and the unread count.

Every signed-in request loads its account (Flask-Login's user_loader) before the page does
anything, so this statement is the fixed cost of a page (issue 17, item 2). It reads:

- the columns the request checks and every page reads (HOT): the session token, role and
  whether a second factor is set up (the checks before each request), pseudonym, language,
  time zone, discreet mode, whether a new mentor must read the guide first;
- the account's unread notices, in the same statement (notices/unread.py keeps it).

The other columns (password hash, pending TOTP secret, dates, choices shown on the account
page) are left out: a page that uses one loads it when it first reads it, one query each,
on the account, settings and sign-in pages only. tests/notices/test_unread_count.py checks
that the common pages never do.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import load_only

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.notices import unread

HOT = (
    Account.pseudonym,
    Account.role,
    Account.session_token,
    Account.totp_secret,  # has_two_factor: whether a privileged role may go on
    Account.is_discreet,
    Account.locale,
    Account.timezone,
    Account.is_new_mentor,
)


@cache
def account_with_unread_count() -> Select:
    """The statement: (account, unread count) for the account whose current session token
    the cookie holds (bound as `session_token`), never a paused one. Built once: building
    it (the load_only option above all) cost more than running it."""
    return (
        select(Account, unread.count_of_unread(Account.id))
        .options(load_only(*HOT))
        .where(Account.session_token == bindparam("session_token"), Account.paused_at.is_(None))
    )


def load_account(session_token: str) -> Account | None:
    """Flask-Login's user_loader: find the account whose current session token the cookie
    holds (never a paused one), keeping its unread count for this request."""
    row = db.session.execute(account_with_unread_count(), {"session_token": session_token}).first()
    if row is None:
        return None
    account, count = row
    unread.remember(account.id, count)
    return account
