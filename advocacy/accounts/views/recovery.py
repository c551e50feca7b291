"""Getting back in: a recovery code or a staff reset code sets a new password."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from advocacy import clock
from advocacy.accounts import forms, recovery, sessions
from advocacy.accounts.errors import CodeInvalid, PasswordRefused
from advocacy.accounts.limits import limit_attempts
from advocacy.accounts.views.common import bp, site_name
from advocacy.extensions import db


@bp.route("/recover", methods=["GET", "POST"])
@limit_attempts("LIMIT_LOGIN_PER_ACCOUNT", "LIMIT_LOGIN_PER_CLIENT")
def recover():
    """Set a new password with a recovery code or a staff reset code."""
    form = forms.RecoverForm()
    if form.validate_on_submit():
        try:
            recovery.recover_account(
                pseudonym=form.pseudonym.data,
                code=form.code.data,
                new_password=form.password.data,
                now=clock.now(),
                site_name=site_name(),
            )
        except PasswordRefused as refused:
            db.session.rollback()
            form.password.errors.extend(refused.messages)
        except CodeInvalid as error:
            db.session.rollback()
            form.code.errors.append(error.message)
        else:
            db.session.commit()
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
