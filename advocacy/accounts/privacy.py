"""What the accounts domain holds about an account, for export and deletion."""

from __future__ import annotations

from sqlalchemy import func, select

from advocacy.accounts.models import Account, Invite, RecoveryCode, ResetCode
from advocacy.extensions import db
from advocacy.privacy import registry


def export_account(account: Account) -> dict:
    """Return the account's own fields (never hashes or secrets)."""
    recovery_codes = db.session.scalar(
        select(func.count()).select_from(RecoveryCode).where(RecoveryCode.account_id == account.id)
    )
    reset_codes = db.session.scalar(
        select(func.count()).select_from(ResetCode).where(ResetCode.account_id == account.id)
    )
    invites = db.session.scalars(select(Invite).where(Invite.created_by_id == account.id))
    return {
        "pseudonym": account.pseudonym,
        "role": account.role,
        "created_at": account.created_at.isoformat(),
        "last_login_on": account.last_login_on.isoformat() if account.last_login_on else None,
        "discreet_mode": account.is_discreet,
        "language": account.locale,
        "second_factor": account.has_two_factor,
        "unused_recovery_codes": recovery_codes,
        "unused_reset_codes": reset_codes,
        "invites_created": [
            {
                "role": invite.role,
                "uses_left": invite.uses_left,
                "expires_at": invite.expires_at.isoformat(),
                "created_at": invite.created_at.isoformat(),
            }
            for invite in invites
        ],
    }


def delete_account(account: Account) -> None:
    """Delete the account row; its codes go with it (ON DELETE CASCADE), invites lose the link."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    db.session.execute(db.delete(ResetCode).where(ResetCode.account_id == account.id))
    db.session.execute(
        db.update(Invite).where(Invite.created_by_id == account.id).values(created_by_id=None)
    )
    db.session.delete(account)


registry.register("account", export=export_account, delete=delete_account)
