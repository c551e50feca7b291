"""Reports match what happened, and still do after the purge and after the people go.

Issue 13: the numbers are counted as things happen, in the same transaction, so the
purge and account deletion (which remove the rows) change none of them. A scenario over
October and November 2026 goes through the services as the pages do; EXPECTED below is
written from the counting rules (README "Reports"), action by action, not read from the
code. The counts table must hold exactly EXPECTED, and the report must say each number as
the suppression rule says it (small counts hidden, and the one count that would give a
small one away withheld), before the purge, after it, and after every account that
took part is deleted (or, in the second test, deleted before any purge).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from advocacy.accounts import joining
from advocacy.accounts.models import Account
from advocacy.events import attendance as event_attendance
from advocacy.events import rsvps
from advocacy.extensions import db
from advocacy.moderation import reported
from advocacy.moderation import services as moderation
from advocacy.privacy import registry
from advocacy.programs import attendance as program_attendance
from advocacy.programs import catalog, completion
from advocacy.programs import services as programs
from advocacy.reports import services as reports
from advocacy.stories import services as stories
from tests.support.accounts import PASSWORD, make_account, make_invite
from tests.support.events import make_event
from tests.support.programs import make_program
from tests.support.purge import keep_signed_in, purge_at
from tests.support.reports import all_counts
from tests.support.stories import pending, published, report

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)
IN_OCTOBER = datetime(2026, 10, 14, 16, 0, tzinfo=UTC)  # 12:00 in New York
IN_NOVEMBER = datetime(2026, 11, 12, 16, 0, tzinfo=UTC)
# Long after everything here is past every retention period (enrollments: 365 days after
# the program ends; accounts: 548 days without a sign-in).
PURGE_AT = datetime(2028, 9, 1, 12, 0, tzinfo=UTC)
P, R, Q = "places", "approval", "other staff"  # the scenario's programs, by role


def expected(ids: dict[str, int]) -> dict[tuple[date, int | None, str], int]:
    """What the scenario counts (see build): (month, program id or None, measure) -> n."""
    p, r, q = ids[P], ids[R], ids[Q]
    return {
        # P (6 places, no approval): 8 ask in October, 6 get a place, 2 wait. In November
        # one with a place and one waiting withdraw; the place goes to the first waiting.
        (OCT, p, "requested"): 8,
        (OCT, p, "place_given"): 6,
        (OCT, p, "waitlisted"): 2,
        (NOV, p, "withdrawn"): 2,
        (NOV, p, "place_given"): 1,
        # Six completions in November; recording one twice counts it once.
        (NOV, p, "completed"): 6,
        # Its two October meetings, attendance recorded (and corrected) in November:
        # counted in the month they met. Finally 5 came to the first, 1 to the second.
        (OCT, p, "meeting_held"): 2,
        (OCT, p, "attended"): 6,
        # R (2 places, approval): 3 ask (2 held for a decision, 1 waits); in November one
        # is approved, one declined (the one waiting moves up to a decision), then approved.
        (OCT, r, "requested"): 3,
        (OCT, r, "waitlisted"): 1,
        (NOV, r, "place_given"): 2,
        (NOV, r, "declined"): 1,
        # Q, another staff member's: one request, one place.
        (OCT, q, "requested"): 1,
        (OCT, q, "place_given"): 1,
        # The whole site: 8 join in October and 2 in November; 7 RSVP to an October event
        # outside programs, 6 recorded as present (in November) ...
        (OCT, None, "new_member"): 8,
        (NOV, None, "new_member"): 2,
        (OCT, None, "rsvp"): 7,
        (OCT, None, "meeting_held"): 1,
        (OCT, None, "attended"): 6,
        # ... 6 stories sent for review in October, 5 published; one published story's
        # edit sent again and approved in November (sent: counted; published: not again);
        # 5 reports in November: 3 of one story (taken down), 2 of another (kept up).
        (OCT, None, "story_submitted"): 6,
        (OCT, None, "story_published"): 5,
        (NOV, None, "story_submitted"): 1,
        (NOV, None, "report_filed"): 5,
        (NOV, None, "report_removed"): 3,
        (NOV, None, "report_kept"): 2,
    }


def join(app, count: int, first: int, now: datetime) -> list[int]:
    """`count` people join with an invite, as /join does; return their account ids."""
    code, _ = make_invite(app, None, now=now, uses=count)
    ids = []
    with app.app_context():
        for n in range(first, first + count):
            made = joining.register_account(
                invite_code=code,
                pseudonym=f"joiner-{chr(ord('a') + n)}",
                password=PASSWORD,
                password_confirm=PASSWORD,
                now=now,
                open_joining=False,
                site_name="Pathways",
            )
            db.session.commit()
            ids.append(made.account.id)
    return ids


def build(app) -> tuple[dict[str, int], list[int]]:
    """Play the scenario; return the programs' ids and every account that took part."""
    staff = make_account(app, "maple-staff", role="staff")
    other_staff = make_account(app, "alder-staff", role="staff")
    mentor = make_account(app, "heron-mentor", role="mentor")
    m = join(app, 8, 0, IN_OCTOBER) + join(app, 2, 8, IN_NOVEMBER)
    ids = {
        P: make_program(app, staff.id, now=IN_OCTOBER, capacity=6, meetings=2).id,
        R: make_program(app, staff.id, now=IN_OCTOBER, capacity=2, needs_approval=True).id,
        Q: make_program(app, other_staff.id, now=IN_OCTOBER, meetings=0).id,
    }
    circle = make_event(app, staff.id, now=IN_OCTOBER).first
    with app.app_context():
        who = [db.session.get(Account, account_id) for account_id in m]
        mentor_account = db.session.get(Account, mentor.id)
        # October.
        for member in who[:8]:
            programs.enroll(member, ids[P], now=IN_OCTOBER)
        waiting_r = [programs.enroll(member, ids[R], now=IN_OCTOBER) for member in who[:3]]
        programs.enroll(who[3], ids[Q], now=IN_OCTOBER)
        bookings = [rsvps.rsvp(member, circle, now=IN_OCTOBER) for member in who[:7]]
        own = [published(member, mentor_account, at=IN_OCTOBER) for member in who[:5]]
        pending(who[5], at=IN_OCTOBER)
        db.session.commit()
        # November.
        programs.withdraw(who[5], ids[P], now=IN_NOVEMBER)  # had a place: who[6] gets it
        programs.withdraw(who[7], ids[P], now=IN_NOVEMBER)  # was waiting
        programs.approve(ids[R], waiting_r[0].id, note="", now=IN_NOVEMBER)
        programs.decline(ids[R], waiting_r[1].id, note="Full.", now=IN_NOVEMBER)
        programs.approve(ids[R], waiting_r[2].id, note="", now=IN_NOVEMBER)
        for member in [*who[:5], who[6]]:  # recording one twice is refused
            enrollment = programs.enrollment_of(member.id, ids[P])
            completion.complete(ids[P], enrollment.id, now=IN_NOVEMBER)
        first, second = (o.id for o, _event in catalog.meetings(ids[P]))
        came = {member.id for member in who[:3]}
        program_attendance.record_attendance(ids[P], first, came, now=IN_NOVEMBER)  # 3
        everyone = {member.id for member in [*who[:5], who[6]]}
        program_attendance.record_attendance(ids[P], first, everyone, now=IN_NOVEMBER)  # 6
        program_attendance.record_attendance(
            ids[P], first, everyone - {who[6].id}, now=IN_NOVEMBER
        )  # 5
        program_attendance.record_attendance(ids[P], second, set(), now=IN_NOVEMBER)  # held, 0 came
        program_attendance.record_attendance(ids[P], second, {who[0].id}, now=IN_NOVEMBER)  # 1
        present = {booking.id for booking in bookings[:6]}
        event_attendance.record_attendance(circle, present, now=IN_NOVEMBER)
        edit = stories.StoryInput(title="Finding my voice", body="I learned to speak again!")
        stories.submit(who[0], edit, now=IN_NOVEMBER, story=own[0])
        moderation.decide_story(
            mentor_account, own[0].id, "approve", note="", seen_updated_at=None, now=IN_NOVEMBER
        )
        for reporter in who[2:5]:
            report(reporter, own[1], at=IN_NOVEMBER)
        for reporter in who[5:7]:
            report(reporter, own[2], at=IN_NOVEMBER)
        reported.decide_reports(
            mentor_account, own[1].id, "remove", note="Names someone.", now=IN_NOVEMBER
        )
        reported.decide_reports(mentor_account, own[2].id, "keep", note="", now=IN_NOVEMBER)
        db.session.commit()
    return ids, [*m, staff.id, other_staff.id, mentor.id]


def said(count: int, withheld: bool = False) -> str:
    """The suppression rule: 1 to 4 is "fewer than 5"; 0 and 5 up show, unless withheld."""
    if withheld:
        return "not shown"
    return "fewer than 5" if 1 <= count <= 4 else str(count)


def said_total(counts: list[int], withheld: list[bool]) -> str:
    """A total is the sum of the shown counts, "at least" when one is not shown; with
    nothing shown to add, "not shown" if one is withheld, "fewer than 5" when it covers
    one small count (the others 0), else "fewer than 5 each, not added up"."""
    shown = [n for n, w in zip(counts, withheld, strict=True) if not w and not 1 <= n <= 4]
    if len(shown) == len(counts):
        return str(sum(shown))
    if sum(shown):
        return f"at least {sum(shown)}"
    if any(withheld):
        return "not shown"
    small = [n for n in counts if 1 <= n <= 4]
    return "fewer than 5" if len(small) == 1 else "fewer than 5 each, not added up"


def report_says(app) -> dict[tuple[int | None, str, str], str]:
    """Everything the operator's report for October-November says:
    (program id or None, measure, "2026-10-01" or "total") -> text."""
    with app.test_request_context():
        made = reports.report_for(None, reports.programs_for(None), first=OCT, last=NOV)
        found = {}
        for table in made.tables:
            for month, row in zip(table.months, table.shown.rows, strict=True):
                for measure, figure in zip(table.group.measures, row, strict=True):
                    found[table.program_id, measure, month.isoformat()] = figure.text()
            for measure, figure in zip(table.group.measures, table.shown.totals, strict=True):
                found[table.program_id, measure, "total"] = figure.text()
        return found


def what_it_should_say(counts: dict, ids: dict[str, int]) -> dict:
    """The report's every text, from the expected counts and the suppression rule."""
    groups = {
        "program": [
            "requested",
            "place_given",
            "waitlisted",
            "declined",
            "withdrawn",
            "completed",
            "meeting_held",
            "attended",
        ],
        "site": [
            "meeting_held",
            "rsvp",
            "attended",
            "new_member",
            "story_submitted",
            "story_published",
            "report_filed",
            "report_kept",
            "report_removed",
        ],
    }
    scopes = [(ids[P], "program"), (ids[R], "program"), (ids[Q], "program"), (None, "site")]
    # Complementary suppression: P's October places are 8 asked = 6 given + 2 waiting, so
    # the 6 would tell the 2 and is withheld. Every other small count has a small one or
    # no tie beside it (R: 3 asked, 1 waiting; 2 given, 1 declined. Q: 1 asked, 1 given.
    # P in November: 1 given, 2 withdrawn, 6 completed. Reports: 5 = 2 kept + 3 removed).
    withheld = {(ids[P], "place_given", OCT)}
    wanted = {}
    for program_id, kind in scopes:
        for measure in groups[kind]:
            monthly = [counts.get((month, program_id, measure), 0) for month in (OCT, NOV)]
            held = [(program_id, measure, month) in withheld for month in (OCT, NOV)]
            wanted[program_id, measure, "2026-10-01"] = said(monthly[0], held[0])
            wanted[program_id, measure, "2026-11-01"] = said(monthly[1], held[1])
            wanted[program_id, measure, "total"] = said_total(monthly, held)
    return wanted


def test_reports_match_before_the_purge_after_it_and_after_everyone_is_deleted(app, clock):
    ids, people = build(app)
    counts = expected(ids)
    should_say = what_it_should_say(counts, ids)
    assert all_counts(app) == counts
    assert report_says(app) == should_say
    # Spot checks of the rule on real numbers: 8 requests show, 3 hide, totals add up.
    assert should_say[ids[P], "requested", "total"] == "8"
    assert should_say[ids[R], "requested", "2026-10-01"] == "fewer than 5"
    assert should_say[ids[P], "place_given", "2026-10-01"] == "not shown"
    assert should_say[ids[P], "place_given", "total"] == "not shown"

    # Everyone signed in lately, so the purge removes the records, not the accounts.
    keep_signed_in(app, PURGE_AT.date())
    deleted = purge_at(app, PURGE_AT)
    # The rows are gone: places (P 6, R 2, Q 1), RSVPs (the event's 7), attendance (the 6
    # places recorded at each program meeting, which goes with the places), the kept
    # story's 2 reports, and the story taken down (with its 3) ...
    gone = (
        "program enrollments",
        "RSVPs",
        "attendance at program meetings",
        "story reports",
        "declined stories",
    )
    assert [deleted[kind] for kind in gone] == [9, 7, 6 + 6, 2, 1]
    assert all_counts(app) == counts  # ... the numbers are not
    assert report_says(app) == should_say

    with app.app_context():
        for account_id in people:
            registry.delete_account(db.session.get(Account, account_id))
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(Account)) == 0
    assert all_counts(app) == counts
    assert report_says(app) == should_say


def test_people_deleting_their_accounts_before_any_purge_leave_the_numbers(app, clock):
    ids, people = build(app)
    counts = expected(ids)
    with app.app_context():
        for account_id in people:
            registry.delete_account(db.session.get(Account, account_id))
        db.session.commit()
    assert all_counts(app) == counts
    assert report_says(app) == what_it_should_say(counts, ids)
