"""The mentor pathway, the admins' side: who is eligible and what they said, and making
a mentor, asked first on a page of its own.

Only an eligible member (a leadership program completed) who said they are interested
can be made a mentor here; the member's own answer stays theirs to give
(accounts/mentoring.py). The change is a role change like any other (staff/roles.py):
audited, every session ended, the old role's reset codes gone; the new
mentor is told, and on their next sign-in sets up a second factor (accounts/sessions.py)
and then sees how moderation works here (/moderation/guide).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select

from advocacy.accounts import errors, mentoring
from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from advocacy.notices.services import withdraw_notices
from advocacy.staff import roles

# The "Eligible to mentor" list: at most this many, interested first.
ELIGIBLE_SHOWN = 50


def eligible_members() -> list[Account]:
    """Return members eligible to mentor: interested, then not answered, then not now,
    each oldest account first; at most ELIGIBLE_SHOWN + 1 (one more says there are more)."""
    answer_order = case(
        (Account.is_mentor_interested.is_(True), 0),
        (Account.is_mentor_interested.is_(False), 2),
        else_=1,
    )
    query = (
        select(Account)
        .where(Account.is_mentor_eligible.is_(True), Account.role == Role.MEMBER)
        .order_by(answer_order, Account.id)
        .limit(ELIGIBLE_SHOWN + 1)
    )
    return list(db.session.scalars(query))


def refusal(target: Account) -> str | None:
    """Say why `target` cannot be made a mentor here (already one, not an eligible member,
    or not said they are interested), or None when they can. The confirmation page shows
    it in place of the button; make_mentor refuses with it."""
    if target.role == Role.MENTOR:
        return _l("%(name)s is already a mentor. Nothing was changed.", name=target.pseudonym)
    if not mentoring.may_answer(target):
        return _l(
            "Only members who completed a leadership program can be made mentors here. "
            "Nothing was changed."
        )
    if target.is_mentor_interested is not True:
        return _l(
            "%(name)s hasn't said they would like to mentor, so nothing was changed. "
            "It is their choice, on their account page.",
            name=target.pseudonym,
        )
    return None


def make_mentor(actor: Account, target_id: int, *, now: datetime) -> Account:
    """Make an eligible, interested member a mentor (an admin's one action, once the admin
    has seen on its own page what it does).

    AccountError, nothing written, when the account is gone, or for refusal()'s reasons.
    The caller checks that the actor is an admin (role_required).
    """
    target = db.session.get(Account, target_id, with_for_update=True)
    if target is None:
        raise errors.AccountError(_l("That account no longer exists."))
    refused = refusal(target)
    if refused is not None:
        raise errors.AccountError(refused)
    roles.change_role(
        actor,
        target.id,
        Role.MENTOR,
        now=now,
        notice="became_mentor",
        link=mentoring.GUIDE_LINK,
    )
    mentoring.welcome(target)
    # The question whether they would like to mentor is answered: it leaves their notices.
    withdraw_notices(target.id, "mentor_eligible", mentoring.ANSWER_LINK)
    db.session.flush()
    return target
