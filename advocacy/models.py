"""Every domain's models in one import, for Alembic and `flask shell`. No definitions here."""

from advocacy.accounts.models import Account, Invite, RecoveryCode, ResetCode
from advocacy.events.models import Event, Occurrence, Rsvp
from advocacy.notices.models import Notice
from advocacy.staff.models import AuditEntry

__all__ = [
    "Account",
    "AuditEntry",
    "Event",
    "Invite",
    "Notice",
    "Occurrence",
    "RecoveryCode",
    "ResetCode",
    "Rsvp",
]
