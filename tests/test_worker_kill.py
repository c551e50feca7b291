"""A gunicorn worker killed (SIGKILL) in the middle of a write keeps all of it or none.

Issue 12: an RSVP, a program enrollment and a story submission, each stopped at a named
fault point (advocacy/faults.py, armed for this one server) by a signed-in member's
request. The test waits until the worker reports that it reached the point, SIGKILLs it
there, and reads the database:

- killed inside the write (`*.place_taken`: the place counted, its row not yet written;
  `story.written`: the story row written, the form's once-mark not yet), none of it is
  kept: no row, no place counted, no mark;
- killed just after the commit (`*.committed`), all of it is kept, though the member
  never got an answer.

Then gunicorn's arbiter boots a new worker, which answers the member's retry of the very
same form: in both cases the member ends with exactly one row, whole. With one place,
a second member then waits: the place counter agrees with the rows and never passes
capacity. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import http.client
import os
import signal
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from advocacy.database import utcnow
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.once import SentForm
from advocacy.programs.models import Enrollment, Program
from advocacy.stories.models import Story
from tests.events.test_concurrency import TROUBLE, Member
from tests.support.accounts import make_account
from tests.support.ceiling import CEILING_SECONDS
from tests.support.events import make_event
from tests.support.gunicorn import GunicornServer, run_gunicorn, wait_for_workers
from tests.support.once import STORY_FORM, marks_on
from tests.support.programs import make_program

pytestmark = pytest.mark.gunicorn

# One place: a place counted but never written would shut everyone out of it.
CAPACITY = 1
STORY = {**STORY_FORM, "action": "submit"}
# What a state is: (counter, rows). The counter is the meeting's or program's `taken`,
# or for stories the number of recorded once-marks; rows are one tuple per row, by id.
State = tuple[int, list[tuple]]


@dataclass(frozen=True)
class Write:
    """One kind of write: where it is sent, the answer, and what the database holds."""

    path: str
    then: str  # the path of the 303 that answers it, first time or retried
    form: Callable[[Member], dict[str, str] | None]
    state: Callable[[], State]  # read inside an app context
    whole: Callable[[list[int]], State]  # what whole writes by these accounts, in order, leave


def counted(counter: Callable[[], int], rows: Callable[[], list[tuple]]) -> Callable[[], State]:
    """A State reader from a query for the counter and one for the rows."""
    return lambda: (counter(), [tuple(row) for row in rows()])


def first_come(accounts: list[int]) -> State:
    """Places go in order while there are any; everyone after waits (one row each)."""
    statuses = ["confirmed" if n < CAPACITY else "waitlisted" for n in range(len(accounts))]
    return min(len(accounts), CAPACITY), list(zip(accounts, statuses, strict=True))


def place_write(path: str, then: str, taken, row_model, of_holder) -> Write:
    """A write that takes one of a holder's places (a meeting's, a program's): `taken`
    selects its counter, `of_holder` picks its rows of row_model, (account, status) by id."""
    return Write(
        path=path,
        then=then,
        form=lambda _: None,
        state=counted(
            lambda: db.session.scalar(taken),
            lambda: db.session.execute(
                select(row_model.account_id, row_model.status)
                .where(of_holder)
                .order_by(row_model.id)
            ),
        ),
        whole=first_come,
    )


def rsvp_write(app: Flask, staff_id: int) -> Write:
    meeting = make_event(app, staff_id, now=utcnow(), capacity=CAPACITY).first
    taken = select(Occurrence.taken).where(Occurrence.id == meeting)
    return place_write(
        f"/events/{meeting}/rsvp", f"/events/{meeting}", taken, Rsvp, Rsvp.occurrence_id == meeting
    )


def enroll_write(app: Flask, staff_id: int) -> Write:
    program = make_program(app, staff_id, now=utcnow(), capacity=CAPACITY).id
    taken = select(Program.taken).where(Program.id == program)
    path, of_program = f"/programs/{program}", Enrollment.program_id == program
    return place_write(f"{path}/enroll", path, taken, Enrollment, of_program)


def story_form(member: Member) -> dict[str, str]:
    """The story form with the mark of a freshly rendered page, as a browser sends it."""
    status, _, page = member.send("GET", "/stories/new")
    assert status == 200
    (mark,) = marks_on(page)
    return {**STORY, "once": mark}


def story_write(_app: Flask, _staff_id: int) -> Write:
    return Write(
        path="/stories/new",
        then="/stories/mine",
        form=story_form,
        state=counted(
            lambda: db.session.scalar(select(func.count()).select_from(SentForm)),
            lambda: db.session.execute(
                select(
                    Story.author_id,
                    Story.status,
                    Story.title,
                    Story.body,
                    Story.submitted_at.is_not(None),
                ).order_by(Story.id)
            ),
        ),
        # Each submission: a whole story waiting for review, and its form's mark.
        whole=lambda authors: (
            len(authors),
            [(a, "pending", STORY["title"], STORY["body"], True) for a in authors],
        ),
    )


# (point, the write it stops, whether the write was committed when the worker died)
CASES = [
    ("rsvp.place_taken", rsvp_write, False),
    ("rsvp.committed", rsvp_write, True),
    ("enroll.place_taken", enroll_write, False),
    ("enroll.committed", enroll_write, True),
    ("story.written", story_write, False),
    ("story.committed", story_write, True),
]


def state_of(app: Flask, write: Write) -> State:
    with app.app_context():
        state = write.state()
        db.session.remove()
    return state


def reached(record: Path, sent: Future) -> int:
    """Poll until the fault point's record holds a whole line; return the pid in it."""
    deadline = time.monotonic() + CEILING_SECONDS
    while not (record.exists() and record.read_text().endswith("\n")):
        if sent.done():
            pytest.fail(f"answered without reaching {record.name}: {sent.result()[:2]}")
        if time.monotonic() > deadline:
            pytest.fail(f"{record.name} was not reached in {CEILING_SECONDS} s")
        time.sleep(0.05)
    return int(record.read_text())


def kill_at(record: Path, send: Callable[[], tuple]) -> int:
    """Send on a thread, SIGKILL the worker that reports the point; return its pid once
    the request's connection has dropped with no answer."""
    with ThreadPoolExecutor(1) as pool:
        sent = pool.submit(send)
        pid = reached(record, sent)
        os.kill(pid, signal.SIGKILL)
        with pytest.raises((http.client.HTTPException, ConnectionError)):
            sent.result(timeout=CEILING_SECONDS)
    return pid


def assert_only_the_kill_said(server: GunicornServer, pid: int) -> None:
    """The arbiter logged the kill of that very worker; nothing else went wrong."""
    troubles = [line for line in server.output().splitlines() if TROUBLE.search(line)]
    assert len(troubles) == 1, server.output()
    assert f"Worker (pid:{pid}) was sent SIGKILL!" in troubles[0]


def path_of(location: str) -> str:
    return urllib.parse.urlsplit(location).path


@pytest.mark.parametrize(("point", "make_write", "committed"), CASES, ids=[c[0] for c in CASES])
def test_a_worker_killed_in_a_write_keeps_all_of_it_or_none(
    app, tmp_path, database_url, point, make_write, committed
):
    staff = make_account(app, "maple-staff", role="staff")
    member, other = make_account(app, "member-a"), make_account(app, "member-b")
    write = make_write(app, staff.id)
    faults = tmp_path / "faults"
    faults.mkdir()
    env = {
        "ADVOCACY_ENV": "test",
        "ADVOCACY_DATABASE_URL": database_url,
        "ADVOCACY_LOG_LEVEL": "info",
        "ADVOCACY_FAULT_POINTS": point,
        "ADVOCACY_FAULT_DIR": str(faults),
    }
    with run_gunicorn(tmp_path, env) as server:
        wait_for_workers(server, 1)
        first, second = Member(member, server.url), Member(other, server.url)
        first.sign_in()
        second.sign_in()
        form = write.form(first)
        assert state_of(app, write) == write.whole([])

        pid = kill_at(faults / point, lambda: first.send("POST", write.path, form))
        # All of it if it was committed, else none of it: never a part.
        assert state_of(app, write) == write.whole([member.id] if committed else [])

        # A new worker answers the member's retry of the same form: one whole write.
        wait_for_workers(server, 2)
        status, location, _ = first.send("POST", write.path, form)
        assert (status, path_of(location)) == (303, write.then)
        assert state_of(app, write) == write.whole([member.id])

        # Someone else's write after it: the counter still agrees with the rows.
        status, location, _ = second.send("POST", write.path, write.form(second))
        assert (status, path_of(location)) == (303, write.then)
        assert state_of(app, write) == write.whole([member.id, other.id])
        assert_only_the_kill_said(server, pid)
