"""Program places hold under real concurrency: many requests at once against gunicorn.

Thirty members, each on their own connection, ask at the same instant for a place in a
program with five, served by two gunicorn workers with eight threads each. Exactly five
get a place, twenty-five wait in the order their requests were written, and the
program's `taken` agrees with the rows. Then one member with a place withdraws: exactly
one person, the first waiting, is promoted and told. A double-clicked request makes one
row, not two and not an error.

Runs unchanged on SQLite and, in the PostgreSQL pass, on PostgreSQL. The HTTP client,
the starting barrier and the log checks are the events concurrency test's.
"""

from __future__ import annotations

import re
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from advocacy.database import utcnow
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.programs.models import Enrollment, EnrollmentStatus, Program
from tests.events.test_concurrency import Member, all_at_once, assert_quiet, wait_for_workers
from tests.support.accounts import make_account
from tests.support.gunicorn import run_gunicorn
from tests.support.programs import make_program
from tests.support.reports import totals

pytestmark = pytest.mark.gunicorn

MEMBERS, CAPACITY = 30, 5
WORKERS, THREADS = 2, 8
QUEUE_NUMBER = re.compile(r"waiting list \(number (\d+)\)")


@dataclass(frozen=True)
class State:
    """What the database says about one program."""

    taken: int
    confirmed: list[tuple[int, int]]  # (enrollment id, account id), by id
    waitlisted: list[tuple[int, int]]
    # (account id, kind, link) of every notice, by id
    notices: list[tuple[int, str, str | None]]

    @property
    def confirmed_accounts(self) -> list[int]:
        return [account for _, account in self.confirmed]

    @property
    def waitlisted_accounts(self) -> list[int]:
        return [account for _, account in self.waitlisted]


def state_of(app, program_id: int) -> State:
    with app.app_context():
        taken = db.session.scalar(select(Program.taken).where(Program.id == program_id))
        rows = db.session.execute(
            select(Enrollment.id, Enrollment.account_id, Enrollment.status)
            .where(Enrollment.program_id == program_id)
            .order_by(Enrollment.id)
        ).all()
        notices = db.session.execute(
            select(Notice.account_id, Notice.kind, Notice.link).order_by(Notice.id)
        ).all()
        db.session.remove()
    # No approval needed: nobody is left pending.
    assert {status for _, _, status in rows} <= {
        EnrollmentStatus.CONFIRMED,
        EnrollmentStatus.WAITLISTED,
    }
    return State(
        taken=taken,
        confirmed=[(i, a) for i, a, s in rows if s == EnrollmentStatus.CONFIRMED],
        waitlisted=[(i, a) for i, a, s in rows if s == EnrollmentStatus.WAITLISTED],
        notices=[tuple(row) for row in notices],
    )


def assert_full_and_consistent(state: State) -> None:
    """Exactly full, `taken` agrees with the rows, nobody holds two enrollments."""
    assert state.taken == CAPACITY == len(state.confirmed)
    everyone = state.confirmed_accounts + state.waitlisted_accounts
    assert len(everyone) == len(set(everyone)), "someone holds two enrollments"
    # First come, first served: every place went to a row written before any queued one.
    assert max(i for i, _ in state.confirmed) < min(i for i, _ in state.waitlisted)


def post_job(member: Member, path: str):
    member.connect()
    return lambda: member.send("POST", path)


def assert_back_on_program(answers, program_id: int) -> None:
    """Every answer is a 303 back to the program page (no 500, no refusal page)."""
    for status, location, body in answers:
        assert status == 303, (status, body[:500])
        assert urllib.parse.urlsplit(location).path == f"/programs/{program_id}"


def queue_numbers(members: list[Member], program_id: int) -> list[int | None]:
    """Each member's number on the waiting list, as their program page shows it."""
    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda m: m.send("GET", f"/programs/{program_id}"), members))
    numbers = []
    for status, _, body in pages:
        assert status == 200
        found = QUEUE_NUMBER.search(body)
        numbers.append(int(found.group(1)) if found else None)
    return numbers


def test_thirty_requests_for_five_places_then_a_withdrawal(app, tmp_path, database_url):
    staff = make_account(app, "maple-staff", role="staff")
    accounts = [make_account(app, f"member-{n:02d}") for n in range(MEMBERS)]
    program = make_program(app, staff.id, now=utcnow(), capacity=CAPACITY).id
    enroll, withdraw = f"/programs/{program}/enroll", f"/programs/{program}/withdraw"
    env = {
        "ADVOCACY_ENV": "test",
        "ADVOCACY_DATABASE_URL": database_url,
        "ADVOCACY_WORKERS": str(WORKERS),
        "ADVOCACY_THREADS": str(THREADS),
        "ADVOCACY_WORKER_CLASS": "gthread",
        "ADVOCACY_LOG_LEVEL": "info",
    }
    with run_gunicorn(tmp_path, env) as server:
        wait_for_workers(server, WORKERS)
        members = [Member(account, server.url) for account in accounts]
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(Member.sign_in, members))
        by_account = {member.account.id: member for member in members}

        # 1. Thirty requests at the same instant for five places.
        assert_back_on_program(all_at_once([post_job(m, enroll) for m in members]), program)
        first = state_of(app, program)
        assert_full_and_consistent(first)
        assert len(first.waitlisted) == MEMBERS - CAPACITY
        assert set(first.confirmed_accounts + first.waitlisted_accounts) == set(by_account)
        assert first.notices == []  # nobody was promoted; a plain request leaves no notice
        # Each waiting member sees their number, in the order the rows were written.
        waiting = [by_account[a] for a in first.waitlisted_accounts]
        assert queue_numbers(waiting, program) == list(range(1, MEMBERS - CAPACITY + 1))

        # 2. One member with a place withdraws: the first waiting, and only they, move up.
        leaving, head = first.confirmed_accounts[0], first.waitlisted_accounts[0]
        assert_back_on_program(
            [by_account[leaving].send("POST", withdraw, {"confirm": "yes"})], program
        )
        second = state_of(app, program)
        assert_full_and_consistent(second)
        assert second.confirmed_accounts == first.confirmed_accounts[1:] + [head]
        assert second.waitlisted == first.waitlisted[1:]
        assert second.notices == [(head, "waitlist_promoted", f"/programs/{program}")]
        assert queue_numbers(waiting[1:], program) == list(range(1, MEMBERS - CAPACITY))

        # 3. The member who left asks again with a double click: one row, at the back.
        # Two tabs of one session: the same cookie, two connections.
        tabs = [
            Member(by_account[leaving].account, server.url, dict(by_account[leaving].cookies))
            for _ in range(2)
        ]
        answers = all_at_once([post_job(tab, enroll) for tab in tabs])
        assert_back_on_program(answers, program)
        third = state_of(app, program)
        assert_full_and_consistent(third)
        assert third.confirmed == second.confirmed
        assert third.waitlisted_accounts == second.waitlisted_accounts + [leaving]
        assert third.notices == second.notices
        assert queue_numbers([by_account[leaving]], program) == [MEMBERS - CAPACITY]
        assert_quiet(server)
    # The counts for reports moved with each write, none lost to a request beside it: 31
    # requests (the double click's refused copy counts nothing), 5 places then 1 from the
    # queue, 25 waits then 1, 1 withdrawal.
    assert totals(app, program) == {
        "requested": MEMBERS + 1,
        "place_given": CAPACITY + 1,
        "waitlisted": MEMBERS - CAPACITY + 1,
        "withdrawn": 1,
    }
