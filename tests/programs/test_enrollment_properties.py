"""Program places under any sequence of actions: never overbooked, the queue in order.

DESIGN §3 (Programs): a request is confirmed, pending approval, or waitlisted (first
come first served, private); a freed place goes to the next on the waitlist
automatically. A pending request holds a place until staff decide
(advocacy/programs/models.py HOLDS_PLACE). Hypothesis draws runs of 10 to 30 steps on
one program, with or without approval, each run on a database emptied first: members ask
for a place and withdraw, staff approve, decline, record completion, change the places
or the program's status, a member deletes their account. Each step goes through the
programs services directly, as a view would (one call per transaction: committed, or
rolled back when refused). After every step the database must agree with a small model
of the rule written here, and the rule must hold on the database's own figures:

- nobody gets a place (confirmed or pending) beyond capacity; staff may lower the places
  below the count held, and then nobody new gets one until the count is back under;
- a freed place goes at once to the person waiting longest (to staff's approval when the
  program needs it), unless the program is cancelled or completed; nobody waits while
  such a program has a free place;
- nobody holds two enrollments in the program;
- the program's `taken` counter equals its confirmed and pending enrollments;
- each promotion leaves one notice ("waitlist_promoted", or "waitlist_to_approval"), for
  the promoted person only; approval, decline, completion and cancellation tell exactly
  whom they concern; nothing else tells anyone;
- only a confirmed place is completed, once (the program started on START's day);
- a program where anyone has a request never goes back to draft (staff only see drafts).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.programs import catalog, completion
from advocacy.programs import services as programs
from advocacy.programs.models import Enrollment, Program
from tests.support.accounts import make_account
from tests.support.database import delete_every_row
from tests.support.programs import make_program
from tests.support.properties import (
    PROPERTY_SETTINGS,
    all_notices,
    attempt,
    check_capacity,
    weighted,
)

START = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # make_program's requests are open then
MEMBERS = 5
PLACES = st.integers(min_value=1, max_value=3)
STATUSES = st.sampled_from(["open", "closed", "draft", "completed", "cancelled"])
# No new places are given in these (programs.services.fill_free_places).
SETTLED = ("cancelled", "completed")
# (what happens, its argument: whose account, the new places or the new status)
Step = tuple[str, int | str]


@dataclass
class Places:
    """The model of one program's places: who holds one and how, who waits (in order)."""

    id: int
    capacity: int
    needs_approval: bool
    status: str = "open"
    held: dict[int, str] = field(default_factory=dict)  # account id: confirmed or pending
    waiting: list[int] = field(default_factory=list)
    completed: set[int] = field(default_factory=set)

    def has_free_place(self) -> bool:
        return len(self.held) < self.capacity

    def has_request(self, account_id: int) -> bool:
        return account_id in self.held or account_id in self.waiting

    def link(self) -> str:
        return f"/programs/{self.id}"


class Scene:
    """One program, five members, staff, and the model of what must follow."""

    def __init__(self, app, places: int, needs_approval: bool) -> None:
        self.app = app
        with app.app_context():
            delete_every_row()
        # Account deletion frees places at the app clock's time.
        app.config["CLOCK"] = lambda: START
        organiser = make_account(app, "maple-staff", role="staff", two_factor=False)
        made = make_program(
            app,
            organiser.id,
            now=START,
            capacity=places,
            needs_approval=needs_approval,
            meetings=0,
            starts_in=0,
        )
        self.program = Places(made.id, places, needs_approval)
        self.members = [make_account(app, f"learner-{n}").id for n in range(MEMBERS)]
        self.deleted: set[int] = set()
        self.notices: Counter = Counter()
        self.before: set[int] = set()  # who held a place after the previous step

    def next_step(self) -> st.SearchStrategy[Step]:
        """Steps worth taking now: mostly requests by members without one, withdrawals and
        staff decisions on those with one, now and then the same by the others (refused);
        changes of places at any time; changes of status or an account deleted once
        someone waits, so that a queue forms first."""
        program = self.program
        alive = [who for who in self.members if who not in self.deleted]
        asking = [who for who in alive if program.has_request(who)]
        free = [who for who in alive if not program.has_request(who)]
        pending = [who for who, status in program.held.items() if status == "pending"]
        confirmed = [who for who, status in program.held.items() if status == "confirmed"]

        def step(action: str, argument: st.SearchStrategy):
            return st.tuples(st.just(action), argument)

        options = [(1, step("change places", PLACES)), (1, step("approve", st.sampled_from(alive)))]
        if free:
            options += [(4, step("enroll", st.sampled_from(free)))]
            options += [(1, step("withdraw", st.sampled_from(free)))]
        if asking:
            options += [(2, step("withdraw", st.sampled_from(asking)))]
            options += [(1, step("enroll", st.sampled_from(asking)))]
        if pending:
            options += [(2, step("approve", st.sampled_from(pending)))]
            options += [(1, step("decline", st.sampled_from(pending)))]
        if confirmed:
            options += [(1, step("complete", st.sampled_from(confirmed)))]
        if program.waiting:
            options += [(1, step("change status", STATUSES))]
            options += [(1, step("delete account", st.sampled_from(asking)))]
        return weighted(options)

    def take(self, step: Step) -> None:
        """Do one step in the database and in the model."""
        action, argument = step
        {
            "enroll": self.member_enrolls,
            "withdraw": self.member_withdraws,
            "approve": self.staff_approve,
            "decline": self.staff_decline,
            "complete": self.staff_record_completion,
            "change places": lambda places: self.staff_change(capacity=places),
            "change status": lambda status: self.staff_change(status=status),
            "delete account": self.member_deletes_account,
        }[action](argument)

    # Steps

    def member_enrolls(self, who: int) -> None:
        program = self.program
        if program.status != "open":
            expected = programs.EnrollmentClosed
        elif program.has_request(who):
            expected = programs.AlreadyEnrolled
        else:
            expected = None
        self.expect(expected, lambda: programs.enroll(account(who), program.id, now=START))
        if expected is None:
            if program.has_free_place():
                program.held[who] = "pending" if program.needs_approval else "confirmed"
            else:
                program.waiting.append(who)

    def member_withdraws(self, who: int) -> None:
        program = self.program
        if program.status == "completed":
            # Staff marked it "Ended": nothing to withdraw from, whoever asks; said as
            # nothing of it on the account to one without a place or request.
            ended = programs.ProgramEnded, programs.EndedNothingHeld
            expected = ended[not program.has_request(who)]
        elif not program.has_request(who):
            expected = programs.NotEnrolled
        elif who in program.completed:
            expected = programs.ProgramError  # nothing to withdraw from once completed
        else:
            expected = None
        self.expect(expected, lambda: programs.withdraw(account(who), program.id, now=START))
        if expected is None:
            self.leave(who)

    def staff_approve(self, who: int) -> None:
        program = self.program
        expected = None if program.held.get(who) == "pending" else programs.ProgramError
        self.expect(
            expected,
            lambda: programs.approve(
                program.id, enrollment_id(who, program.id), note="", now=START
            ),
        )
        if expected is None:
            program.held[who] = "confirmed"
            self.notices[(who, "enrollment_confirmed", program.link())] += 1

    def staff_decline(self, who: int) -> None:
        program = self.program
        expected = None if program.held.get(who) == "pending" else programs.ProgramError
        self.expect(
            expected,
            lambda: programs.decline(
                program.id, enrollment_id(who, program.id), note="", now=START
            ),
        )
        if expected is None:
            self.notices[(who, "enrollment_declined", program.link())] += 1
            self.leave(who)

    def staff_record_completion(self, who: int) -> None:
        program = self.program
        completes = program.held.get(who) == "confirmed" and who not in program.completed
        expected = None if completes else programs.ProgramError
        self.expect(
            expected,
            lambda: completion.complete(program.id, enrollment_id(who, program.id), now=START),
        )
        if expected is None:
            program.completed.add(who)
            self.notices[(who, "program_completed", f"{program.link()}/letter")] += 1

    def staff_change(self, **change: int | str) -> None:
        """Save the program's form with one field changed (places or status)."""
        program = self.program

        def save() -> None:
            row = db.session.get(Program, program.id)
            details = catalog.ProgramDetails(
                **{f.name: getattr(row, f.name) for f in fields(catalog.ProgramDetails)}
            )
            catalog.update_program(program.id, replace(details, **change), now=START)

        was = program.status
        if change.get("status") == "draft" != was and (program.held or program.waiting):
            # A draft is for staff only: anyone with a request would lose sight of it.
            self.expect(catalog.DraftWithRequests, save)
            return
        self.expect(None, save)
        program.capacity = change.get("capacity", program.capacity)
        program.status = change.get("status", program.status)
        self.promote()
        if program.status == "cancelled" and was != "cancelled":
            for person in [*program.held, *program.waiting]:
                self.notices[(person, "program_cancelled", program.link())] += 1

    def member_deletes_account(self, who: int) -> None:
        self.expect(None, lambda: registry.delete_account(account(who)))
        self.deleted.add(who)
        self.leave(who)
        self.notices = Counter({key: n for key, n in self.notices.items() if key[0] != who})

    # The rule, as the model sees it

    def expect(self, refusal: type | None, action) -> None:
        """Run the action; it must be refused with exactly `refusal`, or (None) succeed."""
        error = attempt(self.app, action)
        assert type(error) is (refusal or type(None)), error

    def leave(self, who: int) -> None:
        """Someone's request goes; a place they held passes on."""
        program = self.program
        program.completed.discard(who)
        if who in program.waiting:
            program.waiting.remove(who)
            return
        del program.held[who]
        self.promote()

    def promote(self) -> None:
        """Give free places to the longest waiting, unless the program is settled."""
        program = self.program
        kind = "waitlist_to_approval" if program.needs_approval else "waitlist_promoted"
        while program.status not in SETTLED and program.waiting and program.has_free_place():
            first = program.waiting.pop(0)
            program.held[first] = "pending" if program.needs_approval else "confirmed"
            self.notices[(first, kind, program.link())] += 1

    # After every step

    def check(self) -> None:
        """The database agrees with the model, and the rules hold on their own."""
        program = self.program
        with self.app.app_context():
            rows = db.session.execute(
                select(Enrollment.account_id, Enrollment.status, Enrollment.completed_on)
                .where(Enrollment.program_id == program.id)
                .order_by(Enrollment.id)
            ).all()
            row = db.session.get(Program, program.id)
            capacity, taken, status = row.capacity, row.taken, row.status
        requests = [who for who, _, _ in rows]
        held = {who: status for who, status, _ in rows if status != "waitlisted"}
        waiting = [who for who, status, _ in rows if status == "waitlisted"]

        assert len(requests) == len(set(requests)), "someone holds two enrollments"
        assert taken == len(held), "the counter disagrees with the rows"
        check_capacity(capacity, set(held), self.before)
        if status not in SETTLED and waiting:
            assert len(held) >= capacity, "someone waits beside a free place"
        assert (capacity, status) == (program.capacity, program.status)
        assert held == program.held
        assert waiting == program.waiting, "the queue is not first come first served"
        assert {who for who, _, on in rows if on is not None} == program.completed
        assert all_notices(self.app) == self.notices
        self.before = set(held)


def account(account_id: int) -> Account:
    return db.session.get(Account, account_id)


def enrollment_id(account_id: int, program_id: int) -> int:
    """The account's enrollment id, or 0 (no such row) when it has none."""
    enrollment = programs.enrollment_of(account_id, program_id)
    return enrollment.id if enrollment else 0


@PROPERTY_SETTINGS
@given(places=PLACES, needs_approval=st.booleans(), data=st.data())
def test_program_places_never_overbook_and_serve_the_queue_in_order(
    app, places, needs_approval, data
):
    scene = Scene(app, places, needs_approval)
    for _ in range(data.draw(st.integers(10, 30), label="steps")):
        scene.take(data.draw(scene.next_step(), label="step"))
        scene.check()
