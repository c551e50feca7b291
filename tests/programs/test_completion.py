"""Completion at the service level (issue 13, point 2), with an explicit `now`.

The rules, written here from the issue (never read from the code):

- completion is recorded only for a confirmed place, once, and not before the program's
  first day in the site's time zone (America/New_York in the tests: UTC-5 in November);
  the day recorded is that local date;
- the member gets one notice, "You completed <program>", linking to
  /programs/<id>/letter; a leadership program makes them eligible to become a mentor;
- it can be undone only on the local day it was recorded: the completion goes, every
  letter issued for it stops verifying (checked with the real code), the notice is
  withdrawn, and mentor eligibility goes back only when this completion gave it and no
  other leadership completion is on record; what the completion found about eligibility
  goes with it (the place is as it was before);
- each completion counts once in the monthly count of completions, under its program, in
  the month it was recorded; an undo takes it back (only there);
- undone, the member is told calmly, without blame: a notice that the staff who run the
  program corrected its completion record, that it no longer shows as completed, and
  that they can ask the program's staff; it names nobody and carries no reason, only the
  program's title, and links to the program. Recorded again, that notice goes (the
  completion notice says it all).
- a letter shown again from its seed (kept in the member's session) is the letter that
  seed made, code and seed, and only for the member it was made for.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.notices.services import message_for, notify
from advocacy.privacy import registry
from advocacy.programs import completion, services
from advocacy.programs.models import CompletionLetter, Enrollment
from advocacy.reports.models import MonthlyCount
from tests.support.event_rules import NOW, notices_of, person
from tests.support.program_rules import program

pytestmark = pytest.mark.usefixtures("in_request")

# The program starts on 2026-11-28 (local). Midnight in New York is 05:00 UTC.
FIRST_DAY = date(2026, 11, 28)
LAST_EVENING_BEFORE = datetime(2026, 11, 28, 4, 59, 59, tzinfo=UTC)  # 23:59:59 on the 27th
FIRST_MORNING = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)  # 00:00 on the 28th
MIDDAY = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)  # 12:00 on the 28th
LATE_THAT_NIGHT = datetime(2026, 11, 29, 4, 59, 59, tzinfo=UTC)  # 23:59:59 on the 28th
NEXT_DAY = datetime(2026, 11, 29, 5, 0, tzinfo=UTC)  # 00:00 on the 29th


def refusal(action) -> str:
    with pytest.raises(services.ProgramError) as refused:
        action()
    return str(refused.value.message)


def started(title: str = "Healing", kind: str = "healing", capacity: int = 3):
    """A program (made at NOW, 2026-11-27) whose first day is 2026-11-28."""
    return program(
        person(f"staff-{title}", "staff"), title, kind=kind, capacity=capacity, starts_in=1
    )


def place(member: Account, made) -> Enrollment:
    return services.enroll(member, made.id, now=NOW)


def eligible(member: Account) -> bool:
    db.session.flush()
    return db.session.scalar(select(Account.is_mentor_eligible).where(Account.id == member.id))


def letters() -> int:
    return db.session.scalar(select(func.count()).select_from(CompletionLetter))


# Recording


def test_completion_waits_for_the_program_s_first_day_in_the_site_s_time_zone():
    made, member = started(), person("ash")
    enrollment = place(member, made)
    assert refusal(
        lambda: completion.complete(made.id, enrollment.id, now=LAST_EVENING_BEFORE)
    ) == ("This program starts on 28 November 2026. Completion can be recorded from that day on.")
    assert enrollment.completed_on is None
    assert notices_of(member) == []
    completion.complete(made.id, enrollment.id, now=FIRST_MORNING)
    assert enrollment.completed_on == date(2026, 11, 28)


def test_the_day_recorded_is_the_local_date_not_the_utc_one():
    made, member = started(), person("ash")
    enrollment = place(member, made)
    completion.complete(made.id, enrollment.id, now=LATE_THAT_NIGHT)  # the 29th in UTC
    assert enrollment.completed_on == date(2026, 11, 28)


def test_the_member_is_told_once_with_a_link_to_their_letter_page():
    made, member, other = started("Open hearts"), person("ash"), person("birch")
    enrollment = place(member, made)
    place(other, made)
    completion.complete(made.id, enrollment.id, now=MIDDAY)
    assert [(n.kind, n.params, n.link, n.created_at) for n in notices_of(member)] == [
        ("program_completed", {"title": "Open hearts"}, f"/programs/{made.id}/letter", MIDDAY)
    ]
    assert notices_of(other) == []
    assert refusal(lambda: completion.complete(made.id, enrollment.id, now=MIDDAY)) == (
        "Completion is already recorded for this member."
    )
    assert len(notices_of(member)) == 1


def test_only_a_confirmed_place_of_this_program_is_completed():
    made, other = started(capacity=1), started("Other")
    placed, waiting = person("ash"), person("birch")
    place(placed, made)
    queued = place(waiting, made)
    assert queued.status == "waitlisted"
    assert refusal(lambda: completion.complete(made.id, queued.id, now=MIDDAY)) == (
        "Only members with a confirmed place can complete a program."
    )
    elsewhere = place(person("cedar"), other)
    assert refusal(lambda: completion.complete(made.id, elsewhere.id, now=MIDDAY)) == (
        "That request is no longer there."
    )
    assert (queued.completed_on, elsewhere.completed_on) == (None, None)
    assert notices_of(waiting) == []


def test_leadership_makes_a_member_eligible_to_mentor_and_healing_does_not():
    healing, leadership = started(), started("Lead", kind="leadership")
    ash, birch = person("ash"), person("birch")
    completion.complete(healing.id, place(ash, healing).id, now=MIDDAY)
    completion.complete(leadership.id, place(birch, leadership).id, now=MIDDAY)
    assert (eligible(ash), eligible(birch)) == (False, True)
    assert birch.role == "member"  # an admin still makes the role change


# Undoing


def test_undo_is_allowed_until_the_local_day_ends_and_calmly_refused_after():
    made, member = started(), person("ash")
    enrollment = place(member, made)
    completion.complete(made.id, enrollment.id, now=FIRST_MORNING)
    completion.undo_completion(made.id, enrollment.id, now=LATE_THAT_NIGHT)
    assert enrollment.completed_on is None
    completion.complete(made.id, enrollment.id, now=MIDDAY)  # recorded again, the same day
    assert refusal(lambda: completion.undo_completion(made.id, enrollment.id, now=NEXT_DAY)) == (
        "Completion was recorded on 28 November 2026. It can be undone only on the day it was "
        "recorded, so it stays."
    )
    assert enrollment.completed_on == date(2026, 11, 28)
    assert [n.kind for n in notices_of(member)] == ["program_completed"]


def test_undo_needs_a_completion_of_this_program():
    made, other = started(), started("Other")
    enrollment = place(person("ash"), made)
    assert refusal(lambda: completion.undo_completion(made.id, enrollment.id, now=MIDDAY)) == (
        "There is no completion to undo for this member."
    )
    theirs = place(person("birch"), other)
    completion.complete(other.id, theirs.id, now=MIDDAY)
    assert refusal(lambda: completion.undo_completion(made.id, theirs.id, now=MIDDAY)) == (
        "That request is no longer there."
    )
    assert theirs.completed_on == date(2026, 11, 28)


def test_undo_stops_every_letter_verifying_and_withdraws_only_that_notice():
    made, other = started("Open hearts"), started("Other")
    member, neighbour = person("ash"), person("birch")
    enrollment = place(member, made)
    completion.complete(made.id, enrollment.id, now=MIDDAY)
    kept = place(neighbour, made)
    completion.complete(made.id, kept.id, now=MIDDAY)
    completion.complete(other.id, place(member, other).id, now=MIDDAY)
    notify(member.id, "enrollment_confirmed", now=MIDDAY, link=f"/programs/{made.id}", title="x")
    codes = [completion.issue_letter(member, made.id, now=MIDDAY).code for _ in range(2)]
    theirs = completion.issue_letter(neighbour, made.id, now=MIDDAY).code
    (verified_program, verified) = completion.verify_letter(codes[0])
    assert (verified_program.id, verified.id) == (made.id, enrollment.id)
    # Read: a withdrawn notice goes whether or not the member has seen it.
    for notice in notices_of(member):
        notice.read_at = MIDDAY

    completion.undo_completion(made.id, enrollment.id, now=MIDDAY)

    assert [completion.verify_letter(code) for code in codes] == [None, None]
    assert completion.verify_letter(theirs)[1].id == kept.id
    assert letters() == 1
    assert [(n.kind, n.link) for n in notices_of(member)] == [
        ("program_completed", f"/programs/{other.id}/letter"),
        ("enrollment_confirmed", f"/programs/{made.id}"),
        ("completion_corrected", f"/programs/{made.id}"),
    ]
    assert [n.kind for n in notices_of(neighbour)] == ["program_completed"]
    assert db.session.get(Enrollment, enrollment.id).completed_on is None
    assert refusal(lambda: completion.issue_letter(member, made.id, now=MIDDAY)) == (
        "A letter is available once you have completed the program."
    )


def test_undo_takes_back_the_eligibility_only_this_completion_gave():
    first, second = started("Lead", kind="leadership"), started("Lead 2", kind="leadership")
    member = person("ash")
    one, two = place(member, first), place(member, second)
    completion.complete(first.id, one.id, now=MIDDAY)
    completion.complete(second.id, two.id, now=MIDDAY)
    completion.undo_completion(first.id, one.id, now=MIDDAY)
    assert eligible(member) is True  # the second leadership completion still stands
    member.is_mentor_interested = True  # they had said yes meanwhile
    completion.undo_completion(second.id, two.id, now=MIDDAY)
    assert eligible(member) is False  # nothing on record makes them eligible now
    # The notice that they may become a mentor goes with it, and so does their answer.
    assert "mentor_eligible" not in [n.kind for n in notices_of(member)]
    assert member.is_mentor_interested is None


def test_undo_leaves_eligibility_that_came_from_elsewhere():
    lead, healing = started("Lead", kind="leadership"), started()
    # Eligible from a leadership program completed long ago, whose record is purged.
    veteran, newcomer = person("ash"), person("birch")
    veteran.is_mentor_eligible = newcomer.is_mentor_eligible = True
    mine = place(veteran, lead)
    completion.complete(lead.id, mine.id, now=MIDDAY)
    assert mine.mentor_eligible_elsewhere  # no completion on record explains it
    completion.undo_completion(lead.id, mine.id, now=MIDDAY)
    assert eligible(veteran) is True
    # What the completion found goes with it: the place is as it was before.
    assert (mine.completed_on, mine.mentor_eligible_elsewhere) == (None, False)
    theirs = place(newcomer, healing)
    completion.complete(healing.id, theirs.id, now=MIDDAY)
    completion.undo_completion(healing.id, theirs.id, now=MIDDAY)
    assert eligible(newcomer) is True  # a healing program never touches it


def test_a_completion_recorded_again_after_undo_tells_the_member_again():
    made, member = started(), person("ash")
    enrollment = place(member, made)
    completion.complete(made.id, enrollment.id, now=MIDDAY)
    completion.undo_completion(made.id, enrollment.id, now=MIDDAY)
    assert [n.kind for n in notices_of(member)] == ["completion_corrected"]
    completion.complete(made.id, enrollment.id, now=MIDDAY)
    assert [n.kind for n in notices_of(member)] == ["program_completed"]
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 1


def completions_counted() -> dict[tuple[date, int | None], int]:
    """(month, program) -> the monthly count of completions, where it is not 0."""
    rows = db.session.execute(
        select(MonthlyCount.month, MonthlyCount.program_id, MonthlyCount.count).where(
            MonthlyCount.measure == "completed", MonthlyCount.count != 0
        )
    )
    return {(month, program_id): count for month, program_id, count in rows}


def test_a_completion_counts_once_for_its_program_and_month_and_an_undo_takes_it_back():
    made, other = started(), started("Other")
    member = person("ash")
    enrollment = place(member, made)
    completion.complete(other.id, place(member, other).id, now=MIDDAY)
    completion.complete(made.id, enrollment.id, now=MIDDAY)
    november = date(2026, 11, 1)
    assert completions_counted() == {(november, made.id): 1, (november, other.id): 1}
    completion.undo_completion(made.id, enrollment.id, now=MIDDAY)
    assert completions_counted() == {(november, other.id): 1}


CORRECTED = (
    "The staff who run “Open hearts” corrected its completion record: it no longer shows "
    "as completed for you, and any completion letter made for it no longer verifies. If "
    "you have questions, the staff who run the program can tell you more."
)


def test_undo_tells_the_member_calmly_that_the_record_was_corrected():
    made = started("Open hearts")
    staff_member = db.session.get(Account, made.created_by_id)
    member, neighbour = person("ash"), person("birch")
    enrollment = place(member, made)
    completion.complete(made.id, enrollment.id, now=MIDDAY)
    completion.complete(made.id, place(neighbour, made).id, now=MIDDAY)
    completion.undo_completion(made.id, enrollment.id, now=LATE_THAT_NIGHT)
    (told,) = [n for n in notices_of(member) if n.kind != "program_completed"]
    assert (told.kind, told.params, told.link, told.created_at, told.read_at) == (
        "completion_corrected",
        {"title": "Open hearts"},
        f"/programs/{made.id}",
        LATE_THAT_NIGHT,
        None,
    )
    said = message_for(told)
    assert said == CORRECTED
    # Nobody named, no reason, nothing alarming or blaming.
    for other in (staff_member.pseudonym, "ash", "birch"):
        assert other not in said
    for alarming in ("mistake", "error", "fault", "revoked", "fraud", "!"):
        assert alarming not in said.lower()
    assert [n.kind for n in notices_of(neighbour)] == ["program_completed"]


def test_the_correction_notice_is_said_in_spanish():
    made = started("Open hearts")
    enrollment = place(person("ash"), made)
    completion.complete(made.id, enrollment.id, now=MIDDAY)
    completion.undo_completion(made.id, enrollment.id, now=MIDDAY)
    told = db.session.scalar(select(Notice).where(Notice.kind == "completion_corrected"))
    with force_locale("es"):
        said = message_for(told)
    assert said != CORRECTED
    assert "“Open hearts”" in said
    assert "ya no aparece como terminado" in said


def test_the_correction_notice_is_exported_and_deleted_with_the_account():
    made = started("Open hearts")
    member = person("ash")
    enrollment = place(member, made)
    completion.complete(made.id, enrollment.id, now=MIDDAY)
    completion.undo_completion(made.id, enrollment.id, now=MIDDAY)
    exported = registry.export_account(member, now=MIDDAY)["notices"]
    assert [(n["message"], n["link"]) for n in exported] == [(CORRECTED, f"/programs/{made.id}")]
    (held,) = [h for h in registry.summarize_account(member) if h.what == "Notices"]
    assert held.count == 1
    registry.delete_account(member)
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 0


def test_a_letter_shown_again_is_the_one_its_seed_made_and_only_for_its_holder():
    made, member, neighbour = started(), person("ash"), person("birch")
    completion.complete(made.id, place(member, made).id, now=MIDDAY)
    completion.complete(made.id, place(neighbour, made).id, now=MIDDAY)
    made_now = completion.issue_letter(member, made.id, now=MIDDAY)
    shown = completion.shown_letter(member, made.id, made_now.seed)
    assert (shown.program, shown.enrollment, shown.code, shown.seed) == (
        made,
        services.enrollment_of(member.id, made.id),
        made_now.code,
        made_now.seed,
    )
    assert completion.shown_letter(neighbour, made.id, made_now.seed) is None
