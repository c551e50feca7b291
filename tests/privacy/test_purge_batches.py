"""Each purger's batch takes at most its size, claiming its rows FOR UPDATE SKIP LOCKED
(on PostgreSQL two purges never wait for each other's rows: test_purge_concurrency.py):
RSVPs, inactive accounts, and story versions that go (the published one coming back).
The places in programs go only from programs that ended more than the rule's days ago,
and only those programs are claimed: a running program with places never takes a
batch's room. An account's deletion frees its places in programs and at meetings one
program, one meeting at a time in the order of their ids (the one lock order every
write follows, so deletions and purges never deadlock), whatever order it booked them in.
"""

from __future__ import annotations

from sqlalchemy import insert

from advocacy.accounts.privacy import purge_inactive
from advocacy.events import rsvps
from advocacy.events.models import Rsvp
from advocacy.events.privacy import expired_rsvps, purge_rsvps
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.programs import services as programs
from advocacy.programs.privacy import purge_enrollments
from advocacy.stories.models import Story
from advocacy.stories.privacy import revert_expired
from tests.support.accounts import make_account
from tests.support.events import make_event
from tests.support.postgres import read_as_stored
from tests.support.programs import make_program
from tests.support.purge import DAY, T0, account, keep_signed_in, person, spy_on_reads
from tests.support.stories import published

SKIP_LOCKED = "FOR UPDATE SKIP LOCKED"


def test_a_batch_of_rsvps_takes_at_most_its_size_skipping_locked_rows(app, monkeypatch):
    organiser = make_account(app, "maple-staff", role="staff").id
    meetings = [
        make_event(app, organiser, now=T0 - 60 * DAY, in_days=1 + n, title=f"Circle {n}").first
        for n in range(3)
    ]
    guest = person(app, "fern-member")
    with app.app_context():
        rows = [
            {"occurrence_id": m, "account_id": guest, "status": "confirmed", "created_at": T0}
            for m in meetings
        ]
        db.session.execute(insert(Rsvp), rows)
        db.session.commit()
        claims = spy_on_reads(monkeypatch)
        # Ended more than 30 days before T0 (DESIGN §4: RSVPs, 30 days after the event).
        expired = expired_rsvps(T0, 30)
        assert [purge_rsvps(expired, 2) for _ in range(3)] == [2, 1, 0]
    assert len(claims) == 3
    assert all(claim.endswith(SKIP_LOCKED) for claim in claims), claims


def test_a_batch_of_inactive_accounts_takes_at_most_its_size_skipping_locked_rows(app, monkeypatch):
    for name in ("fern", "gale", "wren"):
        person(app, f"{name}-member")
    keep_signed_in(app, T0.date() - 600 * DAY)  # none signed in for 600 days
    with app.app_context():
        claims = spy_on_reads(monkeypatch)
        assert [purge_inactive(T0, 365, 2) for _ in range(3)] == [2, 1, 0]
    claims = [claim for claim in claims if "accounts.last_login_on <=" in claim]
    assert len(claims) == 3
    assert all(claim.endswith(SKIP_LOCKED) for claim in claims), claims


def test_a_batch_of_story_versions_takes_at_most_its_size(app):
    author_id, mentor_id = person(app, "fern-member"), person(app, "oak-mentor", "mentor")
    with app.app_context():
        author, mentor = account(author_id), account(mentor_id)
        for title in ("Morning light", "Evening rain", "Night owl"):
            published(author, mentor, title, at=T0 - DAY)
        db.session.commit()
        every_published = lambda _now, _days: Story.published_at.is_not(None)  # noqa: E731
        assert revert_expired(every_published, T0, 0, 2) == 2
        assert revert_expired(every_published, T0, 0, 5) == 3


def test_only_programs_past_their_rule_are_claimed_for_a_batch_of_places(app):
    staff = make_account(app, "maple-staff", role="staff").id
    fern = person(app, "fern-member")
    running = make_program(
        app, staff, title="Running", now=T0, meetings=0, starts_in=1, ends_in=1000
    )
    ended = make_program(app, staff, title="Ended", now=T0, meetings=0, starts_in=1, ends_in=10)
    later = T0 + 400 * DAY  # 390 days after the end of the ended one: past its 365 days
    with app.app_context():
        for program in (running, ended):
            programs.enroll(account(fern), program.id, now=T0)
        db.session.commit()
        # The running program (the lower id) has a place too: it takes no room in a batch.
        assert purge_enrollments(later, 365, 1) == 1
        assert purge_enrollments(later, 365, 1) == 0
        assert programs.is_member_of(fern, running.id)
        assert not programs.is_member_of(fern, ended.id)


def test_a_deletion_frees_places_one_program_and_meeting_at_a_time_in_id_order(app, monkeypatch):
    staff = make_account(app, "maple-staff", role="staff").id
    fern = person(app, "fern-member")
    made = [make_program(app, staff, title=f"Program {n}", now=T0, meetings=0) for n in range(3)]
    meetings = [
        make_event(app, staff, now=T0, in_days=5 + n, title=f"Circle {n}").first for n in range(3)
    ]
    locked: list[tuple[str, int]] = []
    lock_program, lock_occurrence = programs.lock_program, rsvps.lock_occurrence

    def program_locked(program_id):
        locked.append(("program", program_id))
        return lock_program(program_id)

    def meeting_locked(occurrence_id):
        locked.append(("meeting", occurrence_id))
        return lock_occurrence(occurrence_id)

    with app.app_context():
        for program, meeting in zip(reversed(made), reversed(meetings), strict=True):
            programs.enroll(account(fern), program.id, now=T0)  # the last program first
            rsvps.rsvp(account(fern), meeting, now=T0)
        db.session.commit()
        monkeypatch.setattr(programs, "lock_program", program_locked)
        monkeypatch.setattr(rsvps, "lock_occurrence", meeting_locked)
        read_as_stored()  # on PostgreSQL the rows as booked: the last program first
        registry.delete_account(account(fern), now=T0)
        db.session.commit()
    assert [what for what, _ in locked] == ["program"] * 3 + ["meeting"] * 3
    assert [number for _, number in locked] == [p.id for p in made] + meetings


def test_a_batch_of_places_claims_programs_with_places_then_their_places_in_id_order(
    app, monkeypatch
):
    # Three programs that ended more than 365 days ago (DESIGN §4: places, 365 days after
    # the end): one without places (the lowest id: it must take no room in a batch), one
    # with two places and one with a place booked before those two.
    staff = make_account(app, "maple-staff", role="staff").id
    fern, gale = person(app, "fern-member"), person(app, "gale-member")
    made = [
        make_program(app, staff, title=title, now=T0, meetings=0, starts_in=1, ends_in=10).id
        for title in ("Empty", "First", "Second")
    ]
    empty, first, second = made
    later = T0 + 400 * DAY
    with app.app_context():
        programs.enroll(account(fern), second, now=T0)  # the lowest place id
        for member in (fern, gale):
            programs.enroll(account(member), first, now=T0)
        db.session.commit()
        claims = spy_on_reads(monkeypatch)
        # Size 1: the first program with places is claimed; its own place goes, not the
        # older place of the program after it.
        assert purge_enrollments(later, 365, 1) == 1
        assert programs.is_member_of(fern, second)
        assert [purge_enrollments(later, 365, 2) for _ in range(2)] == [2, 0]
        assert not programs.is_member_of(fern, second)
    assert programs_claim(claims[0])
    assert places_claim(claims[1])
    assert all(claim.endswith(SKIP_LOCKED) for claim in claims), claims
    assert empty < first < second


def programs_claim(statement: str) -> bool:
    """The claim of programs: ended ones with places, in id order, at most a batch."""
    return "FROM programs" in statement and "ORDER BY programs.id \n LIMIT" in statement


def places_claim(statement: str) -> bool:
    """The claim of places: those of the claimed programs, in id order, at most a batch."""
    return "FROM enrollments" in statement and "ORDER BY enrollments.id \n LIMIT" in statement
