"""A program's page, read before asking for a place (issue 16, point 1; DESIGN §3 Programs).

Any member who may see the program reads: when it meets (each meeting still to come, day
and time in the meeting's time zone, at most ten, then how many more and the last one;
never the venue, and no link to a meeting page they may not open), how many places are
left or that asking now means the waiting list, whether staff approve requests, and what
completing it means. The description is Markdown shown through advocacy/sanitize.py. The
waiting list's words are true for a program whose requests staff approve: a place that
opens sends the request to staff, who decide; it is never "yours".

The clock stands at Friday 27 November 2026, 12:00 UTC; tests/support/programs.py puts the
first meeting two days later, Sunday 29 November, 18:00 to 19:00 in New York (EST), and
the next ones a week apart.
"""

from __future__ import annotations

import html
import re

from advocacy.extensions import db
from advocacy.programs.models import Program
from tests.support.accounts import make_account
from tests.support.programs import MEETING_VENUE, make_program

NNBSP = "\u202f"  # CLDR puts a narrow no-break space before AM/PM
SUNDAYS = [
    f"Sunday, 29 November 2026, 6:00{NNBSP}PM–7:00{NNBSP}PM EST (America/New_York)",
    f"Sunday, 6 December 2026, 6:00{NNBSP}PM–7:00{NNBSP}PM EST (America/New_York)",
    f"Sunday, 13 December 2026, 6:00{NNBSP}PM–7:00{NNBSP}PM EST (America/New_York)",
]
APPROVAL_WAIT = (
    "Full: asking now puts you on the waiting list. When a place opens, the request of "
    "whoever has waited longest goes to staff, who decide."
)
PLAIN_WAIT = (
    "Full: asking now puts you on the waiting list. When a place opens, it goes to "
    "whoever has waited longest."
)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def section(page: str, heading: str) -> str:
    """The words under an h3 up to the next heading, tags dropped, runs of ASCII white
    space made one (a narrow no-break space stays)."""
    found = re.search(rf"<h3>{heading}</h3>(.*?)<h[23]", page, re.S).group(1)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", found)).strip()


def test_a_member_without_a_place_reads_when_it_meets_and_never_where(
    app, auth, clock, staff, member
):
    made = make_program(app, staff.id, now=clock(), meetings=3, capacity=5)
    auth.login(member)
    page = text(auth.client.get(f"/programs/{made.id}"))
    when = section(page, "When it meets")
    for day in SUNDAYS:
        assert f"{day} · Queens" in when
    assert "Where it meets is shared once you have a place." in when
    assert MEETING_VENUE not in page
    assert "Lantern Lane" not in page
    # The meetings are not links: their pages are for members with a place.
    for meeting in made.meeting_ids:
        assert f'href="/events/{meeting}"' not in page
    assert "5 places left of 5." in page
    assert "No approval needed: if a place is free when you ask, it's yours." in page
    assert "The staff who run it record completion, from its first day on" in page
    assert "completion letter with a code anyone can check" in page
    assert "peer mentor" not in page  # a healing program
    assert ">Ask for a place</button>" in page

    # The first meeting over: only those still to come.
    clock.advance(days=2, hours=12)
    auth.login(member)  # a new day, a new session
    later = section(text(auth.client.get(f"/programs/{made.id}")), "When it meets")
    assert SUNDAYS[0] not in later
    assert SUNDAYS[1] in later


def test_a_member_with_a_place_opens_each_meeting_instead(app, auth, clock, staff, member):
    made = make_program(app, staff.id, now=clock(), meetings=2)
    auth.login(member)
    auth.client.post(f"/programs/{made.id}/enroll")
    page = text(auth.client.get(f"/programs/{made.id}"))
    assert "<h3>When it meets</h3>" not in page
    for meeting in made.meeting_ids:
        assert f'href="/events/{meeting}"' in page


def test_more_than_ten_meetings_say_how_many_more_and_the_last(app, auth, clock, staff, member):
    made = make_program(app, staff.id, now=clock(), meetings=12)
    auth.login(member)
    when = section(text(auth.client.get(f"/programs/{made.id}")), "When it meets")
    assert when.count("(America/New_York) · Queens") == 10
    # The 12th Sunday from 29 November 2026 is 14 February 2027.
    assert (
        f"And 2 more meetings, the last on Sunday, 14 February 2027, 6:00{NNBSP}PM–7:00"
        f"{NNBSP}PM EST (America/New_York)."
    ) in when
    assert "Sunday, 7 February 2027" not in when  # the 11th is counted, not listed


def test_a_program_with_no_meetings_says_so(app, auth, clock, staff, member):
    made = make_program(app, staff.id, now=clock(), meetings=0)
    auth.login(member)
    assert "No meetings are scheduled yet." in text(auth.client.get(f"/programs/{made.id}"))


def test_a_full_approval_program_says_staff_decide_and_never_that_the_place_is_yours(
    app, auth, clock, staff, member, other_member
):
    made = make_program(app, staff.id, now=clock(), capacity=1, needs_approval=True)
    first = app.test_client()
    auth.login(other_member, client=first)
    first.post(f"/programs/{made.id}/enroll")  # pending: holds the one place
    auth.login(member)
    page = text(auth.client.get(f"/programs/{made.id}"))
    assert "Staff look at each request before confirming it." in page
    assert APPROVAL_WAIT in page
    assert PLAIN_WAIT not in page
    assert "places left" not in page
    assert ">Join the waiting list</button>" in page
    assert ">Ask for a place</button>" not in page

    asked = text(auth.client.post(f"/programs/{made.id}/enroll", follow_redirects=True))
    assert (
        "The program is full, so you're on the waiting list. If a place opens up, your "
        "request goes to staff, who decide. We'll tell you."
    ) in asked
    assert (
        "You're on the waiting list (number 1). If a place opens up, your request goes to "
        "staff, who decide. We'll tell you."
    ) in asked
    assert "it's yours" not in asked


def test_a_full_program_without_approval_gives_the_place_to_the_longest_waiting(
    app, auth, clock, staff, member, other_member
):
    made = make_program(app, staff.id, now=clock(), capacity=1)
    first = app.test_client()
    auth.login(other_member, client=first)
    first.post(f"/programs/{made.id}/enroll")
    auth.login(member)
    page = text(auth.client.get(f"/programs/{made.id}"))
    assert PLAIN_WAIT in page
    assert APPROVAL_WAIT not in page
    asked = text(auth.client.post(f"/programs/{made.id}/enroll", follow_redirects=True))
    assert "If a place opens up, it's yours and we'll tell you." in asked
    assert "staff, who decide" not in asked


def test_a_leadership_program_says_it_leads_to_mentoring(app, auth, clock, staff, member):
    made = make_program(app, staff.id, now=clock(), kind="leadership")
    auth.login(member)
    page = text(auth.client.get(f"/programs/{made.id}"))
    assert (
        "Completing a leadership program also makes you eligible to become a peer mentor, "
        "if you would like to. An admin makes that change."
    ) in page


def test_the_description_is_markdown_made_safe(app, auth, clock, staff, member):
    made = make_program(app, staff.id, now=clock())
    with app.app_context():
        db.session.get(Program, made.id).description = (
            "**Bring** a *friend*.\n\n<script>alert(1)</script>\n\n"
            "[Safety](javascript:alert(2)) and [help](https://example.org/help)"
        )
        db.session.commit()
    auth.login(member)
    raw = auth.client.get(f"/programs/{made.id}").get_data(as_text=True)
    assert "<strong>Bring</strong> a <em>friend</em>." in raw
    assert "**Bring**" not in raw
    assert "<script>alert(1)" not in raw
    assert 'href="javascript' not in raw
    assert '<a href="https://example.org/help" rel="nofollow noopener noreferrer">help</a>' in raw


def test_staff_of_another_program_and_mentors_read_the_same_page(app, clock, staff, auth):
    made = make_program(app, staff.id, now=clock(), meetings=1)
    for account in (
        make_account(app, "birch-staff", role="staff"),
        make_account(app, "ash-mentor", role="mentor"),
    ):
        client = app.test_client()
        auth.login(account, client=client)
        page = text(client.get(f"/programs/{made.id}"))
        assert MEETING_VENUE not in page
        assert "5 places left of 5." in page


def test_a_program_that_is_over_reads_ended_never_completed(app, auth, clock, staff, member):
    # "Completed" on a program read as the member's own completion (newcomer's try).
    made = make_program(app, staff.id, now=clock(), meetings=0, status="completed")
    auth.login(member)
    page = text(auth.client.get(f"/programs/{made.id}"))
    assert "Healing · Ended" in page
    assert "Completed" not in page
