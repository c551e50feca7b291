"""RSVPs under any sequence of actions: never overbooked, the queue served in order.

DESIGN §3 (Events): beyond capacity members are waitlisted and promoted automatically
when someone cancels; §7: capacity is enforced in the database. Hypothesis draws runs of
10 to 30 steps on the two meetings of a weekly event, each run on a database emptied
first: members RSVP and cancel, staff change a meeting's places or cancel it, time moves
past a meeting's start, a member deletes their account. Each step goes through the
events services directly, as a view would (one call per transaction: committed, or
rolled back when refused). After every step the database must agree with a small model
of the rule written here, and the rule must hold on the database's own figures:

- nobody is confirmed beyond capacity. Staff may lower the places below the confirmed
  count; DESIGN says nothing of taking places away, so the model takes none and only
  asks that nobody new is confirmed until the count is back under;
- a freed place goes at once to the person waiting longest, while the meeting is open
  (not started, not cancelled); nobody waits while an open meeting has a free place;
- nobody holds two RSVPs to one meeting;
- each meeting's `taken` counter equals its confirmed RSVPs;
- each promotion leaves one "waitlist_promoted" notice, for the promoted person only;
  cancelling a meeting tells everyone with an RSVP to it, once; nothing else tells anyone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.events import errors, rsvps, scheduling
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.privacy import registry
from tests.support.accounts import make_account
from tests.support.database import delete_every_row
from tests.support.events import make_event
from tests.support.properties import (
    PROPERTY_SETTINGS,
    all_notices,
    attempt,
    check_capacity,
    weighted,
)

START = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/New_York")  # make_event's time zone
MEMBERS = 5
# None: no limit. Few places for five members make full meetings and queues likely.
PLACES = st.sampled_from([1, 2, 3, None])
# (what happens, its argument: whose account or the new places, which meeting)
Step = tuple[str, int | None, int]


@dataclass
class Meeting:
    """The model of one meeting: its places, who holds one, who waits (first in line first)."""

    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    confirmed: set[int] = field(default_factory=set)
    waiting: list[int] = field(default_factory=list)
    cancelled: bool = False

    def has_free_place(self) -> bool:
        return self.capacity is None or len(self.confirmed) < self.capacity

    def has_rsvp(self, account_id: int) -> bool:
        return account_id in self.confirmed or account_id in self.waiting

    def link(self) -> str:
        return f"/events/{self.id}"


class Scene:
    """Two meetings of a weekly event, five members, and the model of what must follow."""

    def __init__(self, app, places: int | None) -> None:
        self.app = app
        with app.app_context():
            delete_every_row()
        self.now = START
        # Account deletion frees places at the app clock's time.
        app.config["CLOCK"] = lambda: self.now
        organiser = make_account(app, "maple-staff", role="staff", two_factor=False)
        made = make_event(
            app, organiser.id, now=START, capacity=places, recurrence="weekly", weeks=1
        )
        with app.app_context():
            occurrences = [db.session.get(Occurrence, i) for i in made.occurrence_ids]
            self.meetings = [Meeting(o.id, o.starts_at, o.ends_at, places) for o in occurrences]
        self.members = [make_account(app, f"guest-{n}").id for n in range(MEMBERS)]
        self.deleted: set[int] = set()
        self.notices: Counter = Counter()
        # Confirmed sets after the previous step, to see who was newly confirmed.
        self.before: list[set[int]] = [set() for _ in self.meetings]

    def next_step(self) -> st.SearchStrategy[Step]:
        """Steps worth taking now: mostly RSVPs by members without one and cancellations by
        members with one, now and then the same by the others (refused); staff's changes of
        places at any time; ending a meeting or an account once someone waits, so that a
        queue forms first."""
        options = []
        alive = [who for who in self.members if who not in self.deleted]
        for which, meeting in enumerate(self.meetings):
            holding = [who for who in alive if meeting.has_rsvp(who)]
            free = [who for who in alive if not meeting.has_rsvp(who)]

            def step(action: str, argument: st.SearchStrategy, which=which):
                return st.tuples(st.just(action), argument, st.just(which))

            if free:
                options += [(4, step("rsvp", st.sampled_from(free)))]
                options += [(1, step("cancel", st.sampled_from(free)))]
            if holding:
                options += [(2, step("cancel", st.sampled_from(holding)))]
                options += [(1, step("rsvp", st.sampled_from(holding)))]
            options += [(1, step("change places", PLACES))]
            if meeting.waiting:
                options += [
                    (1, step("cancel meeting", st.none())),
                    (1, step("meeting starts", st.none())),
                    (1, step("delete account", st.sampled_from(holding))),
                ]
        return weighted(options)

    def take(self, step: Step) -> None:
        """Do one step in the database and in the model."""
        action, argument, which = step
        meeting = self.meetings[which]
        {
            "rsvp": lambda: self.member_rsvps(argument, meeting),
            "cancel": lambda: self.member_cancels(argument, meeting),
            "change places": lambda: self.staff_change_places(meeting, argument),
            "cancel meeting": lambda: self.staff_cancel_meeting(meeting),
            "meeting starts": lambda: self.meeting_starts(meeting),
            "delete account": lambda: self.member_deletes_account(argument),
        }[action]()

    # Steps

    def member_rsvps(self, who: int, meeting: Meeting) -> None:
        if not self.is_open(meeting):
            expected = errors.EventNotOpen
        elif meeting.has_rsvp(who):
            expected = errors.AlreadyResponded
        else:
            expected = None
        error = attempt(self.app, lambda: rsvps.rsvp(account(who), meeting.id, now=self.now))
        assert type(error) is (expected or type(None)), error
        if expected is None:
            if meeting.has_free_place():
                meeting.confirmed.add(who)
            else:
                meeting.waiting.append(who)

    def member_cancels(self, who: int, meeting: Meeting) -> None:
        expected = None if meeting.has_rsvp(who) else errors.NoRsvp
        error = attempt(self.app, lambda: rsvps.cancel_rsvp(account(who), meeting.id, now=self.now))
        assert type(error) is (expected or type(None)), error
        if expected is None:
            self.leave(meeting, who)

    def staff_change_places(self, meeting: Meeting, places: int | None) -> None:
        if meeting.cancelled or meeting.ends_at <= self.now:
            expected = errors.EventNotOpen
        elif meeting.starts_at <= self.now:
            expected = errors.ScheduleInvalid  # the same time is in the past now
        else:
            expected = None
        start, end = meeting.starts_at.astimezone(ZONE), meeting.ends_at.astimezone(ZONE)
        error = attempt(
            self.app,
            lambda: scheduling.change_occurrence(
                meeting.id,
                day=start.date(),
                starts=start.time(),
                ends=end.time(),
                capacity=places,
                now=self.now,
            ),
        )
        assert type(error) is (expected or type(None)), error
        if expected is None:
            meeting.capacity = places
            self.promote(meeting)

    def staff_cancel_meeting(self, meeting: Meeting) -> None:
        assert (
            attempt(self.app, lambda: scheduling.cancel_occurrence(meeting.id, now=self.now))
            is None
        )
        if not meeting.cancelled:
            for person in [*meeting.confirmed, *meeting.waiting]:
                self.notices[(person, "event_cancelled", meeting.link())] += 1
        meeting.cancelled = True

    def meeting_starts(self, meeting: Meeting) -> None:
        self.now = max(self.now, meeting.starts_at + timedelta(minutes=1))

    def member_deletes_account(self, who: int) -> None:
        assert attempt(self.app, lambda: registry.delete_account(account(who))) is None
        self.deleted.add(who)
        for meeting in self.meetings:  # in meeting order, as the service goes
            if meeting.has_rsvp(who):
                self.leave(meeting, who)
        self.notices = Counter({key: n for key, n in self.notices.items() if key[0] != who})

    # The rule, as the model sees it

    def is_open(self, meeting: Meeting) -> bool:
        return not meeting.cancelled and meeting.starts_at > self.now

    def leave(self, meeting: Meeting, who: int) -> None:
        """Someone's RSVP goes; a confirmed place passes on while the meeting is open."""
        if who in meeting.waiting:
            meeting.waiting.remove(who)
            return
        meeting.confirmed.remove(who)
        self.promote(meeting)

    def promote(self, meeting: Meeting) -> None:
        """Confirm the longest waiting while the open meeting has free places."""
        while self.is_open(meeting) and meeting.waiting and meeting.has_free_place():
            first = meeting.waiting.pop(0)
            meeting.confirmed.add(first)
            self.notices[(first, "waitlist_promoted", meeting.link())] += 1

    # After every step

    def check(self) -> None:
        """The database agrees with the model, and the rules hold on their own."""
        with self.app.app_context():
            for index, meeting in enumerate(self.meetings):
                rows = db.session.execute(
                    select(Rsvp.account_id, Rsvp.status)
                    .where(Rsvp.occurrence_id == meeting.id)
                    .order_by(Rsvp.id)
                ).all()
                holders = [account_id for account_id, _ in rows]
                confirmed = {a for a, status in rows if status == "confirmed"}
                waiting = [a for a, status in rows if status == "waitlisted"]
                occurrence = db.session.get(Occurrence, meeting.id)
                capacity = occurrence.capacity

                assert len(holders) == len(set(holders)), "someone holds two RSVPs"
                assert occurrence.taken == len(confirmed), "the counter disagrees with the rows"
                check_capacity(capacity, confirmed, self.before[index])
                if self.is_open(meeting) and waiting:
                    assert capacity is not None, "someone waits for a meeting without a limit"
                    assert len(confirmed) >= capacity, "someone waits beside a free place"
                assert capacity == meeting.capacity
                assert confirmed == meeting.confirmed
                assert waiting == meeting.waiting, "the queue is not first come first served"
                self.before[index] = confirmed
        assert all_notices(self.app) == self.notices


def account(account_id: int) -> Account:
    return db.session.get(Account, account_id)


@PROPERTY_SETTINGS
@given(places=PLACES, data=st.data())
def test_rsvps_never_overbook_and_serve_the_queue_in_order(app, places, data):
    scene = Scene(app, places)
    for _ in range(data.draw(st.integers(10, 30), label="steps")):
        scene.take(data.draw(scene.next_step(), label="step"))
        scene.check()
