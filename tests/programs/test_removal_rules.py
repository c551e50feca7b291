"""Removing an ended program from one's account, at the service level (programs/removal.py),
with an explicit `now`; the pages are tests/programs/test_ended_programs.py.

The rules, from the module's docstring:

- what_goes tells the member what removal deletes from their account, and only theirs:
  the meetings of the program at which their attendance was taken (an RSVP with nothing
  recorded is no meeting of theirs) and how many of those they came to, the sessions
  they marked done, the letters issued for their completion;
- removal keeps on the program how many took part (a confirmed place, completed or not)
  and how many completed it, as the enrollment purge keeps them; a request or a place in
  the queue adds to neither;
- removal deletes the member's notices about the program: those linking to its page, its
  letter page or any of its meetings; their notices about other programs stay;
- the account's eligibility to mentor stays as it was: removing a completed leadership
  place marks the account's other leadership completions as eligible for a reason none on
  record explains, so undoing one of them the same day keeps the eligibility. Only those:
  not another account's, not a place not completed, not another kind of program; and
  removing any other place (not completed, or of another kind) marks nothing, so undoing
  today's leadership completion still takes back the eligibility it alone gave.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.events import scheduling
from advocacy.events.models import Rsvp
from advocacy.extensions import db
from advocacy.programs import attendance, catalog, completion, removal, services, sessions
from advocacy.programs.models import Enrollment, Program
from tests.support.event_rules import NOW, notices_of, person
from tests.support.program_rules import meeting, program

pytestmark = pytest.mark.usefixtures("in_request")


def staff_member() -> Account:
    return person("maple", "staff")


def running(staff: Account, title: str = "Healing", kind: str = "healing", **changes) -> Program:
    """A program that started yesterday (so completion can be recorded today, NOW)."""
    return program(staff, title, kind=kind, capacity=3, starts_in=-1, **changes)


def ended(made: Program) -> Program:
    """Staff mark the program "Ended" (services.has_ended): it can be removed at NOW."""
    made.status = "completed"
    db.session.flush()
    return made


def completed(member: Account, made: Program) -> Enrollment:
    place = services.enroll(member, made.id, now=NOW)
    completion.complete(made.id, place.id, now=NOW)
    return place


def eligible(member: Account) -> bool:
    db.session.flush()
    return db.session.scalar(select(Account.is_mentor_eligible).where(Account.id == member.id))


def add_sessions(made: Program, count: int) -> list[int]:
    return [
        sessions.add_session(
            made.id, sessions.SessionDetails(f"Session {n}", "Words.", "Prompt?", 20), now=NOW
        ).id
        for n in range(1, count + 1)
    ]


def test_what_goes_counts_only_the_member_s_own_attendance_sessions_and_letters():
    staff = staff_member()
    made = running(staff)
    ash, birch = person("ash"), person("birch")
    own, others = (services.enroll(member, made.id, now=NOW) for member in (ash, birch))
    first, second, third, untaken = (meeting(staff, made, in_days=days) for days in (1, 2, 3, 4))
    for occurrence, present in ((first, {ash, birch}), (second, {ash}), (third, set())):
        attendance.record_attendance(
            made.id, occurrence.id, {p.id for p in present}, now=occurrence.starts_at
        )
    # Nobody took attendance at the fourth; ash's RSVP to it (made before a place stood in
    # for one) records nothing.
    db.session.add(
        Rsvp(occurrence_id=untaken.id, account_id=ash.id, status="confirmed", created_at=NOW)
    )
    one, two, _three = add_sessions(made, 3)
    for session_id in (one, two):
        sessions.mark(ash, made.id, session_id, done=True)
    sessions.mark(birch, made.id, one, done=True)
    for member, letters in ((ash, 2), (birch, 1)):
        completion.complete(made.id, services.enrollment_of(member.id, made.id).id, now=NOW)
        for _ in range(letters):
            completion.issue_letter(member, made.id, now=NOW)

    def goes(member: Account) -> tuple:
        said = removal.what_goes(member.id, made.id)
        return (said.enrollment, said.recorded, said.came, said.sessions_done, said.letters)

    # ash: came to the first two of the three where attendance was taken.
    assert goes(ash) == (own, 3, 2, 2, 2)
    # birch: came to the first only.
    assert goes(birch) == (others, 3, 1, 1, 1)
    assert removal.what_goes(person("cedar").id, made.id) is None


def test_removal_keeps_on_the_program_who_took_part_and_who_completed_it():
    staff = staff_member()
    made = program(staff, capacity=3, starts_in=-1)
    took_part, finished, waiting = person("ash"), person("birch"), person("cedar")
    services.enroll(took_part, made.id, now=NOW)
    completed(finished, made)
    made.capacity = 2  # full: cedar waits
    services.enroll(waiting, made.id, now=NOW)
    ended(made)
    for member, kept in ((took_part, (1, 0)), (finished, (2, 1)), (waiting, (2, 1))):
        removal.remove_ended(member, made.id, now=NOW)
        db.session.refresh(made)
        assert (made.enrolled_count, made.completed_count) == kept


def rename(made: Program, title: str) -> None:
    """Staff change the program's title: those with a place get "program_changed"."""
    fields = catalog.ProgramDetails.__dataclass_fields__
    details = {name: getattr(made, name) for name in fields} | {"title": title}
    catalog.update_program(made.id, catalog.ProgramDetails(**details), now=NOW)


def test_removal_deletes_the_notices_about_the_program_its_page_its_letter_and_its_meetings():
    staff = staff_member()
    made, other = running(staff), running(staff, "Other")
    ash = person("ash")
    for each in (made, other):
        services.enroll(ash, each.id, now=NOW)
    occurrence = meeting(staff, made, in_days=3)
    scheduling.cancel_occurrence(occurrence.id, now=NOW)  # links to the meeting
    rename(made, "Healing, renamed")  # links to the program's page
    completion.complete(made.id, services.enrollment_of(ash.id, made.id).id, now=NOW)
    rename(other, "Other, renamed")
    links = {notice.link for notice in notices_of(ash)}
    assert links == {
        f"/events/{occurrence.id}",
        f"/programs/{made.id}",
        f"/programs/{made.id}/letter",
        f"/programs/{other.id}",
    }
    removal.remove_ended(ash, ended(made).id, now=NOW)
    assert [(n.kind, n.link) for n in notices_of(ash)] == [
        ("program_changed", f"/programs/{other.id}")
    ]


@pytest.mark.parametrize("removed", ["a completed healing program", "a leadership place"])
def test_removing_a_place_that_gave_no_eligibility_keeps_today_s_undo_as_it_was(removed):
    """ash completes a leadership program today, the only reason they may mentor; they
    remove an ended place that never made them eligible: undoing today's completion still
    takes the eligibility back."""
    staff, ash = staff_member(), person("ash")
    today = completed(ash, running(staff, "Leading", kind="leadership"))
    if removed == "a completed healing program":
        gone = running(staff, "Healing")
        completed(ash, gone)
    else:
        gone = running(staff, "Leading too", kind="leadership")
        services.enroll(ash, gone.id, now=NOW)
    assert eligible(ash)
    removal.remove_ended(ash, ended(gone).id, now=NOW)
    assert not today.mentor_eligible_elsewhere
    completion.undo_completion(today.program_id, today.id, now=NOW)
    assert not eligible(ash)


def test_removing_a_leadership_completion_marks_only_the_account_s_other_ones():
    staff, ash, birch = staff_member(), person("ash"), person("birch")
    leadership = [running(staff, f"Leading {n}", kind="leadership") for n in range(3)]
    gone, kept, unfinished = leadership
    healing = running(staff, "Healing")
    completed(ash, gone)
    kept_place = completed(ash, kept)
    unfinished_place = services.enroll(ash, unfinished.id, now=NOW)
    healing_place = completed(ash, healing)
    # birch completed one of them today, the only reason they may mentor.
    birchs = completed(birch, kept)
    removal.remove_ended(ash, ended(gone).id, now=NOW)
    db.session.expire_all()
    marked = {
        place.id: place.mentor_eligible_elsewhere
        for place in (kept_place, unfinished_place, healing_place, birchs)
    }
    assert marked == {
        kept_place.id: True,
        unfinished_place.id: False,
        healing_place.id: False,
        birchs.id: False,
    }
    # Undone today, ash's other completion leaves the eligibility; birch's takes theirs back.
    completion.undo_completion(kept.id, kept_place.id, now=NOW)
    completion.undo_completion(kept.id, birchs.id, now=NOW)
    assert (eligible(ash), eligible(birch)) == (True, False)
