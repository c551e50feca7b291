"""The mentor pathway, the member's side: told when eligible, saying whether interested,
and, once made a mentor, shown how moderation works here first.

Completing a leadership program makes a member eligible (programs/services.py: complete
calls mark_eligible). The member answers "interested" or "not now" on their account page
and may change it at any time; admins see the answer (staff/pathway.py) and make a mentor
with one action, which calls welcome(). The answer is one nullable column on the account
(`is_mentor_interested`), exported with the account and deleted with it.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from advocacy.accounts.errors import AccountError
from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from advocacy.notices.services import notify, withdraw_notices
from advocacy.privacy import registry

# Where the member answers (the account page's section), and the guide for new mentors.
ANSWER_LINK = "/account#mentoring"
GUIDE_LINK = "/moderation/guide"
NOT_ELIGIBLE = _l(
    "This choice is for members who completed a leadership program. Nothing was changed."
)


def may_answer(account: Account) -> bool:
    """Return whether the account is a member eligible to become a mentor."""
    return account.role == Role.MEMBER and account.is_mentor_eligible


def mark_eligible(account_id: int, *, now: datetime) -> None:
    """Make the account eligible to become a mentor (a leadership program completed).

    A member who was not eligible before gets one notice linking to where they answer; a
    second leadership program, or a mentor, staff member or admin completing one, does
    not tell them again.
    """
    account = db.session.get(Account, account_id)
    if account.role == Role.MEMBER and not account.is_mentor_eligible:
        notify(account.id, "mentor_eligible", now=now, link=ANSWER_LINK)
    account.is_mentor_eligible = True


def take_back_eligibility(account_id: int) -> None:
    """Undo mark_eligible: the completion that made the account eligible was taken back the
    same day. Its notice is withdrawn and any answer it gave forgotten."""
    account = db.session.get(Account, account_id)
    account.is_mentor_eligible = False
    account.is_mentor_interested = None
    withdraw_notices(account_id, "mentor_eligible", ANSWER_LINK)


def say_interest(account: Account, interested: bool) -> None:
    """Record the eligible member's answer: interested (True) or not now (False).

    They may change it whenever they like. AccountError (NOT_ELIGIBLE, nothing changed)
    for anyone else: a member who is not eligible, or a mentor, staff member or admin.
    """
    if not may_answer(account):
        raise AccountError(NOT_ELIGIBLE)
    account.is_mentor_interested = interested
    db.session.flush()


def welcome(account: Account) -> None:
    """Mark a member just made a mentor from the pathway: their answer has served its
    purpose and goes; their next page is the moderation guide (guide_due)."""
    account.is_mentor_interested = None
    account.is_new_mentor = True


def guide_due(account: Account) -> bool:
    """Return whether a mentor made from the pathway has not yet seen the guide."""
    return account.role == Role.MENTOR and account.is_new_mentor


def guide_seen(account: Account) -> bool:
    """Note that the account has seen the guide; return whether that changed anything."""
    if not account.is_new_mentor:
        return False
    account.is_new_mentor = False
    db.session.flush()
    return True


def interest_word(value: bool | None) -> str | None:
    """The answer as the export and the admin list name it: "interested", "not now" or None."""
    if value is None:
        return None
    return "interested" if value else "not now"


def export_pathway(account: Account) -> dict:
    """Return the member's place on the pathway (all of it is on the account row)."""
    return {
        "eligible": account.is_mentor_eligible,
        "your_answer": interest_word(account.is_mentor_interested),
        "moderation_guide_still_to_show": account.is_new_mentor,
    }


def forget_pathway(_account: Account) -> None:
    """Nothing of its own to delete: the answer is two columns of the account row, which
    goes with the account holder's deletion (accounts/privacy.py)."""


def summarize(account: Account) -> list[registry.Held]:
    """Say that the answer is held, once the member gave one."""
    if account.is_mentor_interested is None:
        return []
    return [
        registry.Held(
            str(_l("Your answer about becoming a peer mentor")),
            1,
            str(_l("with your account, or when you become a mentor")),
        )
    ]


registry.register("mentor_pathway", export=export_pathway, delete=forget_pathway, summary=summarize)
