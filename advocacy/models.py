"""Every domain's models in one import, for Alembic and `flask shell`. No definitions here."""

from advocacy.accounts.models import Account, Invite, RecoveryCode, ResetCode
from advocacy.events.models import Event, EventHost, Occurrence, Rsvp
from advocacy.help.models import Resource, ResourceWord
from advocacy.moderation.models import ModerationEntry
from advocacy.notices.models import Notice
from advocacy.once import SentForm
from advocacy.privacy.models import PurgeRun
from advocacy.programs.models import CompletionLetter, Enrollment, Program, ProgramHost
from advocacy.reports.models import MonthlyCount
from advocacy.staff.models import AuditEntry
from advocacy.stories.models import Story, StoryPreference, StoryReport

__all__ = [
    "Account",
    "AuditEntry",
    "CompletionLetter",
    "Enrollment",
    "Event",
    "EventHost",
    "Invite",
    "ModerationEntry",
    "MonthlyCount",
    "Notice",
    "Occurrence",
    "Program",
    "ProgramHost",
    "PurgeRun",
    "RecoveryCode",
    "ResetCode",
    "Resource",
    "ResourceWord",
    "Rsvp",
    "SentForm",
    "Story",
    "StoryPreference",
    "StoryReport",
]
