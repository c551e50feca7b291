"""/account's "What we hold about you" says a request as a request, never as a place
(issue 13, a newcomer's try: "/account counts a pending program request as a place").

Written from the program states (programs/models.py, EnrollmentStatus): a place is a
confirmed one, completed or not; a request waiting for staff to decide (pending) and a
request on a waiting list (waitlisted) are requests, and count as such until staff give
the place. Both lines go when the places do: 365 days after each program ends.
"""

from __future__ import annotations

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import services as programs
from tests.privacy.test_purge_accounts import held_items
from tests.support.accounts import make_account
from tests.support.programs import make_program

PLACES = "Places in programs, with completion"
REQUESTS = "Requests for a place in a program (waiting for staff to decide, or on a waiting list)"
GOES = "365 days after each program ends (only counts stay)"


def held(client) -> dict[str, tuple[int, str]]:
    return {what: (n, goes) for what, n, goes in held_items(client.get("/account").text)}


def test_a_request_waiting_for_staff_reads_as_a_request_until_it_is_a_place(
    app, client, auth, clock
):
    staff = make_account(app, "maple-staff", role="staff").id
    member = make_account(app, "dune-member")
    asked = make_program(app, staff, now=clock(), title="Asked", needs_approval=True).id
    full = make_program(app, staff, now=clock(), title="Full", capacity=1).id
    with app.app_context():
        programs.enroll(db.session.get(Account, staff), full, now=clock())  # the one place
        request = programs.enroll(db.session.get(Account, member.id), asked, now=clock()).id
        db.session.commit()
    auth.login(member)
    assert held(client)[PLACES] == (0, GOES)
    assert held(client)[REQUESTS] == (1, GOES)
    assert not any("Places in programs and requests" in what for what in held(client))

    with app.app_context():
        programs.enroll(db.session.get(Account, member.id), full, now=clock())  # waits
        db.session.commit()
    assert (held(client)[PLACES][0], held(client)[REQUESTS][0]) == (0, 2)

    with app.app_context():
        programs.approve(asked, request, note="", now=clock())
        db.session.commit()
    assert (held(client)[PLACES][0], held(client)[REQUESTS][0]) == (1, 1)
