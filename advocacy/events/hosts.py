"""Who runs an event: one rule for every route that changes it or shows its people.

DESIGN §3 (Staff tools): each program and event has the staff who run it, its creator
plus the co-hosts its creator or an admin adds; only they and admins change it, take
attendance or see who comes. Admins run everything; a staff member runs an event only
as one of its hosts; members and mentors never do, whatever rows exist. An event of a
program (a program meeting) has no hosts of its own: the program's hosts run it,
whoever scheduled it. The programs domain says which programs an account hosts
(register_program_hosts), since events never import programs.

`HostTable` holds the rows and rules both domains share (programs/hosts.py uses it
for `program_hosts`): who is listed, adding by pseudonym, removing, each change audited,
and letting go of an account whose role changed (staff/roles.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, select

from advocacy.accounts import services as accounts
from advocacy.accounts.models import Account, Role
from advocacy.domain import DomainError
from advocacy.events.models import Event, EventHost
from advocacy.extensions import db
from advocacy.staff.services import record

# The roles that may be hosts; a host row of an account with another role counts for nothing.
HOST_ROLES = (Role.STAFF, Role.ADMIN)


class HostError(DomainError):
    """A refused change of who runs a program or an event."""


class NotStaff(HostError):
    # One answer for "no such account" and "not staff": a member's pseudonym says nothing.
    message = _l(
        "There is no staff or admin account with that pseudonym. "
        "Only staff and admins can run programs and events."
    )


class LastHost(HostError):
    message = _l(
        "Someone has to run it: this is the only person who does. "
        "Add someone else first, then remove them."
    )


class MayNotChooseHosts(HostError):
    message = _l("Only the person who created it, or an admin, can change who runs it.")


@dataclass(frozen=True)
class HostAdded:
    """What adding a host did: `is_new` is False when they already helped run it (then
    nothing was written)."""

    account: Account
    is_new: bool


@dataclass(frozen=True)
class HostTable:
    """The host rows of one kind of thing: `model` rows whose `key` column names a `parent`.

    `what` ("event", "program") goes into audit entries with the parent's id.
    """

    model: Any  # EventHost or ProgramHost
    key: str  # "event_id" or "program_id"
    parent: Any  # Event or Program
    what: str

    @property
    def column(self):
        return getattr(self.model, self.key)

    def hosted_by(self, account_id: int) -> Select:
        """Return a query of the parent ids the account hosts (whatever its role now)."""
        return select(self.column).where(self.model.account_id == account_id)

    def is_host(self, account_id: int, parent_id: int) -> bool:
        """Return whether the account has a host row for the parent."""
        return bool(
            db.session.scalar(
                select(
                    exists().where(self.column == parent_id, self.model.account_id == account_id)
                )
            )
        )

    def listing(self, parent_id: int) -> list[tuple[int, str]]:
        """Return (account id, pseudonym) of the hosts who are staff or admin, first added first."""
        rows = db.session.execute(
            select(Account.id, Account.pseudonym)
            .join(self.model, self.model.account_id == Account.id)
            .where(self.column == parent_id, Account.role.in_(HOST_ROLES))
            .order_by(self.model.id)
        )
        return [tuple(row) for row in rows]

    def lock(self, parent_id: int) -> Any:
        """Load the parent and hold its row, so two changes of its hosts take turns."""
        return db.session.scalar(
            select(self.parent)
            .where(self.parent.id == parent_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    def add(self, actor: Account, parent_id: int, pseudonym: str, *, now: datetime) -> HostAdded:
        """Make the staff or admin account with this pseudonym (any case, any look-alike) a
        host, and audit it. Someone already a host stays one: nothing is written, and
        `is_new` is False so that the page says so rather than that something happened.

        NotStaff for any other pseudonym (no account, a member, a mentor).
        """
        self.lock(parent_id)
        target = accounts.find_account(pseudonym)
        if target is None or target.role not in HOST_ROLES:
            raise NotStaff()
        if self.is_host(target.id, parent_id):
            return HostAdded(target, is_new=False)
        db.session.add(self.model(**{self.key: parent_id, "account_id": target.id}))
        record(actor, "host_added", target, now=now, detail=f"{self.what} {parent_id}")
        db.session.flush()
        return HostAdded(target, is_new=True)

    def remove(
        self, actor: Account, parent_id: int, account_id: int, *, now: datetime
    ) -> Account | None:
        """Remove a host and audit it; return the account removed. None when the id is no
        host of it (or no account): nothing is written, and whose id it was is never said
        (walking ids would list every pseudonym). LastHost when nobody else would be left.
        """
        self.lock(parent_id)
        target = db.session.get(Account, account_id)
        if target is None or not self.is_host(account_id, parent_id):
            return None
        if [host for host, _ in self.listing(parent_id) if host != account_id] == []:
            raise LastHost()
        db.session.execute(
            db.delete(self.model).where(
                self.column == parent_id, self.model.account_id == account_id
            )
        )
        record(actor, "host_removed", target, now=now, detail=f"{self.what} {parent_id}")
        db.session.flush()
        return target

    def forget(self, account_id: int) -> None:
        """Delete every host row of an account (its deletion)."""
        db.session.execute(db.delete(self.model).where(self.model.account_id == account_id))

    def left_alone(self, account_id: int, parent_ids: list[int]) -> list[int]:
        """Return those of `parent_ids` that no one but the account runs (no other host
        who is staff or admin), in the order given."""
        staffed = set(
            db.session.scalars(
                select(self.column)
                .join(Account, Account.id == self.model.account_id)
                .where(
                    self.column.in_(parent_ids),
                    self.model.account_id != account_id,
                    Account.role.in_(HOST_ROLES),
                )
            )
        )
        return [parent_id for parent_id in parent_ids if parent_id not in staffed]

    def letting_go(self, account_id: int) -> tuple[int, int]:
        """Say what release() would do, writing nothing: (how many the account has rows
        for, how many of those no one else runs)."""
        parent_ids = list(db.session.scalars(self.hosted_by(account_id)))
        if not parent_ids:
            return 0, 0
        return len(parent_ids), len(self.left_alone(account_id, parent_ids))

    def release(self, account_id: int, taker_id: int | None) -> tuple[int, int]:
        """Delete every host row of an account whose role changed (staff/roles.py says
        when); where nobody else who may host is left, `taker_id` (the admin making the
        change) becomes a host instead, so that none is left with no staff at all; with
        `taker_id` None, nobody takes over.

        Return (how many it had rows for, how many of those the taker took over). Each of
        them is locked first, so a host change of the same one waits its turn. The caller
        audits.
        """
        parent_ids = list(db.session.scalars(self.hosted_by(account_id)))
        if not parent_ids:
            return 0, 0
        db.session.execute(
            select(self.parent.id)
            .where(self.parent.id.in_(parent_ids))
            .order_by(self.parent.id)
            .with_for_update()
        )
        unstaffed = [] if taker_id is None else self.left_alone(account_id, parent_ids)
        self.forget(account_id)
        db.session.add_all(
            self.model(**{self.key: parent_id, "account_id": taker_id}) for parent_id in unstaffed
        )
        db.session.flush()
        return len(parent_ids), len(unstaffed)


EVENT_HOSTS = HostTable(EventHost, "event_id", Event, "event")

# The programs domain supplies: (account id, program id) -> whether the account hosts it.
_program_host: Callable[[int, int], bool] | None = None


def register_program_hosts(is_host: Callable[[int, int], bool]) -> None:
    """Let the programs domain say whether an account hosts a program."""
    global _program_host  # set once at import, like register_program_membership
    _program_host = is_host


def runs(viewer: Account | None, event: Event) -> bool:
    """Return whether the viewer runs the event: admins always; staff when a host (of the
    event, or of its program for a program meeting); anyone else never.

    Fails closed: with no programs domain registered, no staff member runs a meeting.
    """
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.role == Role.ADMIN:
        return True
    if viewer.role != Role.STAFF:
        return False
    if event.program_id is None:
        return EVENT_HOSTS.is_host(viewer.id, event.id)
    return _program_host is not None and _program_host(viewer.id, event.program_id)


def may_choose_hosts(viewer: Account | None, event: Event) -> bool:
    """Return whether the viewer may add or remove the event's co-hosts: an admin, or its
    creator while running it. A program meeting's hosts are the program's (chosen there)."""
    if event.program_id is not None or not runs(viewer, event):
        return False
    return viewer.role == Role.ADMIN or event.created_by_id == viewer.id


def hosts(event: Event) -> list[tuple[int, str]]:
    """Return (account id, pseudonym) of the event's hosts (none for a program meeting)."""
    return [] if event.program_id is not None else EVENT_HOSTS.listing(event.id)


def add_host(actor: Account, event: Event, pseudonym: str, *, now: datetime) -> HostAdded:
    """Add a co-host to an event (see HostTable.add); MayNotChooseHosts unless the actor may."""
    if not may_choose_hosts(actor, event):
        raise MayNotChooseHosts()
    return EVENT_HOSTS.add(actor, event.id, pseudonym, now=now)


def remove_host(actor: Account, event: Event, account_id: int, *, now: datetime) -> Account | None:
    """Remove one of an event's hosts (see HostTable.remove); MayNotChooseHosts unless the
    actor may."""
    if not may_choose_hosts(actor, event):
        raise MayNotChooseHosts()
    return EVENT_HOSTS.remove(actor, event.id, account_id, now=now)
