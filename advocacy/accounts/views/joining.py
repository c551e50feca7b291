"""Joining with an invite, and the one showing of the recovery codes."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from advocacy import clock
from advocacy.accounts import forms, joining, recovery, services, sessions
from advocacy.accounts.errors import (
    InviteInvalid,
    PasswordRefused,
    PseudonymRefused,
    PseudonymTaken,
)
from advocacy.accounts.policy import suggest_passphrase, suggest_pseudonym
from advocacy.accounts.views.common import after_sign_in, bp, show_codes, site_name
from advocacy.extensions import db, limiter


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LIMIT_JOIN_PER_CLIENT"], methods=["POST"])
def join():
    """Create an account with an invite code, a pseudonym and a password."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = forms.JoinForm()
    suggestion = None
    action = request.form.get("action")
    if request.method == "POST" and action == "suggest_pseudonym":
        form.pseudonym.data = suggest_pseudonym()
    elif request.method == "POST" and action == "suggest_passphrase":
        suggestion = suggest_passphrase()
    elif form.validate_on_submit():
        try:
            created = joining.register_account(
                invite_code=form.invite_code.data.strip() or None,
                pseudonym=form.pseudonym.data,
                password=form.password.data,
                now=clock.now(),
                open_joining=current_app.config["OPEN_JOINING"],
                site_name=site_name(),
            )
        except (PseudonymRefused, PseudonymTaken) as error:
            db.session.rollback()
            form.pseudonym.errors.append(error.message)
        except PasswordRefused as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        except InviteInvalid as error:
            db.session.rollback()
            form.invite_code.errors.append(error.message)
        else:
            services.record_login(created.account, now=clock.now())
            db.session.commit()
            sessions.start_session(created.account, clock.now())
            return show_codes(created.recovery_codes, after_join=True)
    return render_template(
        "accounts/join.html",
        form=form,
        passphrase=suggestion,
        open_joining=current_app.config["OPEN_JOINING"],
    ), 200


@bp.post("/account/recovery-codes/confirm")
@login_required
def confirm_recovery_codes():
    """Continue once the member says the codes are kept; otherwise show new ones."""
    form = forms.ConfirmCodesForm()
    if form.validate_on_submit() and form.kept.data:
        flash(_l("Your recovery codes are set. Welcome."), "success")
        return after_sign_in(current_user)
    # The old codes were shown once and cannot be shown again: make new ones.
    codes = recovery.issue_recovery_codes(current_user)
    db.session.commit()
    flash(
        _l(
            "Please tick the box once you have saved these new codes. "
            "The earlier ones no longer work."
        ),
        "error",
    )
    return show_codes(codes, after_join=False)
