"""Staff and admin rules: reset codes, and the audit log that records them and role changes
(staff/roles.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from advocacy.accounts import errors, recovery, reset_log
from advocacy.accounts import services as accounts
from advocacy.accounts.models import Account, ResetCode, Role
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.privacy import registry
from advocacy.staff.models import AuditEntry

PAGE_SIZE = 50


def record(
    actor: Account | None,
    action: str,
    target: Account | None,
    *,
    now: datetime,
    detail: str = "",
) -> None:
    """Write an audit entry (actor, action, target, date; never an address or content).
    No actor: nobody acted (staff/handover.py, when an account is deleted)."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            target_id=target.id if target else None,
            action=action,
            detail=detail,
            created_at=now,
        )
    )


# Whose password each role may reset: staff help members and mentors; admins anyone else.
RESETTABLE_ROLES = {
    Role.STAFF: (Role.MEMBER, Role.MENTOR),
    Role.ADMIN: (Role.MEMBER, Role.MENTOR, Role.STAFF, Role.ADMIN),
}


# An admin's code for these works at once; for staff and admins, a second admin approves.
APPROVED_AT_ONCE_BY_ADMINS = (Role.MEMBER, Role.MENTOR)


@dataclass(frozen=True)
class IssuedReset:
    """A reset code to hand over (shown once), and whether it still waits for approval."""

    code: str
    needs_approval: bool


def issue_reset_code(actor: Account, pseudonym: str, *, now: datetime, hours: int) -> IssuedReset:
    """Create a one-time reset code for an account within the actor's rights, and record it.

    Four eyes: a staff member's code works only once someone else approves it. An
    admin's code for a member or mentor works at once; for a staff or admin account it
    waits for another admin, so no single account can take over those. Whenever an
    admin makes a code, every other admin is told.
    """
    target = accounts.find_account(pseudonym)
    if target is None:
        raise errors.AccountError(_l("There is no account with that pseudonym."))
    if target.id == actor.id or target.role not in RESETTABLE_ROLES.get(actor.role, ()):
        raise errors.NotAllowed(
            _l("You can't issue a reset code for that account. Please ask an admin.")
        )
    is_admin = actor.role == Role.ADMIN
    approved = is_admin and target.role in APPROVED_AT_ONCE_BY_ADMINS
    code = recovery.issue_reset_code(
        target, issued_by=actor, approved=approved, now=now, valid_for=timedelta(hours=hours)
    )
    record(actor, "reset_code_issued", target, now=now)
    if is_admin:
        for admin_id in other_admins(actor):
            notify(admin_id, "reset_code_by_admin", now=now, link="/admin/audit")
    db.session.flush()
    return IssuedReset(code, needs_approval=not approved)


def other_admins(actor: Account) -> list[int]:
    """Return the ids of every admin but the actor."""
    return list(
        db.session.scalars(
            select(Account.id).where(Account.role == Role.ADMIN, Account.id != actor.id)
        )
    )


def pending_reset_codes(now: datetime) -> list[tuple[ResetCode, str, str | None]]:
    """Return the codes waiting for a second person (code, member, issuer), oldest first."""
    member, issuer = aliased(Account), aliased(Account)
    query = (
        select(ResetCode, member.pseudonym, issuer.pseudonym)
        .join(member, ResetCode.account_id == member.id)
        .outerjoin(issuer, ResetCode.issued_by_id == issuer.id)
        .where(ResetCode.approved_at.is_(None), ResetCode.expires_at > now)
        .order_by(ResetCode.created_at, ResetCode.id)
        .limit(PAGE_SIZE)
    )
    return [tuple(row) for row in db.session.execute(query)]


def open_reset_code(code_id: int, now: datetime) -> tuple[ResetCode, Account]:
    """Return an unexpired reset code and its account, or a calm refusal."""
    reset_code = db.session.get(ResetCode, code_id)
    if reset_code is None or reset_code.expires_at <= now:
        raise errors.AccountError(_l("That code is no longer waiting: it was used or withdrawn."))
    return reset_code, db.session.get(Account, reset_code.account_id)


def approve_reset_code(actor: Account, code_id: int, *, now: datetime) -> Account:
    """Approve someone else's reset code for an account within the actor's rights."""
    reset_code, target = open_reset_code(code_id, now)
    if target.id == actor.id or target.role not in RESETTABLE_ROLES.get(actor.role, ()):
        raise errors.NotAllowed(
            _l("You can't approve a reset code for that account. Please ask an admin.")
        )
    recovery.approve_reset_code(reset_code, actor, now=now)
    record(actor, "reset_code_approved", target, now=now)
    db.session.flush()
    return target


def withdraw_reset_code(actor: Account, code_id: int, *, now: datetime) -> Account:
    """Withdraw a reset code before it is used (its issuer, or an admin)."""
    reset_code, target = open_reset_code(code_id, now)
    if reset_code.issued_by_id != actor.id and actor.role != Role.ADMIN:
        raise errors.NotAllowed(
            _l("Only the person who made a code, or an admin, can withdraw it.")
        )
    db.session.delete(reset_code)
    record(actor, "reset_code_withdrawn", target, now=now)
    db.session.flush()
    return target


def record_reset_use(account: Account, reset_code: ResetCode, now: datetime) -> None:
    """Write who issued and who approved the reset code that was just used on the account."""
    db.session.add(
        AuditEntry(
            actor_id=reset_code.issued_by_id,
            approver_id=reset_code.approved_by_id,
            target_id=account.id,
            action="reset_code_used",
            created_at=now,
        )
    )


def reset_history(account: Account) -> list[reset_log.ResetRecord]:
    """Return the resets of the account (who issued, who approved, when), newest first."""
    issuer, approver = aliased(Account), aliased(Account)
    query = (
        select(issuer.pseudonym, approver.pseudonym, AuditEntry.created_at)
        .outerjoin(issuer, AuditEntry.actor_id == issuer.id)
        .outerjoin(approver, AuditEntry.approver_id == approver.id)
        .where(AuditEntry.target_id == account.id, AuditEntry.action == "reset_code_used")
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE)
    )
    return [reset_log.ResetRecord(*row) for row in db.session.execute(query)]


def accounts_page(after_id: int | None) -> list[Account]:
    """Return one page of accounts for the roles screen (keyset pagination by id)."""
    query = select(Account).order_by(Account.id).limit(PAGE_SIZE + 1)
    if after_id is not None:
        query = query.where(Account.id > after_id)
    return list(db.session.scalars(query))


def audit_page(
    before_id: int | None,
) -> list[tuple[AuditEntry, str | None, str | None, str | None]]:
    """Return one page of audit entries, newest first, with actor, target, approver pseudonyms."""
    actor, target, approver = aliased(Account), aliased(Account), aliased(Account)
    query = (
        select(AuditEntry, actor.pseudonym, target.pseudonym, approver.pseudonym)
        .outerjoin(actor, AuditEntry.actor_id == actor.id)
        .outerjoin(target, AuditEntry.target_id == target.id)
        .outerjoin(approver, AuditEntry.approver_id == approver.id)
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
            (AuditEntry.target_id == account.id)
            | (AuditEntry.actor_id == account.id)
            | (AuditEntry.approver_id == account.id)
        )
    )
    return [
        {
            "action": e.action,
            "detail": e.detail,
            "created_at": e.created_at.isoformat(),
            "by_you": e.actor_id == account.id,
            "about_you": e.target_id == account.id,
            "approved_by_you": e.approver_id == account.id,
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
    db.session.execute(
        db.update(AuditEntry).where(AuditEntry.approver_id == account.id).values(approver_id=None)
    )


def old_entries(now: datetime, days: int):
    return AuditEntry.created_at < now - timedelta(days=days)


registry.register("audit_log", export=export_audit, delete=unlink_audit)
reset_log.register(record=record_reset_use, history=reset_history)
registry.register_purger(
    "log",
    "admin log entries",
    count=lambda now, days: registry.count_where(AuditEntry, old_entries(now, days)),
    batch=lambda now, days, size: len(
        registry.delete_batch(AuditEntry, old_entries(now, days), size)
    ),
)
