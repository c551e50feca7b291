"""Enrollment: places, approval, the private waiting list, withdrawal, staff decisions."""

import html

import pytest
from sqlalchemy import select

from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.programs.models import CompletionLetter, Enrollment, Program
from tests.support.accounts import load_account, make_account
from tests.support.programs import MEETING_VENUE, make_program


def signed_in(app, account):
    client = app.test_client()
    response = client.post(
        "/login", data={"pseudonym": account.pseudonym, "password": account.password}
    )
    assert response.status_code == 303
    return client


def enroll(app, account, program_id):
    client = signed_in(app, account)
    assert client.post(f"/programs/{program_id}/enroll").status_code == 303
    return client


def statuses(app, program_id) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(
            select(Enrollment.account_id, Enrollment.status).where(
                Enrollment.program_id == program_id
            )
        )
        return dict(rows.all())


def taken(app, program_id) -> int:
    with app.app_context():
        return db.session.get(Program, program_id).taken


def kinds(app, account) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notice.kind).where(Notice.account_id == account.id).order_by(Notice.id)
            )
        )


@pytest.fixture
def program(app, clock, staff):
    return make_program(app, staff.id, now=clock(), capacity=1)


def test_first_confirmed_second_waits_withdrawal_promotes(app, program, member, other_member):
    first = enroll(app, member, program.id)
    second = enroll(app, other_member, program.id)
    assert statuses(app, program.id) == {member.id: "confirmed", other_member.id: "waitlisted"}
    assert "waiting list (number 1)" in second.get(f"/programs/{program.id}").get_data(as_text=True)
    assert other_member.pseudonym not in first.get(f"/programs/{program.id}").get_data(as_text=True)
    first.post(f"/programs/{program.id}/withdraw", data={"confirm": "yes"})
    assert statuses(app, program.id) == {other_member.id: "confirmed"}
    assert taken(app, program.id) == 1
    assert kinds(app, other_member) == ["waitlist_promoted"]


def test_meetings_and_venue_only_for_confirmed_members(app, program, member, other_member):
    first = enroll(app, member, program.id)
    second = enroll(app, other_member, program.id)
    meeting = program.meeting_ids[0]
    assert MEETING_VENUE in first.get(f"/events/{meeting}").get_data(as_text=True)
    assert second.get(f"/events/{meeting}").status_code == 404
    assert "Meetings" not in second.get(f"/programs/{program.id}").get_data(as_text=True)


def test_enrolling_twice_outside_the_window_or_cancelled_is_calm(
    app, client, auth, clock, staff, member
):
    open_program = make_program(app, staff.id, now=clock())
    client = enroll(app, member, open_program.id)
    client.post(f"/programs/{open_program.id}/enroll")
    assert "already asked for a place" in client.get(f"/programs/{open_program.id}").get_data(
        as_text=True
    )
    assert len(statuses(app, open_program.id)) == 1
    cancelled = make_program(app, staff.id, now=clock(), status="cancelled", title="Gone")
    client.post(f"/programs/{cancelled.id}/enroll")
    assert statuses(app, cancelled.id) == {}
    clock.advance(days=25)  # the request window has closed
    late = make_account(app, "late-member")
    client = signed_in(app, late)
    client.post(f"/programs/{open_program.id}/enroll")
    assert late.id not in statuses(app, open_program.id)
    assert "taking requests right now" in client.get(f"/programs/{open_program.id}").get_data(
        as_text=True
    )


def test_drafts_are_for_staff_only(app, client, auth, clock, staff, member):
    draft = make_program(app, staff.id, now=clock(), status="draft", title="Secret draft")
    auth.login(member)
    assert "Secret draft" not in client.get("/programs").get_data(as_text=True)
    assert client.get(f"/programs/{draft.id}").status_code == 404
    auth.logout()
    auth.login(staff)
    assert "Secret draft" in client.get("/programs").get_data(as_text=True)


def test_approval_with_a_note_and_decline(app, client, auth, clock, staff, member, other_member):
    program = make_program(app, staff.id, now=clock(), capacity=1, needs_approval=True)
    enroll(app, member, program.id)
    enroll(app, other_member, program.id)
    assert statuses(app, program.id) == {member.id: "pending", other_member.id: "waitlisted"}
    auth.login(staff)
    roster = client.get(f"/programs/{program.id}/roster").get_data(as_text=True)
    assert member.pseudonym in roster
    with app.app_context():
        first = db.session.scalar(select(Enrollment.id).where(Enrollment.account_id == member.id))
    # Declining asks first, on a page of its own: nothing changes until confirmed.
    asked = client.post(
        f"/programs/{program.id}/roster/{first}/decline",
        data={"note": "Please try the spring group."},
    )
    assert asked.status_code == 200
    page = html.unescape(asked.get_data(as_text=True))
    assert f"Decline {member.pseudonym}'s request to join" in page
    assert "Your note goes with it: “Please try the spring group.”" in page
    assert "This can't be undone." in page
    assert statuses(app, program.id) == {member.id: "pending", other_member.id: "waitlisted"}
    assert kinds(app, member) == []
    client.post(
        f"/programs/{program.id}/roster/{first}/decline",
        data={"note": "Please try the spring group.", "confirm": "yes"},
    )
    # The place passes to the one waiting, who now waits for approval in turn.
    assert statuses(app, program.id) == {other_member.id: "pending"}
    assert kinds(app, member) == ["enrollment_declined"]
    notices = signed_in(app, member).get("/notices").get_data(as_text=True)
    assert "Please try the spring group." in notices
    with app.app_context():
        second = db.session.scalar(
            select(Enrollment.id).where(Enrollment.account_id == other_member.id)
        )
    client.post(f"/programs/{program.id}/roster/{second}/approve", data={"note": "Welcome!"})
    assert statuses(app, program.id) == {other_member.id: "confirmed"}
    assert kinds(app, other_member) == ["waitlist_to_approval", "enrollment_confirmed"]
    # Deciding twice is refused calmly.
    client.post(f"/programs/{program.id}/roster/{second}/approve", data={"note": ""})
    assert kinds(app, other_member) == ["waitlist_to_approval", "enrollment_confirmed"]


def test_decisions_only_for_enrollments_of_that_program(app, client, auth, clock, staff, member):
    mine = make_program(app, staff.id, now=clock(), needs_approval=True)
    other = make_program(app, staff.id, now=clock(), needs_approval=True, title="Other")
    enroll(app, member, other.id)
    with app.app_context():
        enrollment_id = db.session.scalar(select(Enrollment.id))
    auth.login(staff)
    client.post(f"/programs/{mine.id}/roster/{enrollment_id}/approve", data={"note": ""})
    assert statuses(app, other.id) == {member.id: "pending"}


def test_completion_letter_and_verification(app, client, auth, clock, staff, member):
    program = make_program(app, staff.id, now=clock(), kind="leadership", title="Lead", starts_in=0)
    member_client = enroll(app, member, program.id)
    auth.login(staff)
    with app.app_context():
        enrollment_id = db.session.scalar(select(Enrollment.id))
    client.post(f"/programs/{program.id}/roster/{enrollment_id}/complete", data={"confirm": "yes"})
    assert load_account(app, member.id).is_mentor_eligible is True
    assert load_account(app, member.id).role == "member"
    letter = member_client.post(f"/programs/{program.id}/letter", follow_redirects=True).text
    code = letter.split('class="codes-single">')[1].split("<")[0]
    assert len(code) == 19
    with app.app_context():
        stored = db.session.scalar(select(CompletionLetter.code_hash))
        assert stored.startswith("$argon2id$")
        assert code.replace("-", "") not in stored
    text = member_client.post(
        f"/programs/{program.id}/letter", data={"format": "text"}, follow_redirects=True
    )
    assert text.content_type.startswith("text/plain")
    assert "Lead" in text.get_data(as_text=True)
    visitor = app.test_client()
    verified = visitor.post("/programs/verify", data={"code": code.lower()}).get_data(as_text=True)
    assert "This code is genuine" in verified
    assert "Lead" in verified
    assert member.pseudonym not in verified
    wrong = visitor.post("/programs/verify", data={"code": "AAAA-BBBB-CCCC-DDDD"})
    assert "confirm that code" in wrong.get_data(as_text=True)
    assert "This code is genuine" not in wrong.get_data(as_text=True)


def test_letter_only_after_completion(app, program, member):
    client = enroll(app, member, program.id)
    client.post(f"/programs/{program.id}/letter")
    with app.app_context():
        assert db.session.scalar(select(CompletionLetter)) is None


def edit_form(app, program_id: int, **changes: str) -> dict[str, str]:
    """The program's edit form as staff send it: its fields as stored, `changes` typed."""
    with app.app_context():
        p = db.session.get(Program, program_id)
        return {
            "title": p.title,
            "kind": p.kind,
            "summary": p.summary,
            "capacity": str(p.capacity),
            "enrollment_opens_on": p.enrollment_opens_on.isoformat(),
            "enrollment_closes_on": p.enrollment_closes_on.isoformat(),
            "starts_on": p.starts_on.isoformat(),
            "ends_on": p.ends_on.isoformat(),
            "status": p.status,
        } | changes


def test_cancelling_tells_everyone_enrolled(app, client, auth, clock, program, staff, member):
    enroll(app, member, program.id)
    auth.login(staff)
    form = edit_form(app, program.id, status="cancelled")
    assert client.post(f"/programs/{program.id}/edit", data=form).status_code == 303
    assert kinds(app, member) == ["program_cancelled"]


def test_staff_are_told_calmly_why_a_program_with_members_stays_out_of_draft(
    app, client, auth, program, staff, member
):
    enroll(app, member, program.id)
    auth.login(staff)
    form = edit_form(app, program.id, title="Spring circle, renamed", status="draft")
    answer = client.post(f"/programs/{program.id}/edit", data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400  # a refused form, shown again
    assert "in this program, so it can't go back to draft" in page
    assert 'value="Spring circle, renamed"' in page  # what staff typed is kept
    with app.app_context():
        assert db.session.get(Program, program.id).status == "open"
    assert kinds(app, member) == []
    # The member still finds it, with the way to withdraw.
    auth.login(member)
    assert client.get(f"/programs/{program.id}").status_code == 200


def test_enrollments_exported_and_deleted_with_the_account(app, program, member, other_member):
    client = enroll(app, member, program.id)
    enroll(app, other_member, program.id)
    data = client.post("/account/export", data={"password": member.password}).get_json()
    assert data["programs"][0]["status"] == "confirmed"
    client.post("/account/delete", data={"password": member.password})
    assert statuses(app, program.id) == {other_member.id: "confirmed"}


def test_only_the_staff_who_run_a_program_see_its_roster(app, client, auth, clock, staff, member):
    program = make_program(app, staff.id, now=clock(), starts_in=0)
    enroll(app, member, program.id)
    other_staff = make_account(app, "other-staff", role="staff")
    auth.login(other_staff)
    assert client.get(f"/programs/{program.id}/roster").status_code == 404
    assert member.pseudonym not in client.get(f"/programs/{program.id}").get_data(as_text=True)
    meeting = program.meeting_ids[0]
    assert client.get(f"/programs/{program.id}/meetings/{meeting}/attendance").status_code == 404
    with app.app_context():
        enrollment_id = db.session.scalar(select(Enrollment.id))
    client.post(f"/programs/{program.id}/roster/{enrollment_id}/complete", data={"confirm": "yes"})
    with app.app_context():
        assert db.session.get(Enrollment, enrollment_id).completed_on is None


# What staff read (issue 13, a newcomer's try): places apart from requests, and what a
# decision did, in plain words.


def words(response) -> str:
    """The page's text with its white space folded."""
    return " ".join(response.get_data(as_text=True).split())


def enrollment_id_of(app, account) -> int:
    with app.app_context():
        return db.session.scalar(select(Enrollment.id).where(Enrollment.account_id == account.id))


def test_places_taken_never_count_requests_waiting_for_an_answer(
    app, client, auth, clock, staff, member, other_member
):
    program = make_program(app, staff.id, now=clock(), capacity=3, needs_approval=True)
    enroll(app, member, program.id)
    enroll(app, other_member, program.id)
    assert taken(app, program.id) == 2  # each request holds its place until decided
    auth.login(staff)
    show, roster = f"/programs/{program.id}", f"/programs/{program.id}/roster"
    for path in (show, roster):
        page = words(client.get(path))
        assert "0 of 3 places taken. 2 more are held for requests waiting for your answer." in page
        assert "Places taken" not in page
        assert "2 of 3" not in page
    client.post(f"{roster}/{enrollment_id_of(app, member)}/approve", data={"note": ""})
    for path in (show, roster):
        page = words(client.get(path))
        assert "1 of 3 places taken. 1 more is held for a request waiting for your answer." in page
    client.post(f"{roster}/{enrollment_id_of(app, other_member)}/approve", data={"note": ""})
    page = words(client.get(show))
    assert "2 of 3 places taken." in page
    assert "held for" not in page


def test_staff_who_do_not_run_the_program_read_whose_answer_it_waits_for(
    app, client, auth, clock, staff, member
):
    program = make_program(app, staff.id, now=clock(), capacity=1, needs_approval=True)
    enroll(app, member, program.id)
    auth.login(make_account(app, "alder-staff", role="staff"))
    page = words(client.get(f"/programs/{program.id}"))
    assert (
        "0 of 1 place taken. 1 more is held for a request waiting for an answer from the "
        "staff who run it." in page
    )
    assert "your answer" not in page


def test_a_decision_says_who_was_told_what_only_to_the_staff_member(
    app, client, auth, clock, staff, member, other_member
):
    program = make_program(app, staff.id, now=clock(), capacity=2, needs_approval=True)
    member_client = enroll(app, member, program.id)
    other_client = enroll(app, other_member, program.id)
    auth.login(staff)
    roster = f"/programs/{program.id}/roster"
    for account, action, told in (
        (member, "approve", "Saved. river-member has been told their place is confirmed."),
        (other_member, "decline", "Saved. cedar-member has been told their request was declined."),
    ):
        page = words(
            client.post(
                f"{roster}/{enrollment_id_of(app, account)}/{action}",
                data={"note": "See you soon.", "confirm": "yes"},  # a decline asks first
                follow_redirects=True,
            )
        )
        assert told in page
        assert "where it concerns them" not in page
    # Neither member's pages name the other.
    for own, other in ((member_client, "cedar-member"), (other_client, "river-member")):
        for path in ("/notices", f"/programs/{program.id}"):
            assert other not in own.get(path).get_data(as_text=True)


def test_a_decision_on_a_request_already_gone_names_nobody(app, client, auth, clock, staff, member):
    program = make_program(app, staff.id, now=clock(), capacity=2, needs_approval=True)
    enroll(app, member, program.id)
    auth.login(staff)
    response = client.post(
        f"/programs/{program.id}/roster/999999/approve", data={"note": ""}, follow_redirects=True
    )
    page = words(response)
    assert "That request is no longer there." in page
    assert "Saved." not in page


def test_the_program_forms_lead_back_to_where_staff_came_from(app, client, auth, program, staff):
    """Changing a program, or deciding not to create one, needs no Back button: the
    edit page links to its program, the create page to the list (also when refused)."""
    auth.login(staff)
    edit = client.get(f"/programs/{program.id}/edit").get_data(as_text=True)
    assert f'<a href="/programs/{program.id}">Back to the program</a>' in edit
    refused = client.post(f"/programs/{program.id}/edit", data=edit_form(app, program.id, title=""))
    assert refused.status_code == 400
    assert f'<a href="/programs/{program.id}">Back to the program</a>' in refused.get_data(
        as_text=True
    )
    create = client.get("/programs/new").get_data(as_text=True)
    assert '<a href="/programs">All programs</a>' in create
    assert "Back to the program" not in create
