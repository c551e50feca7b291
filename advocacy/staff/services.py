"""Staff and admin rules: roles, reset codes, and the audit log that records them."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from advocacy.accounts import errors, recovery
from advocacy.accounts import services as accounts
from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.privacy import registry
from advocacy.staff.models import AuditEntry

PAGE_SIZE = 50


def record(
    actor: Account, action: str, target: Account | None, *, now: datetime, detail: str = ""
) -> None:
    """Write an audit entry (actor, action, target, date; never an address or content)."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id,
            target_id=target.id if target else None,
            action=action,
            detail=detail,
            created_at=now,
        )
    )


def change_role(actor: Account, target_id: int, role: str, *, now: datetime) -> Account:
    """Give an account a new role; its sessions end so the new rights apply at once."""
    if role not in {r.value for r in Role}:
        raise errors.AccountError(_l("Choose one of the listed roles."))
    target = db.session.get(Account, target_id)
    if target is None:
        raise errors.AccountError(_l("That account no longer exists."))
    if target.id == actor.id:
        raise errors.NotAllowed(_l("You can't change your own role. Ask another admin."))
    previous = target.role
    if previous == role:
        return target
    target.role = role
    target.rotate_session_token()
    record(actor, "role_changed", target, now=now, detail=f"{previous} -> {role}")
    notify(target.id, "role_changed", now=now, role=role)
    db.session.flush()
    return target


# Whose password each role may reset: staff help members and mentors; admins anyone else.
RESETTABLE_ROLES = {
    Role.STAFF: (Role.MEMBER, Role.MENTOR),
    Role.ADMIN: (Role.MEMBER, Role.MENTOR, Role.STAFF, Role.ADMIN),
}


def issue_reset_code(actor: Account, pseudonym: str, *, now: datetime, hours: int) -> str:
    """Create a one-time reset code for an account within the actor's rights, and record it."""
    target = accounts.find_account(pseudonym)
    if target is None:
        raise errors.AccountError(_l("There is no account with that pseudonym."))
    if target.id == actor.id or target.role not in RESETTABLE_ROLES.get(actor.role, ()):
        raise errors.NotAllowed(
            _l("You can't issue a reset code for that account. Please ask an admin.")
        )
    code = recovery.issue_reset_code(pseudonym=pseudonym, now=now, valid_for=timedelta(hours=hours))
    record(actor, "reset_code_issued", target, now=now)
    db.session.flush()
    return code


def accounts_page(after_id: int | None) -> list[Account]:
    """Return one page of accounts for the roles screen (keyset pagination by id)."""
    query = select(Account).order_by(Account.id).limit(PAGE_SIZE + 1)
    if after_id is not None:
        query = query.where(Account.id > after_id)
    return list(db.session.scalars(query))


def audit_page(before_id: int | None) -> list[tuple[AuditEntry, str | None, str | None]]:
    """Return one page of audit entries, newest first, with actor and target pseudonyms."""
    actor, target = aliased(Account), aliased(Account)
    query = (
        select(AuditEntry, actor.pseudonym, target.pseudonym)
        .outerjoin(actor, AuditEntry.actor_id == actor.id)
        .outerjoin(target, AuditEntry.target_id == target.id)
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return [tuple(row) for row in db.session.execute(query)]


def export_audit(account: Account) -> list[dict]:
    """Return audit entries about the account (what was done to it, by whom is withheld)."""
    entries = db.session.scalars(
        select(AuditEntry).where(
            (AuditEntry.target_id == account.id) | (AuditEntry.actor_id == account.id)
        )
    )
    return [
        {
            "action": e.action,
            "detail": e.detail,
            "created_at": e.created_at.isoformat(),
            "by_you": e.actor_id == account.id,
        }
        for e in entries
    ]


def unlink_audit(account: Account) -> None:
    """Keep entries for their retention period, but no longer linked to the account."""
    db.session.execute(
        db.update(AuditEntry).where(AuditEntry.actor_id == account.id).values(actor_id=None)
    )
    db.session.execute(
        db.update(AuditEntry).where(AuditEntry.target_id == account.id).values(target_id=None)
    )


def old_entries(now: datetime, days: int):
    return AuditEntry.created_at < now - timedelta(days=days)


registry.register("audit_log", export=export_audit, delete=unlink_audit)
registry.register_purger(
    "log",
    "admin log entries",
    count=lambda now, days: registry.count_where(AuditEntry, old_entries(now, days)),
    batch=lambda now, days, size: len(
        registry.delete_batch(AuditEntry, old_entries(now, days), size)
    ),
)
