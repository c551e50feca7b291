"""The mentor pathway, the admins' side (issue 13, point 6).

The rules, written here from the issue and DESIGN §2: only admins make mentors; only a
member who completed a leadership program and said they are interested can be made one
here (anyone else: a calm refusal, nothing written); the change is a role change like
any other: in the audit log as "role_changed" "member to mentor", every session of the
new mentor ended; the new mentor gets a notice linking to the guide, and on their next
sign-in sets up a second factor if they have none, then sees "How moderation works
here" before anything else, once.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import select

from advocacy.accounts import mentoring
from advocacy.accounts.errors import AccountError
from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.staff import pathway
from advocacy.staff.models import AuditEntry
from tests.support.accounts import AuthActions, MadeAccount, load_account, make_account, said
from tests.support.event_rules import person
from tests.support.pathway import make_eligible, make_eligible_member
from tests.support.snapshots import differences, snapshot

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
GONE = "That account no longer exists."
NOT_ELIGIBLE = (
    "Only members who completed a leadership program can be made mentors here. Nothing was changed."
)
GUIDE = "/moderation/guide"
GUIDE_TITLE = "How moderation works here"
SETUP = "/account/two-factor"


def not_interested(name: str) -> str:
    return (
        f"{name} hasn't said they would like to mentor, so nothing was changed. "
        "It is their choice, on their account page."
    )


def eligible_person(pseudonym: str, interested: bool | None = True, role: str = Role.MEMBER):
    account = person(pseudonym, role)
    account.is_mentor_eligible = True
    account.is_mentor_interested = interested
    db.session.flush()
    return account


def written_about(account_id: int) -> tuple[list, list]:
    """The audit entries and notices about an account."""
    audit = db.session.execute(
        select(AuditEntry.actor_id, AuditEntry.action, AuditEntry.detail).where(
            AuditEntry.target_id == account_id
        )
    ).all()
    notices = db.session.execute(
        select(Notice.kind, Notice.link).where(Notice.account_id == account_id)
    ).all()
    return [tuple(row) for row in audit], [tuple(row) for row in notices]


# The service


def test_an_interested_eligible_member_becomes_a_mentor(in_request):
    admin = person("wren-admin", Role.ADMIN)
    member = eligible_person("river-member")
    token = member.session_token
    pathway.make_mentor(admin, member.id, now=NOW)
    assert member.role == "mentor"
    assert member.session_token != token  # every session of theirs ends
    assert member.is_new_mentor is True
    assert member.is_mentor_interested is None  # the answer has served its purpose
    assert member.is_mentor_eligible is True
    audit, notices = written_about(member.id)
    assert audit == [(admin.id, "role_changed", "member to mentor")]
    assert notices == [("became_mentor", GUIDE)]


def test_the_question_whether_they_would_mentor_goes_once_they_are_one(in_request):
    # The member was asked (a notice, "mentor_eligible"); made a mentor, it is answered.
    admin = person("wren-admin", Role.ADMIN)
    member = person("river-member", Role.MEMBER)
    mentoring.mark_eligible(member.id, now=NOW)
    member.is_mentor_interested = True
    assert written_about(member.id)[1] == [("mentor_eligible", "/account#mentoring")]
    pathway.make_mentor(admin, member.id, now=NOW)
    assert written_about(member.id)[1] == [("became_mentor", GUIDE)]


def refused(admin, target_id: int) -> str:
    with pytest.raises(AccountError) as refusal:
        pathway.make_mentor(admin, target_id, now=NOW)
    return said(refusal)


def test_a_gone_account_is_said_to_be_gone(in_request):
    admin = person("wren-admin", Role.ADMIN)
    assert refused(admin, 999_999) == GONE
    assert db.session.scalar(select(AuditEntry)) is None


@pytest.mark.parametrize(
    ("role", "eligible"),
    [(Role.MEMBER, False), (Role.STAFF, True), (Role.ADMIN, True)],
)
def test_only_an_eligible_member_can_be_made_a_mentor_here(in_request, role, eligible):
    admin = person("wren-admin", Role.ADMIN)
    target = eligible_person("heron-other", True, role)
    target.is_mentor_eligible = eligible
    token = target.session_token
    assert refused(admin, target.id) == NOT_ELIGIBLE
    assert (target.role, target.session_token, target.is_new_mentor) == (role, token, False)
    assert written_about(target.id) == ([], [])


def test_the_admin_cannot_make_themselves_a_mentor(in_request):
    admin = eligible_person("wren-admin", True, Role.ADMIN)
    assert refused(admin, admin.id) == NOT_ELIGIBLE
    assert admin.role == "admin"


@pytest.mark.parametrize("answer", [None, False])
def test_a_member_who_did_not_say_interested_stays_a_member(in_request, answer):
    admin = person("wren-admin", Role.ADMIN)
    member = eligible_person("river-member", answer)
    assert refused(admin, member.id) == not_interested("river-member")
    assert (member.role, member.is_mentor_interested, member.is_new_mentor) == (
        "member",
        answer,
        False,
    )
    assert written_about(member.id) == ([], [])


def test_made_twice_is_done_once(in_request):
    admin = person("wren-admin", Role.ADMIN)
    member = eligible_person("river-member")
    pathway.make_mentor(admin, member.id, now=NOW)
    assert refused(admin, member.id) == "river-member is already a mentor. Nothing was changed."
    audit, notices = written_about(member.id)
    assert (len(audit), len(notices)) == (1, 1)


def test_the_eligible_list_puts_the_interested_first(in_request, monkeypatch):
    not_now = eligible_person("a-not-now", False)
    unanswered = eligible_person("b-unanswered", None)
    interested = eligible_person("c-interested", True)
    later = eligible_person("d-interested", True)
    person("e-not-eligible")
    eligible_person("f-staff", True, Role.STAFF)
    eligible_person("g-mentor", None, Role.MENTOR)
    assert pathway.eligible_members() == [interested, later, unanswered, not_now]
    monkeypatch.setattr(pathway, "ELIGIBLE_SHOWN", 2)
    assert pathway.eligible_members() == [interested, later, unanswered]  # one more: "more"


# The admin page and the one action


def test_admins_see_who_is_eligible_and_what_they_said(app, client, auth, admin):
    make_eligible_member(app, "quiet-heron", interested=True)
    make_eligible_member(app, "calm-birch", interested=None)
    make_eligible_member(app, "open-fern", interested=False)
    make_account(app, "plain-member")
    auth.login(admin)
    page = client.get("/admin").get_data(as_text=True)
    section = page.split('id="h-eligible"')[1].split("</section>")[0]
    assert "<strong>quiet-heron</strong>: interested" in section
    assert "<strong>calm-birch</strong>: hasn't answered yet" in section
    assert "<strong>open-fern</strong>: not now" in section
    assert "plain-member" not in section
    order = [section.index(name) for name in ("quiet-heron", "calm-birch", "open-fern")]
    assert order == sorted(order)  # interested first, then not answered, then not now
    assert section.count("Make mentor") == 1  # only for the interested member
    assert "signed out everywhere" in section  # what happens is said before the button


def test_nobody_eligible_is_said_calmly(app, client, auth, admin):
    auth.login(admin)
    page = client.get("/admin").get_data(as_text=True)
    assert "Eligible to mentor" in page
    assert "Nobody at the moment." in page


def test_an_admin_makes_a_mentor_with_one_action(app, client, auth, admin):
    member = make_eligible_member(app, "quiet-heron")
    member_client = app.test_client()
    AuthActions(app, member_client, auth.clock).login(member)
    auth.login(admin)
    response = client.post(f"/admin/accounts/{member.id}/mentor")
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin"
    assert load_account(app, member.id).role == "mentor"
    page = client.get("/admin").get_data(as_text=True)
    assert "quiet-heron is now a mentor." in page
    assert "Nobody at the moment." in page  # no longer listed
    assert member_client.get("/account").status_code == 302  # their session ended
    with app.app_context():
        audit, notices = written_about(member.id)
    assert audit == [(admin.id, "role_changed", "member to mentor")]
    assert notices == [("became_mentor", GUIDE)]
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "role changed (member to mentor)" in log


@pytest.mark.parametrize("answer", [None, False])
def test_the_action_refuses_a_member_who_did_not_say_interested(app, client, auth, admin, answer):
    member = make_eligible_member(app, "quiet-heron", interested=answer)
    auth.login(admin)
    before = snapshot(app)
    response = client.post(f"/admin/accounts/{member.id}/mentor")
    assert response.status_code == 303
    assert differences(before, snapshot(app)) == {}
    assert not_interested("quiet-heron") in client.get("/admin").get_data(as_text=True)


def test_the_action_refuses_an_account_that_is_not_eligible(app, client, auth, admin, member):
    auth.login(admin)
    before = snapshot(app)
    client.post(f"/admin/accounts/{member.id}/mentor")
    client.post("/admin/accounts/999999/mentor")
    assert differences(before, snapshot(app)) == {}
    page = client.get("/admin").get_data(as_text=True)
    assert NOT_ELIGIBLE in page


@pytest.mark.parametrize("role", ["member", "mentor", "staff"])
def test_only_admins_make_mentors(app, client, auth, request, role):
    eligible = make_eligible_member(app, "quiet-heron")
    account = request.getfixturevalue(role)
    if role == "member":
        make_eligible(app, account.id, interested=True)  # even an eligible member
    auth.login(account)
    before = snapshot(app)
    for target in (eligible.id, account.id):
        response = client.post(f"/admin/accounts/{target}/mentor")
        assert response.status_code == 403
    assert client.get("/admin").status_code == 403
    assert differences(before, snapshot(app)) == {}
    assert load_account(app, eligible.id).role == "member"


def test_visitors_are_sent_to_sign_in(app, client):
    eligible = make_eligible_member(app, "quiet-heron")
    before = snapshot(app)
    response = client.post(f"/admin/accounts/{eligible.id}/mentor")
    assert response.headers["Location"] == "/login"
    assert differences(before, snapshot(app)) == {}


def test_the_action_needs_a_recent_sign_in(app, client, auth, clock, admin):
    member = make_eligible_member(app, "quiet-heron")
    auth.login(admin)
    clock.advance(minutes=16)
    client.get("/admin")
    response = client.post(f"/admin/accounts/{member.id}/mentor")
    assert response.headers["Location"] == "/account/confirm"
    assert load_account(app, member.id).role == "member"


# The new mentor's first sign-in: second factor, then the guide, once


def sign_in_with_password(client, account) -> str:
    response = client.post(
        "/login", data={"pseudonym": account.pseudonym, "password": account.password}
    )
    assert response.status_code == 303
    return response.headers["Location"]


def test_the_new_mentor_sets_up_a_second_factor_then_sees_the_guide(
    app, client, auth, clock, admin
):
    member = make_eligible_member(app, "quiet-heron")
    auth.login(admin)
    client.post(f"/admin/accounts/{member.id}/mentor")
    mentor_client = app.test_client()
    assert sign_in_with_password(mentor_client, member) == SETUP
    assert mentor_client.get("/moderation").headers["Location"] == SETUP  # 2FA first
    for held in (SETUP, "/", "/safety"):  # the setup pages open, never the guide yet
        assert mentor_client.get(held).status_code == 200, held
    mentor_client.post("/account/two-factor/start")
    with app.app_context():
        secret = db.session.get(Account, member.id).totp_pending_secret
    clock.advance(seconds=30)
    response = mentor_client.post(
        "/account/two-factor", data={"code": pyotp.TOTP(secret).at(clock())}
    )
    assert response.status_code == 303
    # Wherever they go next (but the safety and privacy pages), the guide comes first.
    assert mentor_client.get(response.headers["Location"]).headers["Location"] == GUIDE
    assert mentor_client.get("/safety").status_code == 200
    assert mentor_client.get("/moderation").headers["Location"] == GUIDE
    before = snapshot(app)
    guide = mentor_client.get(GUIDE)
    assert guide.status_code == 200
    assert GUIDE_TITLE in guide.get_data(as_text=True)
    assert differences(before, snapshot(app)) == {}  # reading it (GET) changes nothing
    assert mentor_client.get("/moderation").headers["Location"] == GUIDE
    read = mentor_client.post(GUIDE)
    assert (read.status_code, read.headers["Location"]) == (303, "/moderation")
    assert load_account(app, member.id).is_new_mentor is False
    assert mentor_client.get("/moderation").status_code == 200  # once only
    assert mentor_client.get("/").status_code == 200
    # The welcome notice can only be read now, after both: it says neither is still to come.
    for language, welcome, to_come in (
        ("en", "Welcome: an admin made you a peer mentor", ("next sign in", "will set up")),
        ("es", "Te damos la bienvenida", ("La próxima vez que entres", "activarás")),
    ):
        page = mentor_client.get("/notices", headers={"Accept-Language": language})
        words = page.get_data(as_text=True)
        assert welcome in words
        assert not [said for said in to_come if said in words], language


def test_a_new_mentor_with_a_second_factor_already_sees_the_guide_first(app, client, auth, admin):
    member = make_account(app, "quiet-heron", two_factor=True)
    make_eligible(app, member.id, interested=True)
    auth.login(admin)
    client.post(f"/admin/accounts/{member.id}/mentor")
    mentor_client = app.test_client()
    response = AuthActions(app, mentor_client, auth.clock).login(member)
    assert response.headers["Location"] == "/"
    assert mentor_client.get("/").headers["Location"] == GUIDE
    page = mentor_client.get(GUIDE).get_data(as_text=True)
    assert GUIDE_TITLE in page
    assert "I've read this: go to the moderation queue" in page
    mentor_client.post(GUIDE)
    assert mentor_client.get("/").status_code == 200


def test_a_form_sent_before_the_guide_is_not_lost(app, client, auth, admin):
    member = make_account(app, "quiet-heron", two_factor=True)
    make_eligible(app, member.id, interested=True)
    auth.login(admin)
    client.post(f"/admin/accounts/{member.id}/mentor")
    mentor_client = app.test_client()
    AuthActions(app, mentor_client, auth.clock).login(member)
    response = mentor_client.post("/account/preferences", data={"locale": ""})
    assert response.headers["Location"] == "/account"
    assert load_account(app, member.id).is_new_mentor is True  # still to see


def test_a_role_change_from_the_roles_list_shows_no_guide(app, client, auth, admin):
    member = make_account(app, "quiet-heron", two_factor=True)
    auth.login(admin)
    client.post(f"/admin/accounts/{member.id}/role", data={"role": "mentor"})
    mentor_client = app.test_client()
    AuthActions(app, mentor_client, auth.clock).login(member)
    assert mentor_client.get("/").status_code == 200


@pytest.mark.parametrize("role", ["member", "staff"])
def test_the_guide_is_for_moderators(app, client, auth, request, role):
    auth.login(request.getfixturevalue(role))
    assert client.get(GUIDE).status_code == 403
    assert client.post(GUIDE).status_code == 403


@pytest.mark.parametrize("role", ["mentor", "admin"])
def test_moderators_may_read_the_guide_again(app, client, auth, request, role):
    auth.login(request.getfixturevalue(role))
    before = snapshot(app)
    page = client.get(GUIDE).get_data(as_text=True)
    assert GUIDE_TITLE in page
    for part in ("What you see", "Your own stories", "Reports are anonymous"):
        assert part in page
    assert "Content warnings" in page
    assert "When to ask staff" in page
    assert "I've read this" not in page  # nothing is due: a plain link to the queue
    response = client.post(GUIDE)
    assert (response.status_code, response.headers["Location"]) == (303, "/moderation")
    assert differences(before, snapshot(app)) == {}
    assert 'href="/moderation/guide"' in client.get("/moderation").get_data(as_text=True)


# The demo (issue 13, a newcomer's try): an admin trying it finds someone on the pathway.


def test_the_demo_has_an_interested_eligible_member_for_admins_to_see(app, runner, clock, auth):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    password = result.output.split("password for all: ")[1].split("\n")[0]
    secret = result.output.split("demo-admin")[1].split("TOTP secret: ")[1].split("\n")[0]
    with app.app_context():
        eligible = [(a.pseudonym, a.is_mentor_interested) for a in pathway.eligible_members()]
        assert eligible == [("demo-member", True)]
        admin_id = db.session.scalar(select(Account.id).where(Account.pseudonym == "demo-admin"))
    admin = MadeAccount(admin_id, "demo-admin", Role.ADMIN, password, secret)
    auth.login(admin)
    page = auth.client.get("/admin").get_data(as_text=True)
    assert "<strong>demo-member</strong>: interested" in page
    assert "Make mentor<span" in page
    assert "Nobody at the moment." not in page
