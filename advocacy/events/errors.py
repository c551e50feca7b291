"""What an event action can refuse, each with the calm sentence a member or staff reads."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from advocacy.domain import DomainError


class EventError(DomainError):
    """A refused event action."""


class EventNotOpen(EventError):
    message = _l(
        "This meeting has already started, ended or been cancelled, so it can't take RSVPs."
    )


class AlreadyResponded(EventError):
    message = _l("You have already RSVP'd to this meeting.")


class NoRsvp(EventError):
    message = _l("You don't have an RSVP for this meeting.")


class ScheduleInvalid(EventError):
    """The times or recurrence given don't make a schedule; `field` names the form field
    the message belongs beside ("day" unless the refusal says another)."""

    field = "day"

    def __init__(self, message: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field
