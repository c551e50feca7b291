"""Getting back in: recovery codes (shown, kept, used) and in-person reset codes.

Codes are throttled with the sign-in counts, but a right code works even when a limit
is reached: 80 random bits need no limit (NIST SP 800-63B 5.1.2.2), and the owner must
always get in, even from an address an attacker shares.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from advocacy import clock
from advocacy.accounts import forms, limits, recovery, second_factor, services, sessions
from advocacy.accounts.errors import AccountPaused, CodeInvalid, PasswordRefused
from advocacy.accounts.views.common import (
    after_sign_in,
    bp,
    limited,
    pending_account,
    sign_in_again,
    site_name,
)
from advocacy.extensions import db
from advocacy.notices.services import codes_left
from advocacy.security import visitors_only
from advocacy.staff.services import record


def signed_in_after_code(recovered: recovery.Recovered, attempt: limits.Attempt, message: str):
    """Audit the code's use, sign in on this browser only, and go on (to setup if needed)."""
    account = recovered.account
    now = clock.now()
    attempt.refund()
    if not recovered.is_reset:  # a reset code's use is recorded with its issuer and approver
        record(account, "recovery_code_used", account, now=now)
    services.record_login(account, now=now)
    if account.needs_two_factor:
        second_factor.begin_two_factor_setup(account)  # setup opens on the QR code
    db.session.commit()
    limits.after_recovery(account.pseudonym_key)
    sessions.start_session(account, now)
    flash(message, "success")
    return after_sign_in(account)


def recovered_message(recovered: recovery.Recovered) -> str:
    """Say what changed after /recover, and how many recovery codes are left."""
    left = recovery.codes_left(recovered.account)
    if recovered.cleared_second_factor:
        changed = _l(
            "Your password is changed, your second factor is cleared and every other "
            "session has ended."
        )
    else:
        changed = _l("Your password is changed and every other session has ended.")
    message = f"{changed} {codes_left(left)}"
    if left < 3:
        return f"{message} {_l('Make new ones on your account page soon.')}"
    return message


@bp.route("/recover", methods=["GET", "POST"])
def recover():
    """Set a new password with a recovery code or a staff reset code, then sign in."""
    form = forms.RecoverForm()
    if form.validate_on_submit():
        # A recovery is counted like a sign-in, and never spends a pass a recovery left.
        attempt = limits.sign_in_attempt(form.pseudonym.data, with_pass=False)
        try:
            recovered = recovery.recover_account(
                pseudonym=form.pseudonym.data,
                code=form.code.data,
                new_password=form.password.data,
                now=clock.now(),
                site_name=site_name(),
            )
        except PasswordRefused as refused:
            db.session.rollback()
            attempt.refund()  # no code was checked
            form.password.errors.extend(refused.messages)
        except AccountPaused as error:
            db.session.rollback()
            attempt.refund()  # the code was right
            form.code.errors.append(error.message)
        except CodeInvalid as error:
            db.session.rollback()
            if attempt.refused:
                return limited("accounts/recover.html", form, attempt, recovering=True)
            form.code.errors.append(error.message)
        else:
            return signed_in_after_code(
                recovered,
                attempt,
                recovered_message(recovered),
            )
    return render_template("accounts/recover.html", form=form)


@bp.post("/login/recovery-code")
@visitors_only
def login_recovery_code():
    """Use a recovery code instead of the lost authenticator, after the right password."""
    account = pending_account()
    if account is None:
        return sign_in_again()
    form = forms.RecoveryCodeForm(prefix=forms.LOST_PHONE_PREFIX)
    code_form = forms.SecondFactorForm(formdata=None)
    if form.validate_on_submit():
        attempt = limits.second_factor_attempt(account.id)
        try:
            recovered = recovery.pass_second_factor_with_code(
                account, form.recovery_code.data, now=clock.now()
            )
        except CodeInvalid as error:
            db.session.rollback()
            if attempt.refused:
                return limited(
                    "accounts/login_code.html",
                    code_form,
                    attempt,
                    codes_form=form,
                    recovering=True,
                )
            form.recovery_code.errors.append(error.message)
        else:
            return signed_in_after_code(
                recovered,
                attempt,
                " ".join(
                    (
                        _(
                            "You're in. Your old second factor is cleared and every other "
                            "session has ended."
                        ),
                        codes_left(recovery.codes_left(account)),
                    )
                ),
            )
    return render_template("accounts/login_code.html", form=code_form, codes_form=form), 400


@bp.get("/account/recovery-codes")
@login_required
def recovery_codes():
    """Show the new recovery codes again and again until the member says they are kept."""
    seed = bytes.fromhex(session.get("codes_seed", ""))
    codes = recovery.codes_to_show(current_user, seed) if seed else None
    if codes is None:
        session.pop("codes_seed", None)
        flash(
            _l(
                "Recovery codes are shown only while you save them. "
                "If you've lost yours, make new ones here."
            ),
            "info",
        )
        return redirect(url_for("accounts.account"))
    return render_template(
        "accounts/recovery_codes.html",
        codes=codes,
        form=forms.ConfirmCodesForm(formdata=None),
        after_join=session.get("codes_after_join", False),
    )


@bp.post("/account/recovery-codes/confirm")
@login_required
def confirm_recovery_codes():
    """Continue once the member says the codes are kept; otherwise show the same ones again."""
    form = forms.ConfirmCodesForm()
    if form.validate_on_submit() and form.kept.data:
        recovery.keep_codes(current_user)
        db.session.commit()
        session.pop("codes_seed", None)
        after_join = session.pop("codes_after_join", False)
        if after_join:
            flash(_l("Your recovery codes are set. Welcome."), "success")
            return after_sign_in(current_user)
        flash(_l("Your new recovery codes are set. The old ones no longer work."), "success")
        return redirect(url_for("accounts.account"), code=303)
    flash(
        _l(
            "You didn't tick the box, so nothing has changed: these are still your codes. "
            "Tick it once you have saved them somewhere safe."
        ),
        "error",
    )
    return redirect(url_for("accounts.recovery_codes"), code=303)
