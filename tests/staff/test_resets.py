"""Four eyes on reset codes: a staff code works only once a second person approves it.

Every use is recorded (issuer and approver), shown on the member's account page and
told to the member and the admins; a member may refuse staff resets altogether.
"""

from sqlalchemy import func, select

from advocacy.accounts.models import Account, ResetCode
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.staff.models import AuditEntry
from tests.accounts.helpers import codes_in
from tests.support.accounts import PASSWORD, load_account, make_account, make_reset_code
from tests.support.dates import english_date

NEW = "harbor juniper morning ember"
REFUSED = "That code didn"


def recover(app, pseudonym, code):
    return app.test_client().post(
        "/recover",
        data={"pseudonym": pseudonym, "code": code, "password": NEW, "password_confirm": NEW},
    )


def issue(client, pseudonym):
    response = client.post("/staff/reset-codes", data={"pseudonym": pseudonym})
    codes = codes_in(response)
    return (codes[0] if codes else None), response.get_data(as_text=True)


def waiting_code_id(app):
    with app.app_context():
        return db.session.scalar(select(ResetCode.id))


def signed_in(app, auth, account):
    client = app.test_client()
    auth.login(account, client=client)
    return client


def notices(app, account_id):
    with app.app_context():
        return sorted(
            db.session.scalars(select(Notice.kind).where(Notice.account_id == account_id))
        )


def audit(app):
    with app.app_context():
        return [
            (e.action, e.actor_id, e.approver_id, e.target_id)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_a_staff_code_works_only_after_a_second_person_approves_it(
    app, client, auth, staff, member
):
    auth.login(staff)
    code, body = issue(client, member.pseudonym)
    assert "works only after a second person approves it" in body
    before = load_account(app, member.id).password_hash

    refused = recover(app, member.pseudonym, code)
    assert refused.status_code == 200
    assert REFUSED in refused.get_data(as_text=True)  # the same answer as a wrong code
    assert load_account(app, member.id).password_hash == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResetCode)) == 1  # not spent

    approver = make_account(app, "birch-staff", role="staff")
    response = signed_in(app, auth, approver).post(
        f"/staff/reset-codes/{waiting_code_id(app)}/approve"
    )
    assert response.status_code == 303
    assert recover(app, member.pseudonym, code).status_code == 303
    assert load_account(app, member.id).password_hash != before
    assert (
        app.test_client()
        .post("/login", data={"pseudonym": member.pseudonym, "password": NEW})
        .status_code
        == 303
    )


def test_the_issuer_cannot_approve_their_own_code(app, client, auth, staff, member):
    auth.login(staff)
    code, _body = issue(client, member.pseudonym)
    response = client.post(f"/staff/reset-codes/{waiting_code_id(app)}/approve")
    assert response.status_code == 303
    page = client.get("/staff/reset-codes/pending").get_data(as_text=True)
    assert "someone else needs to approve it" in page
    with app.app_context():
        assert db.session.scalar(select(ResetCode.approved_at)) is None
    assert REFUSED in recover(app, member.pseudonym, code).get_data(as_text=True)
    assert [entry[0] for entry in audit(app)] == ["reset_code_issued"]


def test_staff_approve_only_codes_for_accounts_they_could_reset(app, auth, staff, admin):
    other_staff = make_account(app, "birch-staff", role="staff")
    # A code for a staff member, waiting (as if its issuer's role had changed since).
    _code, code_id = make_reset_code(app, other_staff.id, admin.id, now=auth.clock())
    signed_in(app, auth, staff).post(f"/staff/reset-codes/{code_id}/approve")
    with app.app_context():
        assert db.session.get(ResetCode, code_id).approved_at is None


def test_an_admins_code_works_at_once_and_the_other_admins_are_told(
    app, client, auth, admin, staff, member
):
    other_admin = make_account(app, "alder-admin", role="admin")
    auth.login(admin)
    code, body = issue(client, member.pseudonym)
    assert "works at once" in body
    assert notices(app, other_admin.id) == ["reset_code_by_admin"]
    assert notices(app, admin.id) == []  # the issuer knows
    assert notices(app, staff.id) == []
    assert recover(app, member.pseudonym, code).status_code == 303
    assert audit(app)[-1] == ("reset_code_used", admin.id, admin.id, member.id)


def test_a_used_code_is_logged_shown_to_the_member_and_told_to_the_admins(
    app, client, auth, staff, member, admin
):
    approver = make_account(app, "birch-staff", role="staff")
    auth.login(staff)
    code, _body = issue(client, member.pseudonym)
    approver_client = signed_in(app, auth, approver)
    approver_client.post(f"/staff/reset-codes/{waiting_code_id(app)}/approve")
    assert notices(app, member.id) == []  # nothing is told before the code is used
    recover(app, member.pseudonym, code)

    assert audit(app) == [
        ("reset_code_issued", staff.id, None, member.id),
        ("reset_code_approved", approver.id, None, member.id),
        ("reset_code_used", staff.id, approver.id, member.id),
    ]
    assert notices(app, member.id) == ["reset_code_used"]
    assert notices(app, admin.id) == ["reset_code_used_admin"]
    assert notices(app, staff.id) == notices(app, approver.id) == []

    member_client = app.test_client()
    auth.login(member, password=NEW, client=member_client)
    page = member_client.get("/account").get_data(as_text=True)
    assert "Resets of your account" in page
    assert f"Made by {staff.pseudonym}, approved by {approver.pseudonym}" in page
    assert f"On {english_date(auth.clock().date())} a reset code set a new password." in page
    told = member_client.get("/notices").get_data(as_text=True)
    assert "A reset code was used to set a new password for your account" in told
    # The notices name nobody: a pseudonym there would outlive its account.
    assert staff.pseudonym not in told
    assert approver.pseudonym not in told

    log = signed_in(app, auth, admin).get("/admin/audit").get_data(as_text=True)
    assert "reset code used" in log
    assert approver.pseudonym in log


def test_the_account_page_says_when_no_reset_happened(app, client, auth, member):
    auth.login(member)
    assert "No reset code has been used on your account." in client.get("/account").get_data(
        as_text=True
    )


def test_a_member_can_refuse_staff_resets(app, client, auth, staff, admin, member):
    staff_client = signed_in(app, auth, staff)
    open_code, _body = issue(staff_client, member.pseudonym)
    auth.login(member)
    wrong = client.post("/account/staff-resets", data={"refuses": "y", "password": "not it at all"})
    assert wrong.status_code == 400
    assert load_account(app, member.id).refuses_staff_resets is False
    response = client.post("/account/staff-resets", data={"refuses": "y", "password": PASSWORD})
    assert response.status_code == 303
    assert load_account(app, member.id).refuses_staff_resets is True
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResetCode)) == 0  # gone

    for issuer in (staff_client, signed_in(app, auth, admin)):
        code, body = issue(issuer, member.pseudonym)
        assert code is None
        assert "only their own recovery codes" in body
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResetCode)) == 0
    assert REFUSED in recover(app, member.pseudonym, open_code).get_data(as_text=True)

    client.post("/account/staff-resets", data={"password": PASSWORD})  # unticked: allowed again
    assert load_account(app, member.id).refuses_staff_resets is False
    code, _body = issue(staff_client, member.pseudonym)
    assert code is not None


def test_the_waiting_list_shows_who_and_when_never_the_code(app, client, auth, staff, member):
    auth.login(staff)
    code, _body = issue(client, member.pseudonym)
    page = signed_in(app, auth, make_account(app, "birch-staff", role="staff")).get(
        "/staff/reset-codes/pending"
    )
    body = page.get_data(as_text=True)
    assert member.pseudonym in body
    assert staff.pseudonym in body
    assert code not in body
    assert code.replace("-", "") not in body
    assert "Approve" in body
    own = client.get("/staff/reset-codes/pending").get_data(as_text=True)
    assert f"/staff/reset-codes/{waiting_code_id(app)}/approve" not in own  # never your own


def test_only_the_issuer_or_an_admin_withdraws_a_code(app, client, auth, staff, admin, member):
    auth.login(staff)
    issue(client, member.pseudonym)
    code_id = waiting_code_id(app)
    signed_in(app, auth, make_account(app, "birch-staff", role="staff")).post(
        f"/staff/reset-codes/{code_id}/withdraw"
    )
    assert waiting_code_id(app) == code_id  # someone else's: still there
    client.post(f"/staff/reset-codes/{code_id}/withdraw")
    assert waiting_code_id(app) is None
    issue(client, member.pseudonym)
    signed_in(app, auth, admin).post(f"/staff/reset-codes/{waiting_code_id(app)}/withdraw")
    assert waiting_code_id(app) is None
    assert [entry[0] for entry in audit(app)].count("reset_code_withdrawn") == 2


def test_an_admins_code_for_staff_or_an_admin_waits_for_another_admin(
    app, client, auth, admin, staff
):
    """No single account, an admin's included, can take over a staff or admin account."""
    other_admin = make_account(app, "alder-admin", role="admin")
    other_staff = make_account(app, "cedar-staff", role="staff")
    auth.login(admin)
    for target in (staff, other_admin):
        code, body = issue(client, target.pseudonym)
        assert "works only after a second person approves it" in body
        assert "works at once" not in body
        assert "That code didn" in recover(app, target.pseudonym, code).get_data(as_text=True)
    # Staff may not approve a code for staff; the admin who made it may not either.
    staff_client = signed_in(app, auth, other_staff)
    with app.app_context():
        waiting = db.session.scalar(select(ResetCode.id).where(ResetCode.account_id == staff.id))
    staff_client.post(f"/staff/reset-codes/{waiting}/approve")
    client.post(f"/staff/reset-codes/{waiting}/approve")
    with app.app_context():
        assert db.session.get(ResetCode, waiting).approved_at is None
    # Another admin approves: now it works.
    code, _body = issue(client, staff.pseudonym)
    with app.app_context():
        waiting = db.session.scalar(select(ResetCode.id).where(ResetCode.account_id == staff.id))
    signed_in(app, auth, other_admin).post(f"/staff/reset-codes/{waiting}/approve")
    assert recover(app, staff.pseudonym, code).status_code == 303


def test_a_role_change_ends_open_reset_codes(app, client, auth, admin, staff, member):
    """A code allowed for a member must not reach the account once it is an admin's."""
    approver = make_account(app, "birch-staff", role="staff")
    auth.login(staff)
    code, _body = issue(client, member.pseudonym)
    signed_in(app, auth, approver).post(f"/staff/reset-codes/{waiting_code_id(app)}/approve")
    admin_client = signed_in(app, auth, admin)
    admin_client.post(f"/admin/accounts/{member.id}/role", data={"role": "admin"})
    assert "That code didn" in recover(app, member.pseudonym, code).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ResetCode.id)) is None


def test_a_staff_code_gets_a_member_who_lost_their_phone_back_in(app, client, auth, staff):
    """Issue 10: a staff code clears the lost second factor, is audited and told."""
    member = make_account(app, "phone-member", two_factor=True)
    approver = make_account(app, "birch-staff", role="staff")
    auth.login(staff)
    code, _body = issue(client, member.pseudonym)
    signed_in(app, auth, approver).post(f"/staff/reset-codes/{waiting_code_id(app)}/approve")
    response = recover(app, member.pseudonym, code)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Account, member.id).totp_secret is None
    assert audit(app)[-1] == ("reset_code_used", staff.id, approver.id, member.id)
    assert notices(app, member.id) == ["reset_code_used"]
