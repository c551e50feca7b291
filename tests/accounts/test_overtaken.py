"""A password check overtaken by another change: the change wins, calmly (ASVS 7.4.2).

Passwords are checked, and new ones hashed, outside any transaction (argon2id takes CPU
seconds), so an admin's pause, a sign-out elsewhere, a role change or a deletion can
land meanwhile. Each test makes that change from another connection while the password
is checked or hashed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from advocacy.accounts import services
from advocacy.accounts.models import ResetCode
from advocacy.extensions import db, passwords
from tests.conftest import ON_POSTGRES
from tests.support.accounts import PASSWORD, load_account

CHANGED = "Your account changed while this was being checked. Please sign in again."
NEW = "harbor juniper morning ember"

CHANGES = {
    "paused": "UPDATE accounts SET paused_at = CURRENT_TIMESTAMP WHERE id = :id",
    "signed out everywhere": "UPDATE accounts SET session_token = 'elsewhere' WHERE id = :id",
    "made a mentor": "UPDATE accounts SET role = 'mentor' WHERE id = :id",
    "deleted": "DELETE FROM accounts WHERE id = :id",
}


@pytest.fixture
def overtake(app, monkeypatch):
    """overtake(sql, account_id, during="verify"): run sql from another connection during
    the next password check (or, with during="hash", while a new password is hashed)."""

    def arm(sql: str, account_id: int, during: str = "verify") -> None:
        real = getattr(passwords, during)

        def while_changed(*args):
            with app.app_context(), db.engine.begin() as other:
                other.execute(text(sql), {"id": account_id})
            monkeypatch.setattr(passwords, during, real)
            return real(*args)

        monkeypatch.setattr(passwords, during, while_changed)

    return arm


@pytest.mark.parametrize("change", CHANGES)
def test_a_pseudonym_change_overtaken_is_refused_and_nothing_changes(
    app, client, auth, member, overtake, change
):
    auth.login(member)
    overtake(CHANGES[change], member.id)
    response = client.post(
        "/account/pseudonym", data={"pseudonym": "quiet-harbor", "password": PASSWORD}
    )
    # The session is over: sign in again, with the reason said there.
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert CHANGED in client.get("/login").get_data(as_text=True)
    after = load_account(app, member.id)
    assert after is None or after.pseudonym == member.pseudonym
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("change", CHANGES)
def test_a_password_change_overtaken_while_the_new_one_is_hashed_changes_nothing(
    app, client, auth, member, overtake, change
):
    auth.login(member)
    overtake(CHANGES[change], member.id, during="hash")
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW, "password_confirm": NEW},
    )
    # As for the pseudonym: the session is over, the reason said where one signs in.
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert CHANGED in client.get("/login").get_data(as_text=True)
    after = load_account(app, member.id)
    with app.app_context():
        assert after is None or passwords.verify(after.password_hash, PASSWORD)
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("change", ["paused", "deleted"])
def test_a_reset_code_for_a_member_changed_meanwhile_is_not_made_and_staff_stay(
    app, client, auth, staff, member, overtake, change
):
    """The change is another account's: staff stay signed in and are told to look again."""
    auth.login(staff)
    overtake(CHANGES[change], member.id, during="hash_code")
    response = client.post("/staff/reset-codes", data={"pseudonym": member.pseudonym})
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/reset-codes"  # back to the form
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "That account changed while this was being done, so nothing was saved." in page
    assert client.get("/account").status_code == 200  # still signed in
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResetCode)) == 0


@pytest.mark.parametrize("change", ["paused", "deleted"])
def test_a_sign_in_overtaken_by_a_pause_or_deletion_starts_no_session(
    app, client, auth, member, overtake, change
):
    overtake(CHANGES[change], member.id)
    response = auth.login(member)
    assert response.status_code in (200, 403)  # the calm refusal page, never a 500
    assert client.get("/account").status_code == 302


def test_staff_changed_together_with_the_member_are_signed_out_with_the_reason(
    app, client, auth, staff, member, overtake
):
    """Both accounts changed while the reset code was hashed: the staff member's own
    change wins, whichever account the service read first (found in review)."""
    auth.login(staff)
    both = "UPDATE accounts SET paused_at = CURRENT_TIMESTAMP WHERE id IN (:id, :member)"
    overtake(both.replace(":member", str(member.id)), staff.id, during="hash_code")
    response = client.post("/staff/reset-codes", data={"pseudonym": member.pseudonym})
    assert response.headers["Location"] == "/login"
    assert CHANGED in client.get("/login").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResetCode)) == 0


def test_an_account_deleted_before_its_password_is_checked_is_signed_out_with_the_reason(
    app, client, auth, member, monkeypatch
):
    """Deleted after the request loaded it (without its password hash) and before the
    check reads it: the member's own change, so their session ends, as for the changes above."""
    if not ON_POSTGRES:
        pytest.skip("SQLite: a POST holds the write lock from its first statement: no deletion")
    auth.login(member)
    normalize = services.normalize_text

    def deleted_first(typed: str) -> str:  # the check's first step, before it reads the account
        with app.app_context(), db.engine.begin() as other:
            other.execute(text(CHANGES["deleted"]), {"id": member.id})
        monkeypatch.setattr(services, "normalize_text", normalize)
        return normalize(typed)

    monkeypatch.setattr(services, "normalize_text", deleted_first)
    response = client.post(
        "/account/pseudonym", data={"pseudonym": "quiet-harbor", "password": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert CHANGED in client.get("/login").get_data(as_text=True)
    assert load_account(app, member.id) is None
