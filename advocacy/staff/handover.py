"""When a staff or admin account is deleted, what it alone ran is handed to an admin, as
a role change does (staff/roles.py; DESIGN §3 Staff tools: each program and event has
the staff who run it).

However the account goes (its owner deletes it, an admin removes it, the purge of
inactive accounts takes it: privacy/registry.py delete_account), before its host rows go:

- each program and event that no other staff or admin runs gets an admin as its host:
  the admin removing the account, or else the longest-standing admin (lowest id) who is
  not paused and is not the account itself (a paused admin cannot sign in to run it);
- the audit log keeps one entry about the admin who takes over, with counts only ("1
  program, 1 event"): "hosts_taken_over" by the admin who removed the account (shown as by
  a deleted account once that admin is deleted too), or "hosts_handed_over" by nobody when
  its owner or the purge deleted it (shown as happening by itself). The admin who takes
  over gets a notice saying how many, unless they removed the account themself (their
  confirmation page said so before). Neither names the deleted account, nor keeps
  anything else about it;
- with no such admin, the host rows simply go: the programs and events stay with nobody
  named (admins run everything, so one made later runs them, and can add staff from each
  one's page), and the log keeps one "hosts_left_unstaffed" entry, by nobody, with the
  counts, so the admins of later can tell;
- the host rows of an account that is not staff or admin count for nothing (roles.py):
  they go with it, nobody takes over, nothing is logged.

Nothing here ever refuses: a survivor's deletion is never held up.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from advocacy.accounts.models import Account, Role
from advocacy.events.hosts import EVENT_HOSTS, HOST_ROLES
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.privacy import registry
from advocacy.programs.hosts import PROGRAM_HOSTS
from advocacy.staff.roles import HostsLeft, counted
from advocacy.staff.services import record


def taker_for(account: Account, by: Account | None) -> int | None:
    """Return the id of the admin who takes over from `account`: `by` when an admin removes
    it, else the longest-standing admin who is not paused and is not `account`; None when
    there is none."""
    if by is not None and by.role == Role.ADMIN and by.id != account.id:
        return by.id
    return db.session.scalar(
        select(Account.id)
        .where(Account.role == Role.ADMIN, Account.paused_at.is_(None), Account.id != account.id)
        .order_by(Account.id)
        .limit(1)
        # Held until the commit (PostgreSQL; SQLite writes one at a time): the admin
        # cannot be deleted meanwhile, which would fail this deletion on its new rows.
        .with_for_update(key_share=True)
    )


def hand_over(account: Account, now: datetime, by: Account | None = None) -> HostsLeft:
    """Hand what `account` alone ran to an admin, before it is deleted (this module's
    docstring); return the counts. Registered with the privacy registry."""
    if account.role not in HOST_ROLES:
        return HostsLeft()  # its rows count for nothing; they go with the account
    taker = taker_for(account, by)
    if taker is None:  # said before the rows go: which had nobody else
        alone = PROGRAM_HOSTS.letting_go(account.id)[1], EVENT_HOSTS.letting_go(account.id)[1]
    programs, programs_taken = PROGRAM_HOSTS.release(account.id, taker)
    events, events_taken = EVENT_HOSTS.release(account.id, taker)
    if programs_taken or events_taken:
        # About the admin who takes over: by the admin who removed the account, else by
        # nobody (its owner or the purge deleted it), an action of its own so the log tells
        # the two apart when that admin is gone too (both ids then empty).
        admin = db.session.get(Account, taker)
        detail = counted(programs_taken, events_taken)
        if by is not None and by.id == taker:
            record(by, "hosts_taken_over", admin, now=now, detail=detail)
        else:
            record(None, "hosts_handed_over", admin, now=now, detail=detail)
            notify(taker, "hosts_taken_over", now=now, programs=programs_taken, events=events_taken)
    elif taker is None and any(alone):
        record(None, "hosts_left_unstaffed", None, now=now, detail=counted(*alone))
    return HostsLeft(programs, events, programs_taken, events_taken)


registry.register_handover(hand_over)
