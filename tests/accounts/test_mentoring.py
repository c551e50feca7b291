"""The mentor pathway, the member's side (issue 13, point 6).

The rules, written here from the issue: completing a leadership program tells a member,
once, that they may become a peer mentor, with a link to where they answer; only an
eligible member answers ("I'm interested" or "Not now") and may change it at any time;
the answer is theirs: in their data export, gone with their account, and the account
page's "What we hold about you" lists it once given (one answer, deleted with the account
or when they become a mentor). Mentors, staff and admins (who complete a program too) are
not told, and cannot answer. A mentor made from the pathway sees the guide first, once:
seeing it is noted only while it is still due.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from advocacy.accounts import mentoring
from advocacy.accounts.errors import AccountError
from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.programs.models import Enrollment
from tests.privacy.test_purge_accounts import held_items
from tests.programs.test_enrollment import enroll
from tests.support.accounts import load_account, make_account, said
from tests.support.event_rules import person
from tests.support.pathway import make_eligible
from tests.support.programs import make_program

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
NOT_ELIGIBLE = "This choice is for members who completed a leadership program. Nothing was changed."
ANSWER_LINK = "/account#mentoring"
SECTION = "Becoming a peer mentor"
HELD_ANSWER = (
    "Your answer about becoming a peer mentor",
    1,
    "with your account, or when you become a mentor",
)


def notices_of(account_id: int) -> list[tuple[str, str | None]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(Notice.kind, Notice.link).where(Notice.account_id == account_id)
        )
    ]


# Told once, when they become eligible


def test_a_member_made_eligible_is_told_once_with_a_link_to_answer(in_request):
    member = person("river-member")
    mentoring.mark_eligible(member.id, now=NOW)
    mentoring.mark_eligible(member.id, now=NOW)  # a second leadership program
    assert member.is_mentor_eligible is True
    assert notices_of(member.id) == [("mentor_eligible", ANSWER_LINK)]
    assert member.is_mentor_interested is None  # nobody answers for them


@pytest.mark.parametrize("role", [Role.MENTOR, Role.STAFF, Role.ADMIN])
def test_other_roles_become_eligible_without_being_told(in_request, role):
    account = person("heron-other", role)
    mentoring.mark_eligible(account.id, now=NOW)
    assert account.is_mentor_eligible is True
    assert notices_of(account.id) == []


def test_completing_a_leadership_program_tells_the_member(app, client, auth, clock, staff, member):
    # Both began yesterday: completion is recorded from a program's first day on.
    leadership = make_program(
        app, staff.id, now=clock(), kind="leadership", title="Lead", starts_in=-1
    )
    healing = make_program(app, staff.id, now=clock(), title="Heal", starts_in=-1)
    member_client = enroll(app, member, healing.id)
    member_client.post(f"/programs/{leadership.id}/enroll")
    auth.login(staff)
    with app.app_context():
        by_program = dict(db.session.execute(select(Enrollment.program_id, Enrollment.id)).all())
    confirmed = {"confirm": "yes"}
    client.post(f"/programs/{healing.id}/roster/{by_program[healing.id]}/complete", data=confirmed)
    assert load_account(app, member.id).is_mentor_eligible is False
    healing_letter = ("program_completed", f"/programs/{healing.id}/letter")
    with app.app_context():
        assert notices_of(member.id) == [healing_letter]
    client.post(
        f"/programs/{leadership.id}/roster/{by_program[leadership.id]}/complete", data=confirmed
    )
    assert load_account(app, member.id).is_mentor_eligible is True
    with app.app_context():
        assert sorted(notices_of(member.id)) == sorted(
            [
                healing_letter,
                ("program_completed", f"/programs/{leadership.id}/letter"),
                ("mentor_eligible", ANSWER_LINK),
            ]
        )
    notices = member_client.get("/notices").get_data(as_text=True)
    assert "you may become a peer mentor if you would like to" in notices
    # Opening the notice (a button: it marks it read) leads to the answer on the account page.
    opens = re.findall(r'action="(/notices/\d+/open)"', notices)
    assert ANSWER_LINK in [member_client.post(path).headers["Location"] for path in opens]


# Answering


def test_an_eligible_member_answers_and_changes_their_mind(in_request):
    member = person("river-member")
    member.is_mentor_eligible = True
    for answer in (True, False, True):
        mentoring.say_interest(member, answer)
        assert member.is_mentor_interested is answer


@pytest.mark.parametrize(
    ("role", "eligible"),
    [(Role.MEMBER, False), (Role.MENTOR, True), (Role.STAFF, True), (Role.ADMIN, True)],
)
def test_only_an_eligible_member_answers(in_request, role, eligible):
    account = person("heron-other", role)
    account.is_mentor_eligible = eligible
    for answer in (True, False):
        with pytest.raises(AccountError) as refused:
            mentoring.say_interest(account, answer)
        assert said(refused) == NOT_ELIGIBLE
    assert account.is_mentor_interested is None


def test_the_account_page_offers_the_choice_only_to_an_eligible_member(
    app, client, auth, member, mentor
):
    auth.login(member)
    assert SECTION not in client.get("/account").get_data(as_text=True)
    make_eligible(app, member.id)
    page = client.get("/account").get_data(as_text=True)
    assert SECTION in page
    assert 'id="mentoring"' in page
    assert "You haven't answered yet." in page
    assert 'name="answer" value="interested"' in page
    assert 'name="answer" value="not_now"' in page
    auth.logout()
    make_eligible(app, mentor.id)
    auth.login(mentor)
    assert SECTION not in client.get("/account").get_data(as_text=True)


SECOND_STEP = (
    "Good to know before you answer: peer mentors sign in with their password and a 6-digit "
    "code from an authenticator app (a free app such as FreeOTP or Aegis). If you become a "
    "mentor, you set the app up the next time you sign in, on a phone you keep with you. If "
    "your phone is shared, or someone else may look at it, there is no need to decide now: "
    "you can answer once that feels safe."
)
SECOND_STEP_SET = (
    "Peer mentors sign in with their password and a 6-digit code from an authenticator app. "
    "You already use one, so nothing changes there."
)


@pytest.mark.parametrize(
    ("two_factor", "said", "not_said"),
    [(False, SECOND_STEP, SECOND_STEP_SET), (True, SECOND_STEP_SET, SECOND_STEP)],
)
def test_the_choice_says_mentors_need_an_authenticator_app_before_the_buttons(
    app, client, auth, two_factor, said, not_said
):
    # A survivor on a shared phone must know before agreeing (issue 13, newcomer's try).
    member = make_account(app, "river-member", two_factor=two_factor)
    make_eligible(app, member.id)
    auth.login(member)
    page = client.get("/account").get_data(as_text=True)
    assert said in page
    assert not_said not in page
    assert page.index(SECTION) < page.index(said) < page.index('name="answer" value="interested"')


def test_the_member_says_interested_then_not_now(app, client, auth, member):
    make_eligible(app, member.id)
    auth.login(member)
    response = client.post("/account/mentoring", data={"answer": "interested"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account#mentoring"
    assert load_account(app, member.id).is_mentor_interested is True
    page = client.get("/account").get_data(as_text=True)
    assert "Admins can now see that you are interested" in page
    assert "Your answer: you are interested." in page
    client.post("/account/mentoring", data={"answer": "not_now"})
    assert load_account(app, member.id).is_mentor_interested is False
    assert "Your answer: not now." in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("answer", ["", "yes", "Interested", "interested ", "1"])
def test_an_answer_that_is_not_one_of_the_two_is_refused_calmly(app, client, auth, member, answer):
    make_eligible(app, member.id, interested=False)
    auth.login(member)
    response = client.post("/account/mentoring", data={"answer": answer})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error" id="mentoring-error"' in page
    assert SECTION in page
    assert load_account(app, member.id).is_mentor_interested is False


def test_a_member_who_is_not_eligible_cannot_answer(app, client, auth, member):
    auth.login(member)
    response = client.post("/account/mentoring", data={"answer": "interested"})
    assert response.status_code == 303
    assert NOT_ELIGIBLE in client.get("/account").get_data(as_text=True)
    assert load_account(app, member.id).is_mentor_interested is None


def test_the_answer_form_takes_nothing_else(app, client, auth, member, other_member):
    make_eligible(app, member.id)
    make_eligible(app, other_member.id)
    auth.login(member)
    client.post(
        "/account/mentoring",
        data={
            "answer": "interested",
            "role": "mentor",
            "is_new_mentor": "1",
            "is_mentor_eligible": "0",
            "account_id": other_member.id,
        },
    )
    mine, theirs = load_account(app, member.id), load_account(app, other_member.id)
    assert (mine.role, mine.is_mentor_eligible, mine.is_new_mentor) == ("member", True, False)
    assert mine.is_mentor_interested is True
    assert theirs.is_mentor_interested is None


# The answer is the member's data


def test_the_answer_is_exported_and_goes_with_the_account(app, client, auth, member):
    make_eligible(app, member.id, interested=True)
    auth.login(member)
    page = client.get("/account").get_data(as_text=True)
    assert HELD_ANSWER in held_items(page)  # "what we hold about you"
    data = client.post("/account/export", data={"password": member.password}).get_json()
    assert data["mentor_pathway"] == {
        "eligible": True,
        "your_answer": "interested",
        "moderation_guide_still_to_show": False,
    }
    client.post("/account/delete", data={"password": member.password})
    with app.app_context():
        still = db.session.scalar(
            select(func.count())
            .select_from(Account)
            .where(Account.is_mentor_interested.is_not(None))
        )
        assert still == 0
        assert db.session.get(Account, member.id) is None


def test_not_now_is_held_and_exported_as_such(app, client, auth, member):
    auth.login(member)
    assert HELD_ANSWER[0] not in client.get("/account").get_data(as_text=True)  # no answer yet
    make_eligible(app, member.id, interested=False)
    assert HELD_ANSWER in held_items(client.get("/account").get_data(as_text=True))
    data = client.post("/account/export", data={"password": member.password}).get_json()
    assert data["mentor_pathway"]["your_answer"] == "not now"


def test_seeing_the_guide_is_noted_only_while_it_is_due(in_request):
    mentor = person("heron-new", Role.MENTOR)
    mentor.is_new_mentor = True  # made a mentor from the pathway
    assert mentoring.guide_seen(mentor) is True
    assert mentor.is_new_mentor is False
    assert mentoring.guide_seen(mentor) is False  # read again: nothing changes
    assert mentoring.guide_seen(person("wren-admin", Role.ADMIN)) is False
