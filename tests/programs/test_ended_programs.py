"""A place in a program that has ended: no withdrawal, but the member may remove the program
from their account (a newcomer's try: "Withdraw" was still offered after the end, promised
the waiting list a place and deleted what staff record completion from).

The rule for "ended" is the one the site already has (programs/services.py has_ended, used
by the home page and the member's program list): a program has ended once its last day
(`ends_on`) is over in the site's time zone (the tests' DEFAULT_TIMEZONE, New York: EST,
UTC-5, in December), or once staff marked it "Ended" (status completed).

- Up to the end of the last day: withdrawal as before (the waiting list moves up);
  removal is refused calmly, with nothing changed.
- From the first moment after it: withdrawal is refused calmly with nothing changed, and
  the program page offers "Remove this program from your account" instead. Its page says
  what goes and what stays; only its button removes. Removal deletes the place (or
  request), the member's attendance at the program's meetings, the sessions they marked
  done, their completion letters (whose codes then no longer verify) and their notices
  about the program. Nothing moves on the waiting list, nobody is told, no monthly count
  changes, other members' rows stay as they were; staff no longer see the member on the
  roster. A second send removes nothing more and says so calmly.
"""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.programs import attendance, catalog, completion, removal, services, sessions
from advocacy.programs.models import CompletionLetter, Enrollment, Program, SessionProgress
from advocacy.reports.models import MonthlyCount
from tests.support.accounts import make_account
from tests.support.program_rules import program
from tests.support.programs import make_program, make_sessions
from tests.support.snapshots import differences, snapshot

# The tests' clock starts on 2026-11-27 (tests/support/accounts.py Clock); the program
# below runs from the day before to ten days after: its last day is 7 December 2026.
LAST_DAY = date(2026, 12, 7)
# 17:00 on the last day in New York.
ON_THE_LAST_DAY = datetime(2026, 12, 7, 22, 0, tzinfo=UTC)
# 23:59 on the last day in New York, already 8 December in UTC: still running.
LAST_MINUTE = datetime(2026, 12, 8, 4, 59, tzinfo=UTC)
# 00:00 on 8 December in New York: the day after, so it has ended.
DAY_AFTER = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)

WITHDRAW_LINK = "/programs/{id}/withdraw"
REMOVE_LINK = "/programs/{id}/remove"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def build(app, clock, staff, member, other_member) -> dict:
    """A program of two places (last day LAST_DAY) with two meetings: the member and the
    other member hold its places, a third member waits. Both came to the first meeting; at
    the second only the other member came. Both marked the first session done; both
    completed it and were given a letter."""
    waiter = make_account(app, "fern-member")
    made = make_program(
        app, staff.id, now=clock(), capacity=2, starts_in=-1, ends_in=10, meetings=2
    )
    first_session, _second = make_sessions(app, made.id, 2, now=clock())
    codes = {}
    with app.app_context():
        people = {a.id: db.session.get(Account, a.id) for a in (member, other_member, waiter)}
        assert db.session.get(Program, made.id).ends_on == LAST_DAY
        for account in people.values():
            services.enroll(account, made.id, now=clock())
        first, second = (db.session.get(Occurrence, i) for i in made.meeting_ids)
        attendance.record_attendance(
            made.id, first.id, {member.id, other_member.id}, now=first.starts_at
        )
        attendance.record_attendance(made.id, second.id, {other_member.id}, now=second.starts_at)
        for account_id in (member.id, other_member.id):
            sessions.mark(people[account_id], made.id, first_session, done=True)
            place = services.enrollment_of(account_id, made.id)
            completion.complete(made.id, place.id, now=ON_THE_LAST_DAY - timedelta(days=1))
            codes[account_id] = completion.issue_letter(
                people[account_id], made.id, now=ON_THE_LAST_DAY - timedelta(days=1)
            ).code
        db.session.commit()
    return {"id": made.id, "waiter": waiter, "codes": codes, "meetings": made.meeting_ids}


def signed_in(app, auth, clock, account, at: datetime):
    """A client signed in as `account` with the clock at `at`."""
    clock.current = at
    client = app.test_client()
    assert auth.login(account, client=client).status_code == 303
    return client


def rows_of(app, account_id: int, program_id: int) -> dict[str, int]:
    """How many rows of each kind the account has in the program."""
    with app.app_context():
        place = select(Enrollment.id).where(
            Enrollment.account_id == account_id, Enrollment.program_id == program_id
        )
        meetings = select(Occurrence.id).where(
            Occurrence.event.has(program_id=program_id)  # the program's meetings
        )
        count = lambda query: len(db.session.scalars(query).all())  # noqa: E731
        return {
            "places": count(place),
            "attendance": count(
                select(Rsvp.id).where(
                    Rsvp.account_id == account_id, Rsvp.occurrence_id.in_(meetings)
                )
            ),
            "sessions_done": count(
                select(SessionProgress.id).where(SessionProgress.enrollment_id.in_(place))
            ),
            "letters": count(
                select(CompletionLetter.id).where(CompletionLetter.enrollment_id.in_(place))
            ),
        }


EVERYTHING = {"places": 1, "attendance": 2, "sessions_done": 1, "letters": 1}
NOTHING = {"places": 0, "attendance": 0, "sessions_done": 0, "letters": 0}


def verifies(app, code: str) -> bool:
    with app.test_request_context():
        return completion.verify_letter(code) is not None


@pytest.mark.parametrize("moment", [ON_THE_LAST_DAY, LAST_MINUTE], ids=["midday", "23:59"])
def test_up_to_the_end_of_the_last_day_withdrawal_is_unchanged(
    app, auth, clock, staff, member, other_member, moment
):
    made = build(app, clock, staff, member, other_member)
    pid, waiter = made["id"], made["waiter"]
    # Withdrawing a completed place is refused as before: the other member's place is not
    # completed here, so theirs shows the unchanged withdrawal.
    with app.app_context():
        completion.undo_completion(
            pid,
            services.enrollment_of(other_member.id, pid).id,
            now=ON_THE_LAST_DAY - timedelta(days=1),
        )
        db.session.commit()
    client = signed_in(app, auth, clock, other_member, moment)
    page = text(client.get(f"/programs/{pid}"))
    assert f'href="{WITHDRAW_LINK.format(id=pid)}"' in page
    assert f'href="{REMOVE_LINK.format(id=pid)}"' not in page
    assert "Remove this program from your account" not in page
    question = text(client.get(WITHDRAW_LINK.format(id=pid)))
    assert "Who gets the place: if anyone is on the waiting list" in question

    # Removing is not offered before the end: the page says so, a POST changes nothing.
    before = snapshot(app)
    early = text(client.get(REMOVE_LINK.format(id=pid)))
    assert "Yes, remove it" not in early
    assert "This program hasn't ended yet" in early
    said = client.post(REMOVE_LINK.format(id=pid), data={"confirm": "yes"}, follow_redirects=True)
    assert "This program hasn't ended yet" in text(said)
    assert differences(before, snapshot(app)) == {}

    # Withdrawing still gives the place to whoever waited longest, and tells them.
    client.post(WITHDRAW_LINK.format(id=pid), data={"confirm": "yes"})
    with app.app_context():
        assert services.enrollment_of(other_member.id, pid) is None
        assert services.enrollment_of(waiter.id, pid).status == "confirmed"
        kinds = db.session.scalars(select(Notice.kind).where(Notice.account_id == waiter.id))
        assert list(kinds) == ["waitlist_promoted"]


def test_the_day_after_withdrawal_is_refused_and_removal_offered(
    app, auth, clock, staff, member, other_member
):
    made = build(app, clock, staff, member, other_member)
    pid = made["id"]
    client = signed_in(app, auth, clock, member, DAY_AFTER)
    page = text(client.get(f"/programs/{pid}"))
    assert f'href="{REMOVE_LINK.format(id=pid)}"' in page
    assert "Remove this program from your account" in page
    assert f'href="{WITHDRAW_LINK.format(id=pid)}"' not in page
    assert ">Withdraw<" not in page
    # Nor for one who never completed it, still waiting: no promise of a place to come.
    waiting = text(signed_in(app, auth, clock, made["waiter"], DAY_AFTER).get(f"/programs/{pid}"))
    assert "This program has ended, and your request for a place in it is closed." in waiting
    assert f'href="{REMOVE_LINK.format(id=pid)}"' in waiting
    assert f'href="{WITHDRAW_LINK.format(id=pid)}"' not in waiting
    assert "If a place opens up" not in waiting
    assert "waiting list (number" not in waiting

    before = snapshot(app)
    question = text(client.get(WITHDRAW_LINK.format(id=pid)))
    assert "Yes, withdraw" not in question
    assert "waiting list" not in question
    assert "This program has ended, so there is no place to withdraw from." in question
    assert f'href="{REMOVE_LINK.format(id=pid)}"' in question
    refused = client.post(
        WITHDRAW_LINK.format(id=pid), data={"confirm": "yes"}, follow_redirects=True
    )
    assert "This program has ended, so there is no place to withdraw from." in text(refused)
    assert differences(before, snapshot(app)) == {}
    assert rows_of(app, member.id, pid) == EVERYTHING


def test_the_removal_page_says_what_goes_and_what_stays_and_asks_first(
    app, auth, clock, staff, member, other_member
):
    made = build(app, clock, staff, member, other_member)
    pid = made["id"]
    client = signed_in(app, auth, clock, member, DAY_AFTER)
    before = snapshot(app)
    question = text(client.get(REMOVE_LINK.format(id=pid)))
    assert differences(before, snapshot(app)) == {}
    assert "Remove “Healing together” from your account?" in question
    for goes in (
        "Your place in it.",
        "The record that you completed it on 6 December 2026.",
        "The record of the meetings you came to: 1 of the 2 at which attendance was taken.",
        "1 session you marked done.",
        "Your completion letter: its code will no longer check out on the letter check page.",
        "Your notices about it.",
    ):
        assert goes in question
    assert "name nobody" in question
    assert "Nobody is told." in question
    assert "This can't be undone." in question
    assert "waiting list" not in question
    assert ">Yes, remove it</button>" in question
    assert other_member.pseudonym not in question

    unconfirmed = client.post(REMOVE_LINK.format(id=pid), data={"confirm": "no"})
    assert unconfirmed.headers["Location"] == REMOVE_LINK.format(id=pid)
    assert differences(before, snapshot(app)) == {}
    again = text(client.get(REMOVE_LINK.format(id=pid)))
    assert "Nothing is removed until you confirm on this page." in again


def test_removal_deletes_the_member_s_rows_and_nothing_else(
    app, auth, clock, staff, member, other_member
):
    made = build(app, clock, staff, member, other_member)
    pid, waiter, codes = made["id"], made["waiter"], made["codes"]
    client = signed_in(app, auth, clock, member, DAY_AFTER)
    with app.app_context():
        counts_before = db.session.scalars(select(MonthlyCount).order_by(MonthlyCount.id))
        counts_before = [(c.month, c.program_id, c.measure, c.count) for c in counts_before]
        came_before = {o.id: o.attended_count for o in db.session.scalars(select(Occurrence))}
        own_notices = db.session.scalars(
            select(Notice.id).where(Notice.account_id == member.id)
        ).all()
        assert own_notices  # the completion notice, at least
    others_before = rows_of(app, other_member.id, pid)
    assert rows_of(app, member.id, pid) == EVERYTHING
    assert verifies(app, codes[member.id])
    before = snapshot(app)

    done = client.post(REMOVE_LINK.format(id=pid), data={"confirm": "yes"})
    assert done.headers["Location"] == f"/programs/{pid}"
    assert "The program is removed from your account." in text(client.get(f"/programs/{pid}"))

    assert rows_of(app, member.id, pid) == NOTHING
    assert rows_of(app, other_member.id, pid) == others_before
    assert not verifies(app, codes[member.id])
    assert verifies(app, codes[other_member.id])
    changed = differences(before, snapshot(app))
    # Rows only went (the counts kept on the program and the meeting changed in place).
    assert {name for name, rows in changed.items() if rows["new"]} <= {"programs", "occurrences"}
    with app.app_context():
        # Nothing moved on the waiting list; nobody was told anything.
        assert services.enrollment_of(waiter.id, pid).status == "waitlisted"
        left = db.session.scalars(select(Notice.kind).where(Notice.account_id == member.id))
        assert "program_completed" not in list(left)
        # The monthly counts funders read are as they were.
        counts = db.session.scalars(select(MonthlyCount).order_by(MonthlyCount.id))
        assert [(c.month, c.program_id, c.measure, c.count) for c in counts] == counts_before
        # How many came to the first meeting outlives who came (the member came once).
        first = made["meetings"][0]
        assert db.session.get(Occurrence, first).attended_count == came_before[first] + 1
        # The program keeps how many took part and completed, as the purge does.
        program = db.session.get(Program, pid)
        assert (program.enrolled_count, program.completed_count) == (1, 1)
        assert program.taken == 1
    # Staff no longer see the member.
    runner = signed_in(app, auth, clock, staff, DAY_AFTER)
    roster = text(runner.get(f"/programs/{pid}/roster"))
    assert other_member.pseudonym in roster
    assert member.pseudonym not in roster

    # Sent again (a double tap): nothing more goes, and it says so calmly.
    after = snapshot(app)
    second = client.post(REMOVE_LINK.format(id=pid), data={"confirm": "yes"}, follow_redirects=True)
    assert "This program is not on your account, so there is nothing to remove." in text(second)
    assert differences(after, snapshot(app)) == {}


def test_another_member_s_place_cannot_be_removed(app, auth, clock, staff, member, other_member):
    made = build(app, clock, staff, member, other_member)
    pid = made["id"]
    stranger = make_account(app, "birch-member")
    # Staff who run it, too: the address is only ever one's own place.
    clients = [signed_in(app, auth, clock, account, DAY_AFTER) for account in (stranger, staff)]
    before = snapshot(app)
    for client in clients:
        page = text(client.get(REMOVE_LINK.format(id=pid)))
        assert "This program is not on your account, so there is nothing to remove." in page
        assert "Yes, remove it" not in page
        said = client.post(
            REMOVE_LINK.format(id=pid),
            data={"confirm": "yes", "account_id": member.id},
            follow_redirects=True,
        )
        assert "nothing to remove" in text(said)
    assert differences(before, snapshot(app)) == {}
    assert rows_of(app, member.id, pid) == EVERYTHING


def test_a_draft_is_not_found(app, auth, clock, staff, member):
    made = make_program(app, staff.id, now=clock(), status="draft", starts_in=-20, ends_in=-1)
    client = signed_in(app, auth, clock, member, clock())
    assert client.get(REMOVE_LINK.format(id=made.id)).status_code == 404
    assert client.post(REMOVE_LINK.format(id=made.id), data={"confirm": "yes"}).status_code == 404


# The rule at the service level, to the minute, and with staff's "Ended".


@pytest.mark.usefixtures("in_request")
def test_the_rule_turns_at_midnight_in_the_site_s_time_zone(
    app, clock, staff, member, other_member
):
    made = build(app, clock, staff, member, other_member)
    pid = made["id"]
    account = db.session.get(Account, member.id)
    for moment in (ON_THE_LAST_DAY, LAST_MINUTE):
        with pytest.raises(removal.NotEnded):
            removal.remove_ended(account, pid, now=moment)
    with pytest.raises(services.ProgramEnded):
        services.withdraw(account, pid, now=DAY_AFTER)
    removal.remove_ended(account, pid, now=DAY_AFTER)
    assert services.enrollment_of(member.id, pid) is None
    with pytest.raises(removal.NothingToRemove):
        removal.remove_ended(account, pid, now=DAY_AFTER)
    # The freed place goes to nobody, not even when staff change the ended program later.
    waiter = made["waiter"]
    assert services.enrollment_of(waiter.id, pid).status == "waitlisted"
    ended = db.session.get(Program, pid)
    fields = catalog.ProgramDetails.__dataclass_fields__
    details = catalog.ProgramDetails(**{name: getattr(ended, name) for name in fields})
    catalog.update_program(pid, details, now=DAY_AFTER)
    assert services.enrollment_of(waiter.id, pid).status == "waitlisted"
    assert db.session.scalars(select(Notice.kind).where(Notice.account_id == waiter.id)).all() == []


@pytest.mark.usefixtures("in_request")
def test_marked_ended_by_staff_counts_as_ended_before_the_last_day(
    app, clock, staff, member, other_member
):
    made = build(app, clock, staff, member, other_member)
    pid, waiter = made["id"], made["waiter"]
    db.session.get(Program, pid).status = "completed"  # shown as "Ended"
    other = db.session.get(Account, other_member.id)
    with pytest.raises(services.ProgramEnded):
        services.withdraw(other, pid, now=ON_THE_LAST_DAY)
    removal.remove_ended(other, pid, now=ON_THE_LAST_DAY)
    assert services.enrollment_of(other_member.id, pid) is None
    assert services.enrollment_of(waiter.id, pid).status == "waitlisted"


@pytest.mark.usefixtures("in_request")
def test_removing_the_completion_that_made_a_mentor_keeps_the_eligibility(
    app, clock, staff, member, other_member
):
    """A member eligible to mentor through one leadership program, who completes a second
    today and then removes the first (ended), stays eligible when staff undo today's
    completion: the removed one still explains it."""
    made = build(app, clock, staff, member, other_member)
    pid = made["id"]
    db.session.get(Program, pid).kind = "leadership"
    account = db.session.get(Account, member.id)
    account.is_mentor_eligible = True  # as the first completion made it
    second = program(db.session.get(Account, staff.id), "Second", kind="leadership", starts_in=-1)
    place = services.enroll(account, second.id, now=DAY_AFTER)
    completion.complete(second.id, place.id, now=DAY_AFTER)
    assert not place.mentor_eligible_elsewhere  # the first completion is on record
    removal.remove_ended(account, pid, now=DAY_AFTER)
    completion.undo_completion(second.id, place.id, now=DAY_AFTER)
    assert db.session.get(Account, member.id).is_mentor_eligible
