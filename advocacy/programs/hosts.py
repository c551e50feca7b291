"""Who runs a program, and so its meetings: the rule of advocacy/events/hosts.py.

Admins run every program; a staff member runs one only as one of its hosts (its
creator, or a co-host the creator or an admin added); members and mentors never do.
Only those who run a program change it, schedule its meetings, see its roster, decide
on requests and take attendance, at its meetings too, whoever scheduled them.
"""

from __future__ import annotations

from datetime import datetime

from advocacy.accounts.models import Account, Role
from advocacy.events import hosts as event_hosts
from advocacy.events.hosts import HostAdded, HostTable, MayNotChooseHosts
from advocacy.programs.models import Program, ProgramHost

PROGRAM_HOSTS = HostTable(ProgramHost, "program_id", Program, "program")


def runs(viewer: Account | None, program: Program) -> bool:
    """Return whether the viewer runs the program: admins always, staff when a host."""
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.role == Role.ADMIN:
        return True
    return viewer.role == Role.STAFF and PROGRAM_HOSTS.is_host(viewer.id, program.id)


def may_choose_hosts(viewer: Account | None, program: Program) -> bool:
    """Return whether the viewer may add or remove co-hosts: an admin, or the program's
    creator while running it (a co-host may not)."""
    if not runs(viewer, program):
        return False
    return viewer.role == Role.ADMIN or program.created_by_id == viewer.id


def hosts(program: Program) -> list[tuple[int, str]]:
    """Return (account id, pseudonym) of the program's hosts, first added first."""
    return PROGRAM_HOSTS.listing(program.id)


def add_host(actor: Account, program: Program, pseudonym: str, *, now: datetime) -> HostAdded:
    """Add a co-host (see HostTable.add); MayNotChooseHosts unless the actor may."""
    if not may_choose_hosts(actor, program):
        raise MayNotChooseHosts()
    return PROGRAM_HOSTS.add(actor, program.id, pseudonym, now=now)


def remove_host(
    actor: Account, program: Program, account_id: int, *, now: datetime
) -> Account | None:
    """Remove one of the program's hosts (see HostTable.remove); MayNotChooseHosts unless
    the actor may."""
    if not may_choose_hosts(actor, program):
        raise MayNotChooseHosts()
    return PROGRAM_HOSTS.remove(actor, program.id, account_id, now=now)


# A program's meetings are run by the program's hosts.
event_hosts.register_program_hosts(PROGRAM_HOSTS.is_host)
