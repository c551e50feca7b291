"""Changing an account's role (admins; the mentor pathway's one action goes through here).

DESIGN §2 and §3 (Staff tools: each program and event has the staff who run it, and
only they and admins change it or see its roster). A role change applies at once: every
session of the account ends, reset codes made for its old role go, it is told, and the
audit log keeps "role_changed" with "old to new" (Role values, e.g. "staff to member").

Who runs what follows the role (events/hosts.py, HOST_ROLES: staff and admins):

- An account that stops being staff or admin no longer runs any program or event: its
  host rows are deleted in the same transaction, so that being made staff again later
  gives it nothing back (it would be refused, 404, as any other staff member is).
- None of them is left with no staff at all: where nobody else who may host runs it,
  the admin making the change becomes its host. The change itself is never refused for
  this (taking someone's rights away can be urgent, and admins run everything anyway,
  so taking over gives them no new right); the admin is told how many they took over,
  and can hand each one to someone else from its page.
- An account that becomes staff or admin again starts with no host rows: any left from
  before this rule (when rows outlived a role change) are deleted, and nobody takes
  them over (they counted for nothing while the account was not staff).
- Both are audited in the same log as the role change, as one "hosts_removed" entry
  about the account with counts only (the log holds no content; which programs and
  events is not kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from advocacy.accounts import errors
from advocacy.accounts.models import Account, ResetCode, Role
from advocacy.events.hosts import EVENT_HOSTS, HOST_ROLES
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.programs.hosts import PROGRAM_HOSTS
from advocacy.staff.services import record


@dataclass(frozen=True)
class HostsLeft:
    """How many programs and events an account no longer runs after its role change, and
    how many of those nobody else ran, so that the admin making the change took them over."""

    programs: int = 0
    events: int = 0
    programs_taken: int = 0
    events_taken: int = 0

    def detail(self) -> str:
        """The audit entry's detail, e.g. "2 programs, 1 event; taken over: 1 program"."""
        left = counted(self.programs, self.events)
        taken = counted(self.programs_taken, self.events_taken)
        return f"{left}; taken over: {taken}" if taken else left


def counted(programs: int, events: int) -> str:
    """Say "2 programs, 1 event" (the non-zero counts only; "" when both are zero)."""
    parts = [
        f"{number} {word}{'' if number == 1 else 's'}"
        for number, word in ((programs, "program"), (events, "event"))
        if number
    ]
    return ", ".join(parts)


@dataclass(frozen=True)
class RoleChange:
    """A role change done: the account (with its new role) and the hosts it left."""

    account: Account
    hosts_left: HostsLeft


def letting_go(target: Account, role: str) -> HostsLeft:
    """Say, writing nothing, which programs and events `target` would stop running if given
    `role`, and how many of those the admin making the change would take over (so the
    page that asks first can say it). Rows of an account that is not staff or admin count
    for nothing, so becoming staff or admin lets go of nothing."""
    if target.role not in HOST_ROLES or role in HOST_ROLES:
        return HostsLeft()
    programs, programs_alone = PROGRAM_HOSTS.letting_go(target.id)
    events, events_alone = EVENT_HOSTS.letting_go(target.id)
    return HostsLeft(programs, events, programs_alone, events_alone)


def change_role(
    actor: Account,
    target_id: int,
    role: str,
    *,
    now: datetime,
    notice: str = "role_changed",
    link: str | None = None,
) -> RoleChange:
    """Give an account a new role, with what follows from it (this module's docstring).

    The account is told with `notice` (a notices kind; `role` is its parameter) and `link`.
    AccountError, nothing written: an unknown role, an account that is gone, or the
    actor's own account. The same role again writes nothing.
    """
    if role not in {r.value for r in Role}:
        raise errors.AccountError(_l("Choose one of the listed roles."))
    target = db.session.get(Account, target_id, with_for_update=True)
    if target is None:
        raise errors.AccountError(_l("That account no longer exists."))
    if target.id == actor.id:
        raise errors.NotAllowed(_l("You can't change your own role. Ask another admin."))
    previous = target.role
    if previous == role:
        return RoleChange(target, HostsLeft())
    target.role = role
    target.rotate_session_token()
    # A reset code was allowed for the old role; it must not reach the new one.
    db.session.execute(db.delete(ResetCode).where(ResetCode.account_id == target.id))
    record(actor, "role_changed", target, now=now, detail=f"{previous} to {role}")
    left = HostsLeft()
    if (previous in HOST_ROLES) != (role in HOST_ROLES):
        taker = actor.id if previous in HOST_ROLES else None
        programs, programs_taken = PROGRAM_HOSTS.release(target.id, taker)
        events, events_taken = EVENT_HOSTS.release(target.id, taker)
        left = HostsLeft(programs, events, programs_taken, events_taken)
        if programs or events:
            record(actor, "hosts_removed", target, now=now, detail=left.detail())
    notify(target.id, notice, now=now, link=link, role=role)
    db.session.flush()
    return RoleChange(target, left)
