"""Builders for the mentor pathway: an eligible member, with or without an answer."""

from __future__ import annotations

from flask import Flask

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.support.accounts import MadeAccount, make_account


def make_eligible(app: Flask, account_id: int, *, interested: bool | None = None) -> None:
    """Mark an account eligible to mentor (a leadership program completed), with an answer
    (True interested, False not now, None not said)."""
    with app.app_context():
        account = db.session.get(Account, account_id)
        account.is_mentor_eligible = True
        account.is_mentor_interested = interested
        db.session.commit()


def make_eligible_member(
    app: Flask, pseudonym: str, *, interested: bool | None = True
) -> MadeAccount:
    """A member eligible to mentor, interested unless said otherwise."""
    made = make_account(app, pseudonym)
    make_eligible(app, made.id, interested=interested)
    return made
