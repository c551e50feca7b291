"""The calm refusals of the accounts domain; every message can be shown as it is."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from advocacy.domain import DomainError


class AccountError(DomainError):
    """A refused account action."""


class LoginFailed(AccountError):
    message = _l("That pseudonym and password don't match. Please try again.")


class InviteInvalid(AccountError):
    message = _l(
        "That invite code can't be used. It may have expired or been used up. "
        "Please ask the person who gave it to you for a new one."
    )


class PseudonymTaken(AccountError):
    message = _l("That pseudonym is taken. Please choose another, or ask for a suggestion.")


class Refused(AccountError):
    """One field breaks one or more rules; `messages` holds every problem, to show at once."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(messages[0])
        self.messages = list(messages)


class PseudonymRefused(Refused):
    """The pseudonym breaks rules (length, characters, look-alike, taken, reserved)."""


class PasswordRefused(Refused):
    """The password breaks rules (length, common, built from names)."""


class JoinRefused(AccountError):
    """Joining is refused; `problems` maps each form field to every problem found in it."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__(next(iter(problems.values()))[0])
        self.problems = problems


class CodeInvalid(AccountError):
    message = _l("That code didn't work. Check it and try again; each code works only once.")


class NotAllowed(AccountError):
    message = _l("Your account can't do that.")


class AccountChanged(Exception):  # noqa: N818 (named for what happened, like the others)
    """An account was paused, removed, signed out or given another role mid-request.

    Not an AccountError: no view shows it as a form error (the page would be drawn for an
    account that may be gone). The app answers it itself (accounts/views/common.py):
    the signed-in account's own change ends its session; another account's says so.
    `account_ids`: every account that changed.
    """

    message = _l("Your account changed while this was being checked. Please sign in again.")

    def __init__(self, *account_ids: int) -> None:
        super().__init__(*account_ids)
        self.account_ids = frozenset(account_ids)


class AccountPaused(AccountError):
    """Said only after the right password, so it never tells anyone a name exists."""

    message = _l(
        "This account is paused. Please talk to a staff member you trust, "
        "or the person who invited you."
    )
