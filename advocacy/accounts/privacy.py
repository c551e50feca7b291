"""What the accounts domain holds about an account: export, deletion, summary, purge."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from advocacy import clock
from advocacy.accounts.models import Account, Invite, RecoveryCode, ResetCode, RetiredName
from advocacy.extensions import db
from advocacy.i18n import say_date
from advocacy.privacy import registry
from advocacy.privacy.rules import rule_for


def export_account(account: Account) -> dict:
    """Return the account's own fields (never hashes or secrets)."""
    recovery_codes = registry.count_where(RecoveryCode, RecoveryCode.account_id == account.id)
    reset_codes = registry.count_where(ResetCode, ResetCode.account_id == account.id)
    invites = db.session.scalars(select(Invite).where(Invite.created_by_id == account.id))
    issued = db.session.scalars(select(ResetCode).where(ResetCode.issued_by_id == account.id))
    approved = db.session.scalars(select(ResetCode).where(ResetCode.approved_by_id == account.id))
    return {
        "pseudonym": account.pseudonym,
        "role": account.role,
        "created_at": account.created_at.isoformat(),
        "last_login_on": account.last_login_on.isoformat() if account.last_login_on else None,
        "discreet_mode": account.is_discreet,
        "language": account.locale,
        "time_zone": account.timezone,
        "opens_stories_in_review": account.opens_stories_in_review,
        "second_factor": account.has_two_factor,
        "mentor_eligible": account.is_mentor_eligible,
        "unused_recovery_codes": recovery_codes,
        "unused_reset_codes": reset_codes,
        "refuses_staff_resets": account.refuses_staff_resets,
        # Codes this account made or approved for someone else: when, never for whom.
        "reset_codes_issued": [reset_code_dates(code) for code in issued],
        "reset_codes_approved": [reset_code_dates(code) for code in approved],
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


def reset_code_dates(code: ResetCode) -> dict:
    """Return when a reset code was made, approved and expires (nothing about whose it is)."""
    return {
        "created_at": code.created_at.isoformat(),
        "approved_at": code.approved_at.isoformat() if code.approved_at else None,
        "expires_at": code.expires_at.isoformat(),
    }


def delete_account(account: Account) -> None:
    """Delete the account row and its codes; invites and reset codes it made lose the link.

    A reset code it issued but nobody approved stays unapproved (it still needs a second
    person); one it approved keeps working until it expires.
    """
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    db.session.execute(db.delete(ResetCode).where(ResetCode.account_id == account.id))
    db.session.execute(
        db.update(ResetCode).where(ResetCode.issued_by_id == account.id).values(issued_by_id=None)
    )
    db.session.execute(
        db.update(ResetCode)
        .where(ResetCode.approved_by_id == account.id)
        .values(approved_by_id=None)
    )
    db.session.execute(
        db.update(Invite).where(Invite.created_by_id == account.id).values(created_by_id=None)
    )
    db.session.delete(account)


def deletion_date(account: Account) -> date:
    """Return when the account goes if its owner never signs in again."""
    last = account.last_login_on or clock.local_date(account.created_at)
    return last + timedelta(days=rule_for("account").days)


def summarize(account: Account) -> list[registry.Held]:
    """Say what the account itself holds and when it goes."""
    return [
        registry.Held(
            str(_l("Your account (pseudonym, password hash, settings, last sign-in date)")),
            1,
            str(
                _l(
                    "on %(day)s unless you sign in before then, or when you delete it",
                    day=say_date(deletion_date(account)),
                )
            ),
        ),
        registry.Held(
            str(_l("Unused recovery codes (scrambled)")),
            registry.count_where(RecoveryCode, RecoveryCode.account_id == account.id),
            str(_l("with your account, or when you make new ones")),
        ),
    ]


def inactive(now: datetime, days: int):
    """Accounts with no sign-in for `days` (or never, counted from joining)."""
    cutoff = clock.local_date(now) - timedelta(days=days)
    # By date, as the account page shows it: gone on last sign-in (or joining) + days.
    joined_by, _ = clock.local_span(cutoff + timedelta(days=1), cutoff + timedelta(days=1))
    return or_(
        Account.last_login_on <= cutoff,
        and_(Account.last_login_on.is_(None), Account.created_at < joined_by),
    )


def purge_inactive(now: datetime, days: int, size: int) -> int:
    """Delete a batch of inactive accounts with everything linked to them."""
    accounts = list(
        db.session.scalars(
            select(Account)
            .where(inactive(now, days))
            .order_by(Account.id)
            .limit(size)
            .with_for_update(skip_locked=True)
        )
    )
    for account in accounts:
        registry.delete_account(account, now=now)
    return len(accounts)


def spent_invites(now: datetime, days: int):
    return or_(Invite.uses_left <= 0, Invite.expires_at < now - timedelta(days=days))


def expired_reset_codes(now: datetime, days: int):
    return ResetCode.expires_at < now - timedelta(days=days)


def expired_retired_names(now: datetime, _days: int):
    """Names held back past their date (the period was fixed at removal)."""
    return RetiredName.retired_until <= now


registry.register("account", export=export_account, delete=delete_account, summary=summarize)
registry.register_purger(
    "account",
    "inactive accounts",
    count=lambda now, days: registry.count_where(Account, inactive(now, days)),
    batch=purge_inactive,
    # One account per transaction: its deletion locks meetings and programs in id order.
    max_batch=1,
)
registry.register_purger(
    "invite",
    "invite codes",
    count=lambda now, days: registry.count_where(Invite, spent_invites(now, days)),
    batch=lambda now, days, size: len(
        registry.delete_batch(Invite, spent_invites(now, days), size)
    ),
)
registry.register_purger(
    "reset_code",
    "reset codes",
    count=lambda now, days: registry.count_where(ResetCode, expired_reset_codes(now, days)),
    batch=lambda now, days, size: len(
        registry.delete_batch(ResetCode, expired_reset_codes(now, days), size)
    ),
)
registry.register_purger(
    "retired_name",
    "retired names",
    count=lambda now, days: registry.count_where(RetiredName, expired_retired_names(now, days)),
    batch=lambda now, days, size: len(
        registry.delete_batch(RetiredName, expired_retired_names(now, days), size)
    ),
)
