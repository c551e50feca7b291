"""Every domain's models in one import, for Alembic and `flask shell`. No definitions here."""

from advocacy.accounts.models import Account, Invite, RecoveryCode, ResetCode
from advocacy.moderation.models import ModerationEntry
from advocacy.notices.models import Notice
from advocacy.staff.models import AuditEntry
from advocacy.stories.models import Story, StoryPreference, StoryReport

__all__ = [
    "Account",
    "AuditEntry",
    "Invite",
    "ModerationEntry",
    "Notice",
    "RecoveryCode",
    "ResetCode",
    "Story",
    "StoryPreference",
    "StoryReport",
]
