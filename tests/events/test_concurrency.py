"""Capacity holds under real concurrency: many RSVPs at once against gunicorn with threads.

Fifty members, each on their own connection, RSVP at the same instant to a meeting with
ten places, served by two gunicorn workers with eight threads each. Exactly ten get a
place, forty wait in the order they came, and `taken` agrees with the rows. Then places
are given up while others RSVP: each freed place goes to the next person waiting, once.

Fifty members RSVP to a whole series of three such meetings at once: every meeting ends
exactly full, each of the fifty confirmed or waiting once in each meeting.

Runs unchanged on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import http.client
import re
import threading
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from advocacy.database import utcnow
from advocacy.events.models import Occurrence, Rsvp, RsvpStatus
from advocacy.extensions import db
from advocacy.notices.models import Notice
from tests.support.accounts import MadeAccount, make_account
from tests.support.ceiling import CEILING_SECONDS
from tests.support.events import make_event
from tests.support.gunicorn import GunicornServer, run_gunicorn, wait_for_workers

pytestmark = pytest.mark.gunicorn

MEMBERS, CAPACITY = 50, 10
WORKERS, THREADS = 2, 8
COOKIE = "advocacy_session"
# Anything of these in gunicorn's or the app's output is a failure.
TROUBLE = re.compile(r"Traceback|\[(ERROR|CRITICAL|WARNING)\]|WORKER TIMEOUT|Exception|error", re.I)
QUEUE_NUMBER = re.compile(r"waiting list \(number (\d+)\)")


@dataclass
class Member:
    """One member's account and browser-like session against the server."""

    account: MadeAccount
    url: str
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def connect(self) -> None:
        """Open this member's own connection now (before the starting signal)."""
        parts = urllib.parse.urlsplit(self.url)
        self.connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=CEILING_SECONDS
        )
        self.connection.connect()

    def send(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """Send one request on this member's connection; return status, Location, body."""
        if self.connection is None:
            self.connect()
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            # A fresh connection for the next request: gunicorn's keep-alive is short.
            self.connection.close()
            self.connection = None
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text

    def sign_in(self) -> None:
        status, location, _ = self.send(
            "POST",
            "/login",
            {"pseudonym": self.account.pseudonym, "password": self.account.password},
        )
        assert (status, urllib.parse.urlsplit(location).path) == (303, "/"), status
        assert self.cookies.get(COOKIE)


def all_at_once(jobs: list[Callable[[], tuple[int, str, str]]]) -> list[tuple[int, str, str]]:
    """Run every job on its own thread, released together; return the answers in order."""
    start = threading.Barrier(len(jobs), timeout=CEILING_SECONDS)

    def run(job):
        start.wait()
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def rsvp_job(member: Member, occurrence_id: int) -> Callable[[], tuple[int, str, str]]:
    member.connect()
    return lambda: member.send("POST", f"/events/{occurrence_id}/rsvp")


def cancel_job(member: Member, occurrence_id: int) -> Callable[[], tuple[int, str, str]]:
    member.connect()
    return lambda: member.send("POST", f"/events/{occurrence_id}/rsvp/cancel")


def cancel_then_rsvp_job(member: Member, occurrence_id: int) -> Callable[[], tuple]:
    member.connect()

    def job():
        cancelled = member.send("POST", f"/events/{occurrence_id}/rsvp/cancel")
        again = member.send("POST", f"/events/{occurrence_id}/rsvp")
        return cancelled, again

    return job


def assert_redirected_to_event(answers, occurrence_id: int) -> None:
    """Every answer is a 303 back to the meeting (no 500, no refusal)."""
    for status, location, body in answers:
        assert status == 303, (status, body[:500])
        assert urllib.parse.urlsplit(location).path == f"/events/{occurrence_id}"


@dataclass(frozen=True)
class State:
    """What the database says about one occurrence."""

    taken: int
    confirmed: list[tuple[int, int]]  # (rsvp id, account id), by id
    waitlisted: list[tuple[int, int]]
    promoted: dict[int, int]  # account id -> waitlist_promoted notices about this meeting

    @property
    def confirmed_accounts(self) -> list[int]:
        return [account for _, account in self.confirmed]

    @property
    def waitlisted_accounts(self) -> list[int]:
        return [account for _, account in self.waitlisted]


def state_of(app, occurrence_id: int) -> State:
    with app.app_context():
        taken = db.session.scalar(select(Occurrence.taken).where(Occurrence.id == occurrence_id))
        rows = db.session.execute(
            select(Rsvp.id, Rsvp.account_id, Rsvp.status)
            .where(Rsvp.occurrence_id == occurrence_id)
            .order_by(Rsvp.id)
        ).all()
        notices = db.session.execute(
            select(Notice.account_id, func.count())
            .where(Notice.kind == "waitlist_promoted", Notice.link == f"/events/{occurrence_id}")
            .group_by(Notice.account_id)
        ).all()
        db.session.remove()
    assert {status for _, _, status in rows} <= {RsvpStatus.CONFIRMED, RsvpStatus.WAITLISTED}
    return State(
        taken=taken,
        confirmed=[(i, a) for i, a, s in rows if s == RsvpStatus.CONFIRMED],
        waitlisted=[(i, a) for i, a, s in rows if s == RsvpStatus.WAITLISTED],
        promoted=dict(notices),
    )


def assert_consistent(state: State) -> None:
    """Exactly full, `taken` agrees with the rows, and nobody holds two RSVPs."""
    assert len(state.confirmed) == CAPACITY
    assert state.taken == CAPACITY == len(state.confirmed)
    everyone = state.confirmed_accounts + state.waitlisted_accounts
    assert len(everyone) == len(set(everyone)), "someone is both confirmed and waiting"


def assert_quiet(server: GunicornServer) -> None:
    """Nothing but gunicorn's own start-up lines: no error, no traceback, no warning."""
    lines = [line for line in server.output().splitlines() if line.strip()]
    troubles = [line for line in lines if TROUBLE.search(line)]
    assert not troubles, "\n".join(troubles)
    assert all("[INFO]" in line for line in lines), server.output()


def server_env(database_url: str) -> dict[str, str]:
    """Two gunicorn workers with eight threads each, on the test's database."""
    return {
        "ADVOCACY_ENV": "test",
        "ADVOCACY_DATABASE_URL": database_url,
        "ADVOCACY_WORKERS": str(WORKERS),
        "ADVOCACY_THREADS": str(THREADS),
        "ADVOCACY_WORKER_CLASS": "gthread",
        "ADVOCACY_LOG_LEVEL": "info",
    }


def test_rsvps_race_for_the_last_places_and_freed_places(app, tmp_path, database_url):
    staff = make_account(app, "maple-staff", role="staff")
    accounts = [make_account(app, f"member-{n:02d}") for n in range(MEMBERS + 5)]
    now = utcnow()
    meeting = make_event(app, staff.id, now=now, capacity=CAPACITY).first
    second = make_event(app, staff.id, now=now, title="Thursday circle", capacity=CAPACITY).first
    with run_gunicorn(tmp_path, server_env(database_url)) as server:
        wait_for_workers(server, WORKERS)
        members = [Member(account, server.url) for account in accounts]
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(Member.sign_in, members))
        crowd, latecomers = members[:MEMBERS], members[MEMBERS:]
        by_account = {member.account.id: member for member in members}

        # 1. Fifty RSVPs at the same instant for ten places.
        answers = all_at_once([rsvp_job(member, meeting) for member in crowd])
        assert_redirected_to_event(answers, meeting)
        first = state_of(app, meeting)
        assert_consistent(first)
        assert len(first.waitlisted) == MEMBERS - CAPACITY
        assert set(first.confirmed_accounts + first.waitlisted_accounts) == {
            member.account.id for member in crowd
        }
        # First come, first served: the places went to the first ten rows written...
        assert max(i for i, _ in first.confirmed) < min(i for i, _ in first.waitlisted)
        assert first.promoted == {}
        # ...and each waiting member is told their number in the queue, in that order.
        with ThreadPoolExecutor(16) as pool:
            pages = list(
                pool.map(
                    lambda account_id: by_account[account_id].send("GET", f"/events/{meeting}"),
                    first.waitlisted_accounts,
                )
            )
        numbers = [
            int(QUEUE_NUMBER.search(body).group(1)) if QUEUE_NUMBER.search(body) else None
            for _, _, body in pages
        ]
        assert numbers == list(range(1, MEMBERS - CAPACITY + 1))

        # 2. Five with a place cancel while five newcomers RSVP, all at once.
        leaving = [by_account[a] for a in first.confirmed_accounts[:5]]
        answers = all_at_once(
            [cancel_job(member, meeting) for member in leaving]
            + [rsvp_job(member, meeting) for member in latecomers]
        )
        assert_redirected_to_event(answers, meeting)
        second_state = state_of(app, meeting)
        assert_consistent(second_state)
        head, rest = first.waitlisted_accounts[:5], first.waitlisted_accounts[5:]
        # Each freed place went to the next in the queue, in order, exactly once; the
        # newcomers queue behind everyone already waiting.
        assert second_state.confirmed_accounts == first.confirmed_accounts[5:] + head
        queue = second_state.waitlisted_accounts
        assert queue[: len(rest)] == rest
        assert sorted(queue[len(rest) :]) == sorted(m.account.id for m in latecomers)
        assert second_state.promoted == dict.fromkeys(head, 1)
        assert not {m.account.id for m in leaving} & set(
            second_state.confirmed_accounts + second_state.waitlisted_accounts
        )

        # 3. An empty queue: five with a place cancel and at once RSVP again, while ten
        # others RSVP. Fifteen people race for five freed places.
        holders, racers = crowd[:CAPACITY], crowd[CAPACITY : CAPACITY + 10]
        assert_redirected_to_event(all_at_once([rsvp_job(m, second) for m in holders]), second)
        before = state_of(app, second)
        assert_consistent(before)
        assert before.waitlisted == []
        leaving = [by_account[a] for a in before.confirmed_accounts[:5]]
        stayed = before.confirmed_accounts[5:]
        answers = all_at_once(
            [cancel_then_rsvp_job(member, second) for member in leaving]
            + [rsvp_job(member, second) for member in racers]
        )
        flat = [answer for pair in answers[:5] for answer in pair] + answers[5:]
        assert_redirected_to_event(flat, second)
        after = state_of(app, second)
        assert_quiet(server)

    assert_consistent(after)
    assert after.confirmed_accounts[:5] == stayed
    new_rows = [(i, a) for i, a in after.confirmed if a not in stayed]
    racing = {m.account.id for m in leaving + racers}
    # The five freed places were reused once each, by five of the fifteen...
    assert len(new_rows) == 5
    assert {a for _, a in new_rows} | set(after.waitlisted_accounts) == racing
    assert len(after.waitlisted) == 10
    # ...and first come, first served still holds: no one waiting arrived before
    # someone who got a place during the race.
    assert max(i for i, _ in new_rows) < min(i for i, _ in after.waitlisted)
    # A promotion notice only for those who got their place from the queue, one each.
    assert set(after.promoted) <= {a for _, a in new_rows}
    assert set(after.promoted.values()) <= {1}


def test_fifty_series_rsvps_at_once_keep_every_meeting_within_capacity(app, tmp_path, database_url):
    staff = make_account(app, "maple-staff", role="staff")
    accounts = [make_account(app, f"member-{n:02d}") for n in range(MEMBERS)]
    series = make_event(
        app, staff.id, now=utcnow(), capacity=CAPACITY, recurrence="weekly", weeks=2
    ).occurrence_ids
    with run_gunicorn(tmp_path, server_env(database_url)) as server:
        wait_for_workers(server, WORKERS)
        members = [Member(account, server.url) for account in accounts]
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(Member.sign_in, members))
        for member in members:
            member.connect()
        answers = all_at_once(
            [lambda m=m: m.send("POST", f"/events/{series[0]}/rsvp-series") for m in members]
        )
        assert_redirected_to_event(answers, series[0])
        assert_quiet(server)

    assert len(series) == 3
    everyone = {account.id for account in accounts}
    for occurrence_id in series:
        state = state_of(app, occurrence_id)
        assert_consistent(state)
        assert len(state.waitlisted) == MEMBERS - CAPACITY
        assert set(state.confirmed_accounts + state.waitlisted_accounts) == everyone
