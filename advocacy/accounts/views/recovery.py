"""Getting back in: a recovery code or a staff reset code sets a new password."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from advocacy import clock
from advocacy.accounts import forms, limits, recovery, sessions
from advocacy.accounts.errors import CodeInvalid, PasswordRefused
from advocacy.accounts.views.common import bp, limited, site_name
from advocacy.extensions import db


@bp.route("/recover", methods=["GET", "POST"])
def recover():
    """Set a new password with a recovery code or a staff reset code.

    Codes are throttled with the sign-in counts, but a right code works even when a
    limit is reached: 80 random bits need no limit (NIST SP 800-63B 5.1.2.2), and the
    owner must always get in, even from an address an attacker shares.
    """
    form = forms.RecoverForm()
    if form.validate_on_submit():
        attempt = limits.sign_in_attempt(form.pseudonym.data)
        try:
            recovered = recovery.recover_account(
                pseudonym=form.pseudonym.data,
                code=form.code.data,
                new_password=form.password.data,
                now=clock.now(),
                site_name=site_name(),
            )
        except PasswordRefused as error:
            db.session.rollback()
            attempt.refund()  # no code was checked
            form.password.errors.append(error.message)
        except CodeInvalid as error:
            db.session.rollback()
            if attempt.refused:
                return limited("accounts/recover.html", form, attempt, recovering=True)
            form.code.errors.append(error.message)
        else:
            attempt.refund()
            db.session.commit()
            limits.after_recovery(recovered.pseudonym_key)
            sessions.end_session()
            flash(
                _l(
                    "Your password is changed and every other session has ended. "
                    "Please sign in with your new password."
                ),
                "success",
            )
            return redirect(url_for("accounts.login"), code=303)
    return render_template("accounts/recover.html", form=form)
