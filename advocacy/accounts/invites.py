"""Invite codes: who may invite whom, creating, listing and revoking them, spending one use."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from advocacy.accounts.errors import AccountError, InviteInvalid, NotAllowed
from advocacy.accounts.models import Account, Invite, Role
from advocacy.accounts.services import outside_transaction
from advocacy.database import commit_before_slow_work
from advocacy.extensions import db, passwords
from advocacy.security import code_selector, new_code, normalize_code

# The open invites page shows at most this many (soonest to expire first).
OPEN_INVITES_SHOWN = 100

# Who may invite whom (DESIGN §2): mentors invite members; staff members and mentors.
INVITABLE_ROLES = {
    Role.MENTOR: (Role.MEMBER,),
    Role.STAFF: (Role.MEMBER, Role.MENTOR),
    Role.ADMIN: (Role.MEMBER, Role.MENTOR, Role.STAFF, Role.ADMIN),
}


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
        # argon2id with no write lock held; AccountChanged if the inviter changed meanwhile.
        code_hash = outside_transaction(
            lambda code=code: passwords.hash_code(normalize_code(code)),
            *([inviter] if inviter else []),
        )
        if db.session.scalar(select(Invite.id).where(Invite.selector == selector)) is None:
            break
    db.session.add(
        Invite(
            selector=selector,
            code_hash=code_hash,
            role=role,
            uses_left=uses,
            expires_at=now + expires_in,
            created_at=now,
            created_by_id=inviter.id if inviter else None,
        )
    )
    db.session.flush()
    return code


def usable_invite(code: str, *, now: datetime) -> Invite | None:
    """Return the invite this code opens if it has a use left and has not expired; spend nothing."""
    normalized = normalize_code(code)
    invite = db.session.scalar(select(Invite).where(Invite.selector == code_selector(normalized)))
    stored = invite.code_hash if invite else None
    commit_before_slow_work()  # argon2id with no write lock held; the invite is read again
    if not passwords.verify_code(stored, normalized):
        return None
    return invite if invite.uses_left > 0 and invite.expires_at > now else None


def redeem_invite(invite: Invite, *, now: datetime) -> str:
    """Spend one use of a usable invite and return its role, or raise InviteInvalid."""
    # One conditional update: two people can never share the last use.
    spent = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.uses_left > 0, Invite.expires_at > now)
        .values(uses_left=Invite.uses_left - 1)
    )
    if spent.rowcount != 1:
        raise InviteInvalid()
    return invite.role


def open_invites(viewer: Account, *, now: datetime) -> list[tuple[Invite, str | None]]:
    """Return open invites (uses left, not expired) with their creator's pseudonym.

    Each inviter sees their own; admins see everyone's. One more than shown is
    returned, so the page can say that there are more.
    """
    creator = aliased(Account)
    query = (
        select(Invite, creator.pseudonym)
        # On created_by_id, the invite's one foreign key to accounts (a second would be
        # an error here, never a silent wrong join); outer: the command line's have none.
        .outerjoin(creator)
        .where(Invite.uses_left > 0, Invite.expires_at > now)
        .order_by(Invite.expires_at, Invite.id)
        .limit(OPEN_INVITES_SHOWN + 1)
    )
    if viewer.role != Role.ADMIN:
        query = query.where(Invite.created_by_id == viewer.id)
    return [tuple(row) for row in db.session.execute(query)]


def revoke_invite(viewer: Account, invite_id: int) -> Invite | None:
    """Stop an invite working (its creator, or an admin); None when it isn't theirs to see."""
    invite = db.session.get(Invite, invite_id)
    if invite is None or (viewer.role != Role.ADMIN and invite.created_by_id != viewer.id):
        return None
    invite.uses_left = 0
    db.session.flush()
    return invite
