"""Admins change roles; the change is audited and ends the member's sessions."""

from sqlalchemy import select

from advocacy.extensions import db
from advocacy.staff.models import AuditEntry
from tests.support.accounts import PASSWORD, load_account


def test_admin_changes_a_role_and_it_is_audited(app, client, auth, admin, member):
    member_client = app.test_client()
    auth.login(member, client=member_client)
    auth.login(admin)
    page = client.get("/admin").get_data(as_text=True)
    assert member.pseudonym in page
    response = client.post(f"/admin/accounts/{member.id}/role", data={"role": "mentor"})
    assert response.status_code == 303
    assert load_account(app, member.id).role == "mentor"
    assert member_client.get("/account").status_code == 302  # old session ended
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry))
        assert (entry.actor_id, entry.target_id, entry.action, entry.detail) == (
            admin.id,
            member.id,
            "role_changed",
            "member to mentor",
        )
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "role changed" in audit
    assert member.pseudonym in audit


def test_admin_cannot_change_own_role(app, client, auth, admin):
    auth.login(admin)
    client.post(f"/admin/accounts/{admin.id}/role", data={"role": "member"})
    assert load_account(app, admin.id).role == "admin"


def test_unknown_role_or_account_changes_nothing(app, client, auth, admin, member):
    auth.login(admin)
    assert (
        client.post(f"/admin/accounts/{member.id}/role", data={"role": "owner"}).status_code == 400
    )
    client.post("/admin/accounts/9999/role", data={"role": "staff"})
    assert load_account(app, member.id).role == "member"
    with app.app_context():
        assert db.session.scalar(select(AuditEntry)) is None


def test_role_change_needs_a_recent_sign_in(app, client, auth, clock, admin, member):
    auth.login(admin)
    clock.advance(minutes=20)
    client.get("/admin")
    response = client.post(f"/admin/accounts/{member.id}/role", data={"role": "staff"})
    assert response.headers["Location"].endswith("/account/confirm")
    assert load_account(app, member.id).role == "member"
    client.post("/account/confirm", data={"password": PASSWORD})
    client.post(f"/admin/accounts/{member.id}/role", data={"role": "staff"})
    assert load_account(app, member.id).role == "staff"


def test_create_admin_prints_a_password_once(app, runner):
    result = runner.invoke(args=["create-admin", "--pseudonym", "first-admin"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].split("\n")[0]
    client = app.test_client()
    response = client.post("/login", data={"pseudonym": "first-admin", "password": password})
    assert response.headers["Location"].endswith("/account/two-factor")


def test_seed_demo_fills_an_empty_database_once(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0
    for name in ("demo-admin", "demo-staff", "demo-mentor", "demo-member", "demo-member2"):
        assert name in first.output
    assert first.output.count("TOTP secret") == 3
    second = runner.invoke(args=["seed-demo"])
    assert "already has accounts" in second.output
