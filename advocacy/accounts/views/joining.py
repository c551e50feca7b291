"""Joining with an invite, and the one showing of the recovery codes."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l

from advocacy import clock, i18n
from advocacy.accounts import forms, joining, services, sessions
from advocacy.accounts.errors import JoinRefused
from advocacy.accounts.policy import suggest_passphrase, suggest_pseudonym
from advocacy.accounts.views.common import bp, show_codes_next, site_name
from advocacy.extensions import db, limiter
from advocacy.once import once
from advocacy.security import visitors_only

# The account was made by the first copy of the form, which signed it in and showed its
# recovery codes; this copy's browser may never have seen that answer.
JOINED_ALREADY = _l(
    "That was already sent, and your account is made. If you are not signed in, sign in "
    "with the pseudonym and password you chose; you can make new recovery codes on your "
    "account page."
)


@bp.route("/join", methods=["GET", "POST"])
@visitors_only
@limiter.limit(lambda: current_app.config["LIMIT_JOIN_PER_CLIENT"], methods=["POST"])
@once(then="accounts.login", said=JOINED_ALREADY)
def join():
    """Create an account with an invite code, a pseudonym and a password."""
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
                invite_code=(form.invite_code.data or "").strip() or None,
                pseudonym=form.pseudonym.data or "",
                password=form.password.data or "",
                password_confirm=form.password_confirm.data or "",
                now=clock.now(),
                open_joining=current_app.config["OPEN_JOINING"],
                site_name=site_name(),
            )
        except JoinRefused as refused:
            db.session.rollback()
            for name, messages in refused.problems.items():
                form[name].errors.extend(str(message) for message in messages)
        else:
            created.account.locale = i18n.visitors_choice()  # chosen before joining: kept
            services.record_login(created.account, now=clock.now())
            db.session.commit()
            sessions.start_session(created.account, clock.now())
            return show_codes_next(created.codes_seed, after_join=True)
    return render_template(
        "accounts/join.html",
        form=form,
        passphrase=suggestion,
        open_joining=current_app.config["OPEN_JOINING"],
    ), 200
