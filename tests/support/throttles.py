"""Every step that checks a secret or can be guessed at, and the limit its rule sets.

tests/test_throttles.py walks this table (wrong tries up to the limit are answered as
usual, the next one gets 429 and the wait in words, and a right secret then gets what
the rule says) and checks that every POST endpoint whose form holds a password or a
code has a row here: a new step that checks a secret fails the suite until it is
throttled and listed.

The limits are written out from the rules (DESIGN §3, advocacy/accounts/limits.py and
the documented defaults of its settings), never read from the code under test. Each row
counts the tightest limit the step meets:

- sign-in and /recover share the sign-in counts: 10 failures per pseudonym from one
  client in 15 minutes;
- the code step and its lost-phone form: 10 wrong codes per account waiting at the step,
  in 15 minutes;
- password re-entry by a signed-in account (confirm, export, delete, new password,
  pseudonym, recovery codes, staff resets, second factor off): 10 wrong in 15 minutes;
- joining with an invite code: 60 tries per client an hour;
- checking a completion letter's code: 30 tries per client an hour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

from tests.support.accounts import (
    PASSWORD,
    AuthActions,
    Clock,
    MadeAccount,
    give_recovery_codes,
    make_account,
    make_invite,
    make_reset_code,
)
from tests.support.programs import make_letter_code

WRONG = "not the password at all"
NEW = "harbor juniper morning ember"
UNKNOWN_CODE = "AAAA-BBBB-CCCC-DDDD"  # shaped like a recovery, reset or letter code
SETUP = "/account/two-factor"
# The normal answers to a wrong secret, as the member reads them.
MISMATCH = "That pseudonym and password don't match. Please try again."
CODE_WRONG = "That code didn't work. Check it and try again; each code works only once."
NOT_CURRENT = "That isn't your current password. Please try again."
INVITE_WRONG = "That invite code can't be used."
LETTER_WRONG = "We can't confirm that code."


@dataclass(frozen=True)
class Scene:
    """The app, its clock, and the one browser that walks the step."""

    app: Flask
    clock: Clock
    browser: FlaskClient


@dataclass(frozen=True)
class Right:
    """A right secret sent once the limit is reached, and what the rule says it gets.

    status 429: refused without being checked, so nothing changes; 303: let in, to
    location (80-bit codes need no limit, NIST SP 800-63B 5.1.2.2, and the owner must
    always get back in).
    """

    form: dict[str, str]
    status: int
    location: str | None = None


@dataclass(frozen=True)
class Reached:
    """A step, reached: the wrong form to send again and again, then the right ones."""

    wrong: dict[str, str]
    right: tuple[Right, ...]


@dataclass(frozen=True)
class Throttled:
    """One step that checks a secret.

    `guesses` names the form field the wrong tries fill ("Form.field"); `limit` is how
    many wrong tries get the normal answer (`refusal` status, saying `says`) before the
    next one gets 429 saying "Please try again in about {wait}."; `reach` brings the
    scene's browser to the step.
    """

    name: str
    endpoint: str
    path: str
    guesses: str
    limit: int
    wait: str
    refusal: int
    says: str
    reach: Callable[[Scene], Reached]


def password_step(scene: Scene, account: MadeAccount) -> None:
    """Send the right password, so the browser waits at the code step."""
    answer = scene.browser.post(
        "/login", data={"pseudonym": account.pseudonym, "password": account.password}
    )
    assert answer.headers["Location"] == "/login/code"


def wrong_totp(account: MadeAccount, scene: Scene) -> str:
    """Return six digits that are no code of the account's near the scene's time."""
    near = {account.totp_code(scene.clock(), offset) for offset in range(-3, 4)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


def signing_in(scene: Scene) -> Reached:
    member = make_account(scene.app, "river-member")
    codes = give_recovery_codes(scene.app, member.id)
    typed = {"pseudonym": member.pseudonym}
    return Reached(
        wrong={**typed, "password": WRONG},
        right=(
            Right({**typed, "password": PASSWORD}, 429),
            # DESIGN §3: whenever a limit would refuse the owner, a recovery code gets them in.
            Right({**typed, "password": PASSWORD, "recovery_code": codes[0]}, 303, "/"),
        ),
    )


def signing_in_after_a_recovery(scene: Scene) -> Reached:
    """A recovery leaves a pass for this client's next sign-in: it is spent once."""
    member = make_account(scene.app, "river-member")
    code = give_recovery_codes(scene.app, member.id)[0]
    form = {"pseudonym": member.pseudonym, "code": code, "password": NEW, "password_confirm": NEW}
    assert scene.browser.post("/recover", data=form).status_code == 303
    scene.browser.get("/exit")
    typed = {"pseudonym": member.pseudonym}
    return Reached(
        wrong={**typed, "password": WRONG}, right=(Right({**typed, "password": NEW}, 429),)
    )


def at_the_code_step(scene: Scene) -> Reached:
    staff = make_account(scene.app, "maple-staff", role="staff")
    password_step(scene, staff)
    return Reached(
        wrong={"code": wrong_totp(staff, scene)},
        right=(Right({"code": staff.totp_code(scene.clock())}, 429),),
    )


def at_the_lost_phone_form(scene: Scene) -> Reached:
    staff = make_account(scene.app, "maple-staff", role="staff")
    code = give_recovery_codes(scene.app, staff.id)[0]
    password_step(scene, staff)
    return Reached(
        wrong={"lost-recovery_code": UNKNOWN_CODE},
        right=(Right({"lost-recovery_code": code}, 303, SETUP),),
    )


def recovering_with(code_for: Callable[[Scene, MadeAccount], str]) -> Callable[[Scene], Reached]:
    """Reach /recover for a member whose right code comes from code_for(scene, member)."""

    def reach(scene: Scene) -> Reached:
        member = make_account(scene.app, "river-member")
        code = code_for(scene, member)

        def form(typed_code: str) -> dict[str, str]:
            return {
                "pseudonym": member.pseudonym,
                "code": typed_code,
                "password": NEW,
                "password_confirm": NEW,
            }

        return Reached(wrong=form(UNKNOWN_CODE), right=(Right(form(code), 303, "/"),))

    return reach


def a_recovery_code(scene: Scene, member: MadeAccount) -> str:
    return give_recovery_codes(scene.app, member.id)[0]


def an_approved_reset_code(scene: Scene, member: MadeAccount) -> str:
    admin = make_account(scene.app, "wren-admin", role="admin")
    return make_reset_code(scene.app, member.id, admin.id, now=scene.clock(), approved=True)[0]


def re_entering_the_password(
    form: Callable[[str], dict[str, str]], *, two_factor: bool = False
) -> Callable[[Scene], Reached]:
    """Reach a signed-in member's password re-entry; form(password) is what it posts."""

    def reach(scene: Scene) -> Reached:
        member = make_account(scene.app, "river-member", two_factor=two_factor)
        assert AuthActions(scene.app, scene.browser, scene.clock).login(member).status_code == 303
        return Reached(wrong=form(WRONG), right=(Right(form(PASSWORD), 429),))

    return reach


def password_only(password: str) -> dict[str, str]:
    return {"password": password}


def joining(scene: Scene) -> Reached:
    code = make_invite(scene.app, None, now=scene.clock())[0]

    def form(invite_code: str) -> dict[str, str]:
        return {
            "invite_code": invite_code,
            "pseudonym": "Quiet Fern",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "action": "join",
        }

    return Reached(wrong=form("AAAA-BBBB-CCCC"), right=(Right(form(code), 429),))


def checking_a_letter(scene: Scene) -> Reached:
    staff = make_account(scene.app, "maple-staff", role="staff")
    member = make_account(scene.app, "river-member")
    code = make_letter_code(scene.app, staff.id, member.id, now=scene.clock())
    return Reached(wrong={"code": UNKNOWN_CODE}, right=(Right({"code": code}, 429),))


def password_check(
    name: str,
    endpoint: str,
    path: str,
    guesses: str,
    refusal: int,
    form: Callable[[str], dict[str, str]] = password_only,
    *,
    two_factor: bool = False,
) -> Throttled:
    """A row for a signed-in member's password re-entry: 10 wrong in 15 minutes."""
    reach = re_entering_the_password(form, two_factor=two_factor)
    return Throttled(name, endpoint, path, guesses, 10, "15 minutes", refusal, NOT_CURRENT, reach)


def new_password(password: str) -> dict[str, str]:
    return {"current_password": password, "password": NEW, "password_confirm": NEW}


def new_pseudonym(password: str) -> dict[str, str]:
    return {"pseudonym": "Quiet Heron", "password": password}


def refusing_staff_resets(password: str) -> dict[str, str]:
    return {"refuses": "y", "password": password}


# fmt: off
THROTTLED = (
    Throttled("sign-in", "accounts.login", "/login", guesses="LoginForm.password",
              limit=10, wait="15 minutes", refusal=200, says=MISMATCH, reach=signing_in),
    # The pass lets one sign-in through uncounted, then the 10 apply as ever.
    Throttled("sign-in after a recovery", "accounts.login", "/login",
              guesses="LoginForm.password", limit=1 + 10, wait="15 minutes", refusal=200,
              says=MISMATCH, reach=signing_in_after_a_recovery),
    Throttled("code step", "accounts.login_second_factor", "/login/code",
              guesses="SecondFactorForm.code", limit=10, wait="15 minutes", refusal=200,
              says=CODE_WRONG, reach=at_the_code_step),
    Throttled("lost phone", "accounts.login_recovery_code", "/login/recovery-code",
              guesses="RecoveryCodeForm.recovery_code", limit=10, wait="15 minutes",
              refusal=400, says=CODE_WRONG, reach=at_the_lost_phone_form),
    Throttled("recover with a recovery code", "accounts.recover", "/recover",
              guesses="RecoverForm.code", limit=10, wait="15 minutes", refusal=200,
              says=CODE_WRONG, reach=recovering_with(a_recovery_code)),
    Throttled("recover with a reset code", "accounts.recover", "/recover",
              guesses="RecoverForm.code", limit=10, wait="15 minutes", refusal=200,
              says=CODE_WRONG, reach=recovering_with(an_approved_reset_code)),
    password_check("confirm", "accounts.reauthenticate", "/account/confirm",
                   "ReauthenticateForm.password", 200),
    password_check("export", "accounts.export", "/account/export",
                   "PasswordCheckForm.password", 200),
    password_check("delete", "accounts.delete", "/account/delete",
                   "PasswordCheckForm.password", 200),
    password_check("new password", "accounts.change_password", "/account/password",
                   "ChangePasswordForm.current_password", 400, new_password),
    password_check("new pseudonym", "accounts.change_pseudonym", "/account/pseudonym",
                   "PseudonymForm.password", 400, new_pseudonym),
    password_check("new recovery codes", "accounts.new_recovery_codes",
                   "/account/recovery-codes", "PasswordCheckForm.password", 400),
    password_check("staff resets", "accounts.staff_resets", "/account/staff-resets",
                   "StaffResetsForm.password", 400, refusing_staff_resets),
    password_check("second factor off", "accounts.two_factor_off", "/account/two-factor/off",
                   "PasswordCheckForm.password", 400, two_factor=True),
    Throttled("join with an invite code", "accounts.join", "/join",
              guesses="JoinForm.invite_code", limit=60, wait="60 minutes", refusal=200,
              says=INVITE_WRONG, reach=joining),
    Throttled("check a letter", "programs.verify", "/programs/verify",
              guesses="VerifyForm.code", limit=30, wait="60 minutes", refusal=200,
              says=LETTER_WRONG, reach=checking_a_letter),
)
# fmt: on

# Steps that take a secret but need no limit, and why.
NOT_GUESSABLE = {
    # The code proves the member's app holds the secret this very page shows them.
    "accounts.two_factor_setup": "confirms a secret shown to the signed-in member",
}
