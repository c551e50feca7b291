"""Withdrawing from a program asks first, on a page of its own (issue 16, point 3).

The page (GET, no JavaScript needed) says what withdrawing does: the place, request or
spot in the queue given up, who gets the place (whoever has waited longest, or, for a
program whose requests staff approve, staff decide on that person's request), that what
is kept with the place goes with it, and that it cannot be undone. Reading it changes
nothing; a POST without the page's button (confirm=yes) changes nothing either and goes
back to the question; only the button withdraws.
"""

from __future__ import annotations

import html

import pytest

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import completion, services
from tests.programs.test_enrollment import kinds, statuses
from tests.support.programs import make_program
from tests.support.snapshots import differences, snapshot

GIVES_IT_ON = (
    "Who gets the place: if anyone is on the waiting list, whoever has waited longest gets "
    "it at once. Otherwise it is free for the next person who asks."
)
STAFF_DECIDE = (
    "Who gets the place: if anyone is on the waiting list, the request of whoever has "
    "waited longest goes to staff, who decide. Otherwise the place is free for the next "
    "person who asks."
)
NOT_UNDONE = "This can't be undone."


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def placed(app, auth, account, program_id: int):
    client = app.test_client()
    assert auth.login(account, client=client).status_code == 303
    assert client.post(f"/programs/{program_id}/enroll").status_code == 303
    return client


@pytest.mark.parametrize("approval", [False, True], ids=["open", "approval"])
def test_the_question_says_who_gets_the_place_and_changes_nothing(
    app, auth, clock, staff, member, other_member, approval
):
    made = make_program(app, staff.id, now=clock(), capacity=1, needs_approval=approval).id
    holder = placed(app, auth, member, made)  # confirmed, or pending with approval
    waiter = placed(app, auth, other_member, made)
    page = text(holder.get(f"/programs/{made}"))
    assert f'href="/programs/{made}/withdraw"' in page
    assert f'action="/programs/{made}/withdraw"' not in page  # one tap gives nothing away

    before = snapshot(app)
    question = text(holder.get(f"/programs/{made}/withdraw"))
    assert differences(before, snapshot(app)) == {}
    assert "Withdraw from “Healing together”?" in question
    assert (STAFF_DECIDE if approval else GIVES_IT_ON) in question
    assert (GIVES_IT_ON if approval else STAFF_DECIDE) not in question
    assert (
        "What is kept with your place is deleted with it: your attendance at its meetings "
        "and the sessions you marked done."
    ) in question
    assert NOT_UNDONE in question
    assert ">Yes, withdraw</button>" in question
    if approval:
        assert "Your request is withdrawn, and staff will not decide on it." in question
        assert "No, keep my request" in question
    else:
        assert "You give up your place." in question
        assert "No, keep my place" in question
    # Nobody else's name or number is shown.
    assert other_member.pseudonym not in question

    # Sent without the page's button: nothing changes, back to the question.
    unconfirmed = holder.post(f"/programs/{made}/withdraw", data={"confirm": "no"})
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["Location"] == f"/programs/{made}/withdraw"
    assert differences(before, snapshot(app)) == {}
    again = text(holder.get(f"/programs/{made}/withdraw"))
    assert "You withdraw only once you confirm on this page." in again

    done = holder.post(f"/programs/{made}/withdraw", data={"confirm": "yes"})
    assert done.headers["Location"] == f"/programs/{made}"
    assert statuses(app, made) == {other_member.id: "pending" if approval else "confirmed"}
    expected = "waitlist_to_approval" if approval else "waitlist_promoted"
    assert kinds(app, other_member) == [expected]
    assert "You have withdrawn." in text(holder.get(f"/programs/{made}"))
    assert waiter.get(f"/programs/{made}").status_code == 200


def test_leaving_the_queue_says_the_number_and_gives_no_place(
    app, auth, clock, staff, member, other_member
):
    made = make_program(app, staff.id, now=clock(), capacity=1).id
    placed(app, auth, other_member, made)
    waiting = placed(app, auth, member, made)
    question = text(waiting.get(f"/programs/{made}/withdraw"))
    assert (
        "You leave the waiting list, where you are number 1. Everyone after you moves up."
        in question
    )
    assert "Who gets the place" not in question
    assert "No, stay on the waiting list" in question
    waiting.post(f"/programs/{made}/withdraw", data={"confirm": "yes"})
    assert statuses(app, made) == {other_member.id: "confirmed"}
    assert kinds(app, other_member) == []


def test_nothing_to_withdraw_from_says_so_without_a_button(app, auth, clock, staff, member):
    made = make_program(app, staff.id, now=clock(), starts_in=-1).id
    client = app.test_client()
    auth.login(member, client=client)
    question = text(client.get(f"/programs/{made}/withdraw"))
    assert (
        "You don't have a place or request in this program, so there is nothing to withdraw from."
        in question
    )
    assert "Yes, withdraw" not in question
    said = text(
        client.post(f"/programs/{made}/withdraw", data={"confirm": "yes"}, follow_redirects=True)
    )
    assert "You don't have a place or request in this program." in said

    client.post(f"/programs/{made}/enroll")
    with app.app_context():
        enrollment = services.enrollment_of(member.id, made)
        completion.complete(made, enrollment.id, now=clock())
        db.session.commit()
    done = text(client.get(f"/programs/{made}/withdraw"))
    assert "You have completed this program, so there is nothing to withdraw from." in done
    assert "Yes, withdraw" not in done
    before = snapshot(app)
    client.post(f"/programs/{made}/withdraw", data={"confirm": "yes"})
    assert differences(before, snapshot(app)) == {}
    with app.app_context():
        assert db.session.get(Account, member.id) is not None
