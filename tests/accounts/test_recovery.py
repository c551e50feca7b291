"""Recovery without email: recovery codes, and reset codes staff hand over in person."""

from sqlalchemy import func, select

from advocacy.accounts.models import RecoveryCode, ResetCode
from advocacy.extensions import db
from advocacy.staff.models import AuditEntry
from tests.accounts.helpers import CODE_PATTERN, NEW, codes_in, invite_code, join, recover
from tests.support.accounts import PASSWORD, load_account, make_account


def joined_member(app, client, clock, pseudonym="Quiet Fern"):
    codes = codes_in(join(client, invite_code(app, clock()), pseudonym=pseudonym))
    client.post("/account/recovery-codes/confirm", data={"kept": "y"})
    return codes


def test_a_recovery_code_sets_a_new_password_once(app, client, clock):
    codes = joined_member(app, client, clock)
    other_device = app.test_client()
    other_device.post("/login", data={"pseudonym": "Quiet Fern", "password": PASSWORD})
    assert other_device.get("/account").status_code == 200
    response = recover(app.test_client(), "quiet fern", codes[3].lower().replace("-", " "))
    assert response.status_code == 303
    assert other_device.get("/account").status_code == 302  # every other session ended
    assert client.get("/account").status_code == 302
    fresh = app.test_client()
    assert (
        fresh.post("/login", data={"pseudonym": "Quiet Fern", "password": PASSWORD}).status_code
        == 200
    )
    assert (
        fresh.post("/login", data={"pseudonym": "Quiet Fern", "password": NEW}).status_code == 303
    )
    again = recover(app.test_client(), "Quiet Fern", codes[3], password="another long passphrase")
    assert "That code didn" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 9


def test_wrong_code_or_unknown_pseudonym_get_the_same_answer(app, client, clock):
    codes = joined_member(app, client, clock)
    wrong = recover(app.test_client(), "Quiet Fern", "AAAA-BBBB-CCCC").get_data(as_text=True)
    unknown = recover(app.test_client(), "Nobody Here", codes[0]).get_data(as_text=True)
    assert "That code didn" in wrong
    assert "That code didn" in unknown
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 10


def test_a_weak_new_password_keeps_the_code(app, client, clock):
    codes = joined_member(app, client, clock)
    response = recover(app.test_client(), "Quiet Fern", codes[0], password="short")
    assert "at least 15" in response.get_data(as_text=True)
    assert recover(app.test_client(), "Quiet Fern", codes[0]).status_code == 303


def test_new_recovery_codes_replace_the_old_ones(app, client, clock):
    old = joined_member(app, client, clock)
    response = client.post("/account/recovery-codes", data={"password": PASSWORD})
    assert response.status_code == 303  # redirect after POST: Reload makes no new codes
    new = codes_in(client.get(response.headers["Location"]))
    assert len(new) == 10
    assert "That code didn" in recover(app.test_client(), "Quiet Fern", old[0]).get_data(
        as_text=True
    )
    assert recover(app.test_client(), "Quiet Fern", new[0]).status_code == 303


def test_new_codes_need_the_password(app, client, clock):
    joined_member(app, client, clock)
    response = client.post("/account/recovery-codes", data={"password": "not it at all really"})
    assert response.status_code == 400
    assert codes_in(response) == []


def approve_all(app, auth):
    """A second staff member approves every waiting reset code (four eyes)."""
    approver_client = app.test_client()
    auth.login(make_account(app, "second-staff", role="staff"), client=approver_client)
    with app.app_context():
        ids = list(db.session.scalars(select(ResetCode.id)))
    for code_id in ids:
        approver_client.post(f"/staff/reset-codes/{code_id}/approve")


def test_staff_reset_code_works_once_and_is_audited(app, client, auth, clock, staff, member):
    auth.login(staff)
    response = client.post("/staff/reset-codes", data={"pseudonym": member.pseudonym})
    body = response.get_data(as_text=True)
    (code,) = codes_in(response)
    assert PASSWORD not in body
    assert 'type="password"' not in body  # staff never type or see a password
    approve_all(app, auth)
    member_client = app.test_client()
    assert recover(member_client, member.pseudonym, code).status_code == 303
    assert "That code didn" in recover(app.test_client(), member.pseudonym, code).get_data(
        as_text=True
    )
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id))
        assert (entry.actor_id, entry.target_id, entry.action) == (
            staff.id,
            member.id,
            "reset_code_issued",
        )


def test_staff_reset_code_expires(app, client, auth, clock, staff, member):
    before = load_account(app, member.id).password_hash
    auth.login(staff)
    (code,) = codes_in(client.post("/staff/reset-codes", data={"pseudonym": member.pseudonym}))
    approve_all(app, auth)
    clock.advance(hours=24, minutes=1)
    response = recover(app.test_client(), member.pseudonym, code)
    assert "That code didn" in response.get_data(as_text=True)
    assert load_account(app, member.id).password_hash == before  # the password is unchanged


def test_reset_code_for_unknown_pseudonym_is_a_calm_message(app, client, auth, staff):
    auth.login(staff)
    body = client.post("/staff/reset-codes", data={"pseudonym": "nobody"}).get_data(as_text=True)
    assert "There is no account with that pseudonym" in body
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResetCode)) == 0


def test_staff_cannot_reset_admins_staff_or_themselves(app, client, auth, staff, admin):
    other_staff = make_account(app, "other-staff", role="staff")
    auth.login(staff)
    for target in (admin.pseudonym, other_staff.pseudonym, staff.pseudonym):
        body = client.post("/staff/reset-codes", data={"pseudonym": target}).get_data(as_text=True)
        assert "issue a reset code for that account" in body
        assert codes_in_body(body) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResetCode)) == 0


def codes_in_body(body: str) -> list[str]:
    return CODE_PATTERN.findall(body)


def test_recover_answers_alike_for_real_and_unknown_names(app, client, clock):
    """A password built from the name is refused alike, so /recover confirms no pseudonym."""
    joined_member(app, client, clock, pseudonym="alice-river")
    real = recover(app.test_client(), "alice_river", "AAAA-BBBB-CCCC-DDDD", "alice-river 2024!")
    unknown = recover(app.test_client(), "bobby_river", "AAAA-BBBB-CCCC-DDDD", "bobby-river 2024!")
    assert real.status_code == unknown.status_code == 200
    for response in (real, unknown):
        assert "too easy to guess" in response.get_data(as_text=True)
        assert "That code didn" not in response.get_data(as_text=True)
