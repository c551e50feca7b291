"""A lost phone is not a lost account: recovery codes pass the second factor, which is then
cleared; every change to the password, second factor or role leaves the member a notice."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from advocacy.accounts import recovery
from advocacy.accounts.errors import CodeInvalid
from advocacy.accounts.models import Account, RecoveryCode
from advocacy.accounts.second_factor import confirm_two_factor_setup, verify_second_factor
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.notices.services import message_for
from advocacy.staff.models import AuditEntry
from tests.support.accounts import PASSWORD, give_recovery_codes, load_account, make_account

SETUP = "/account/two-factor"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
NEW_PASSWORD = "harbor juniper morning ember"


def password_step(client, account) -> None:
    response = client.post(
        "/login", data={"pseudonym": account.pseudonym, "password": account.password}
    )
    assert response.headers["Location"] == "/login/code"


def use_recovery_code(client, code: str):
    return client.post("/login/recovery-code", data={"lost-recovery_code": code})


def recover(client, account, code: str, **kwargs):
    """Set a new password at /recover with a one-time code."""
    data = {"pseudonym": account.pseudonym, "code": code}
    data["password"] = data["password_confirm"] = NEW_PASSWORD
    return client.post("/recover", data=data, **kwargs)


def notice_kinds(app, account_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notice.kind).where(Notice.account_id == account_id)))


def audit_actions(app, target_id: int) -> list[tuple[int | None, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditEntry.actor_id, AuditEntry.action).where(AuditEntry.target_id == target_id)
        )
        return [tuple(row) for row in rows]


def codes_left(app, account_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.account_id == account_id)
        )


def test_mentor_who_lost_their_phone_gets_in_and_must_set_up_a_new_factor(
    app, client, auth, clock, mentor
):
    codes = give_recovery_codes(app, mentor.id)
    other_device = app.test_client()
    auth.login(mentor, client=other_device)
    assert other_device.get("/moderation").status_code == 200

    password_step(client, mentor)
    response = use_recovery_code(client, codes[2].lower().replace("-", " "))
    assert response.status_code == 303
    assert response.headers["Location"] == SETUP  # held at setup before any page of the role
    account = load_account(app, mentor.id)
    assert account.totp_secret is None
    assert codes_left(app, mentor.id) == 9
    assert other_device.get("/moderation").status_code == 302  # every other session ended
    assert client.get("/moderation").headers["Location"] == SETUP
    assert "recovered_with_code" in notice_kinds(app, mentor.id)
    assert (mentor.id, "recovery_code_used") in audit_actions(app, mentor.id)

    # A new second factor, and the role's pages open again.
    client.post("/account/two-factor/start")
    secret = load_account(app, mentor.id).totp_pending_secret
    assert secret is not None
    assert secret != mentor.totp_secret
    code = pyotp.TOTP(secret).at(clock())
    assert client.post(SETUP, data={"code": code}).status_code == 303
    assert client.get("/moderation").status_code == 200
    assert "second_factor_on" in notice_kinds(app, mentor.id)


def test_the_same_recovery_code_does_not_work_twice(app, client, mentor):
    codes = give_recovery_codes(app, mentor.id)
    password_step(client, mentor)
    assert use_recovery_code(client, codes[0]).status_code == 303
    again = app.test_client()
    password_step(again, make_account_with_phone(app, mentor))
    response = use_recovery_code(again, codes[0])
    assert response.status_code == 400
    assert "That code didn" in response.get_data(as_text=True)


def make_account_with_phone(app, mentor):
    """Give the mentor a second factor again (as if they had set up a new one)."""
    with app.app_context():
        account = db.session.get(Account, mentor.id)
        account.totp_secret = pyotp.random_base32()
        db.session.commit()
    return mentor


def test_a_wrong_recovery_code_changes_nothing(app, client, mentor):
    give_recovery_codes(app, mentor.id)
    password_step(client, mentor)
    response = use_recovery_code(client, "AAAA-BBBB-CCCC-DDDD")
    assert response.status_code == 400
    assert "That code didn" in response.get_data(as_text=True)
    account = load_account(app, mentor.id)
    assert account.totp_secret == mentor.totp_secret
    assert codes_left(app, mentor.id) == 10
    assert client.get("/account").status_code == 302  # not signed in
    assert notice_kinds(app, mentor.id) == []


def test_a_recovery_code_needs_the_password_step_first(app, client, mentor):
    codes = give_recovery_codes(app, mentor.id)
    response = use_recovery_code(client, codes[0])
    assert response.headers["Location"] == "/login"
    assert codes_left(app, mentor.id) == 10
    assert load_account(app, mentor.id).totp_secret == mentor.totp_secret


def test_member_with_a_second_factor_uses_a_code_and_goes_home(app, client, clock):
    member = make_account(app, "phone-member", two_factor=True)
    codes = give_recovery_codes(app, member.id)
    password_step(client, member)
    response = use_recovery_code(client, codes[9])
    assert response.headers["Location"] == "/"
    assert load_account(app, member.id).totp_secret is None
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "9 recovery codes left" in page


def test_recover_with_a_code_clears_the_second_factor_and_signs_in(app, client, mentor):
    codes = give_recovery_codes(app, mentor.id)
    response = recover(client, mentor, codes[5])
    assert response.headers["Location"] == SETUP
    assert load_account(app, mentor.id).totp_secret is None
    assert "password_reset" in notice_kinds(app, mentor.id)
    assert (mentor.id, "recovery_code_used") in audit_actions(app, mentor.id)
    # The old password no longer works; the new one does, and setup is next.
    fresh = app.test_client()
    old = fresh.post("/login", data={"pseudonym": mentor.pseudonym, "password": PASSWORD})
    assert old.status_code == 200
    new = fresh.post("/login", data={"pseudonym": mentor.pseudonym, "password": NEW_PASSWORD})
    assert new.headers["Location"] == SETUP


def test_account_page_says_how_many_codes_are_left(app, client, auth, member):
    codes = give_recovery_codes(app, member.id)
    auth.login(member)
    assert "You have 10 unused recovery codes." in client.get("/account").get_data(as_text=True)
    with app.app_context():
        for code in codes[:8]:
            assert recovery.spend_code(db.session.get(Account, member.id), code, now=auth.clock())
        db.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert "You have 2 unused recovery codes." in page
    assert "Make new ones soon" in page


def test_password_change_leaves_a_notice(app, client, auth, member):
    auth.login(member)
    client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert notice_kinds(app, member.id) == ["password_changed"]


def test_a_refused_password_change_leaves_no_notice(app, client, auth, member):
    auth.login(member)
    client.post(
        "/account/password",
        data={"current_password": "wrong", "password": NEW_PASSWORD, "password_confirm": "x"},
    )
    assert notice_kinds(app, member.id) == []


def test_second_factor_off_leaves_a_notice(app, client, auth, clock):
    member = make_account(app, "phone-member", two_factor=True)
    auth.login(member)
    client.post("/account/two-factor/off", data={"password": PASSWORD})
    assert notice_kinds(app, member.id) == ["second_factor_off"]


def test_role_change_leaves_a_notice(app, client, auth, admin, member):
    auth.login(admin)
    client.post(f"/admin/accounts/{member.id}/role", data={"role": "mentor"})
    with app.app_context():
        notice = db.session.scalars(select(Notice).where(Notice.account_id == member.id)).one()
        assert (notice.kind, notice.params) == ("role_changed", {"role": "mentor"})
        # The role is named as a lower-case word of the reader's language, never its value.
        with app.test_request_context():
            assert message_for(notice) == "An admin changed your role to mentor."
            with force_locale("es"):
                said = message_for(notice)
        assert said == "Una persona administradora cambió tu rol a “persona mentora”."


# Second factor on the same phone (no second device to scan with).


def test_setup_offers_an_app_link_and_the_key_in_groups_of_four(app, client, auth, member):
    auth.login(member)
    client.post("/account/two-factor/start")
    secret = load_account(app, member.id).totp_pending_secret
    page = client.get(SETUP).get_data(as_text=True)
    link = re.search(r'href="(otpauth://[^"]+)"', page).group(1).replace("&amp;", "&")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parse_qs(parts.query)["secret"] == [secret]
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert f'<code class="secret">{grouped}</code>' in page
    assert "Open in your authenticator app" in page


def test_a_code_is_claimed_once_even_by_a_sign_in_that_read_the_account_earlier(app, clock, staff):
    """Two sign-ins racing with one code: the second, holding a stale row, must fail."""
    code = staff.totp_code(clock())
    with app.app_context():
        stale = db.session.get(Account, staff.id)  # read before the other sign-in wins
        db.session.expunge(stale)
        db.session.commit()
    with app.app_context():
        verify_second_factor(db.session.get(Account, staff.id), code, now=clock())
        db.session.commit()
    with app.app_context(), pytest.raises(CodeInvalid):
        verify_second_factor(stale, code, now=clock())


def pause(app, account_id: int, clock) -> None:
    with app.app_context():
        db.session.get(Account, account_id).paused_at = clock()
        db.session.commit()


def test_a_paused_account_cannot_recover_and_keeps_its_code(app, client, clock, mentor):
    codes = give_recovery_codes(app, mentor.id)
    pause(app, mentor.id, clock)
    response = recover(client, mentor, codes[0])
    assert response.status_code == 200
    assert "This account is paused" in response.get_data(as_text=True)
    assert codes_left(app, mentor.id) == 10
    account = load_account(app, mentor.id)
    assert account.totp_secret == mentor.totp_secret
    assert client.get("/account").status_code == 302


def test_paused_at_the_code_step_a_recovery_code_gets_nowhere(app, client, clock, mentor):
    codes = give_recovery_codes(app, mentor.id)
    password_step(client, mentor)
    pause(app, mentor.id, clock)
    response = use_recovery_code(client, codes[0])
    assert response.headers["Location"] == "/login"
    assert codes_left(app, mentor.id) == 10


@pytest.mark.parametrize("app_overrides", [{"LIMIT_CODE_PER_ACCOUNT": "3 per 15 minutes"}])
def test_the_lost_phone_form_is_throttled_but_a_right_code_still_gets_in(app, client, mentor):
    codes = give_recovery_codes(app, mentor.id)
    password_step(client, mentor)
    for _ in range(3):
        assert use_recovery_code(client, "AAAA-BBBB-CCCC-DDDD").status_code == 400
    limited = use_recovery_code(client, "AAAA-BBBB-CCCC-DDDD")
    assert limited.status_code == 429
    assert "Please try again in about 15 minutes" in limited.get_data(as_text=True)
    # The authenticator code is refused outright while limited ...
    code = client.post("/login/code", data={"code": mentor.totp_code(datetime.now(UTC))})
    assert code.status_code == 429
    # ... but a right recovery code still works (80 bits: NIST SP 800-63B 5.1.2.2).
    assert use_recovery_code(client, codes[1]).headers["Location"] == SETUP
    assert codes_left(app, mentor.id) == 9


def test_in_discreet_mode_the_app_entry_names_neither_site_nor_pseudonym(app, client, auth):
    member = make_account(app, "river-member")
    auth.login(member)
    client.post("/account/preferences", data={"is_discreet": "y", "locale": ""})
    client.post("/account/two-factor/start")
    page = client.get(SETUP).get_data(as_text=True)
    link = re.search(r'href="(otpauth://[^"]+)"', page).group(1)
    assert "Pathways" not in link
    assert "river" not in link.lower()
    assert "Notes" in link  # the discreet title (Config.DISCREET_TITLE)


def test_outside_discreet_mode_the_app_entry_names_the_site_and_pseudonym(app, client, auth):
    """Key URI Format: the label is issuer:account name, and issuer= repeats the issuer."""
    member = make_account(app, "River Member")
    auth.login(member)
    client.post("/account/two-factor/start")
    link = re.search(r'href="(otpauth://[^"]+)"', client.get(SETUP).get_data(as_text=True))
    parts = urlsplit(link.group(1).replace("&amp;", "&"))
    assert unquote(parts.path) == "/Pathways:River Member"
    assert parse_qs(parts.query)["issuer"] == ["Pathways"]


def test_a_code_without_a_setup_under_way_is_refused(in_request, member):
    account = db.session.get(Account, member.id)
    assert account.totp_pending_secret is None
    with pytest.raises(CodeInvalid):
        confirm_two_factor_setup(account, "123456", now=NOW)
    assert account.totp_secret is None


def test_recover_without_a_second_factor_does_not_claim_to_clear_one(app, client, member):
    codes = give_recovery_codes(app, member.id)
    response = recover(client, member, codes[0], follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Your password is changed and every other session has ended." in page
    assert "second factor is cleared" not in page
