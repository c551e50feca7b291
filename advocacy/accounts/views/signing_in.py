"""Signing in and out: password, code step, password re-entry, quick exit."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from advocacy import clock
from advocacy.accounts import forms, limits, recovery, second_factor, services, sessions
from advocacy.accounts.errors import AccountPaused, CodeInvalid, LoginFailed
from advocacy.accounts.limits import limit_password_checks
from advocacy.accounts.views.common import (
    bp,
    finish_sign_in,
    leave_with,
    limited,
    lost_phone_form,
    password_confirmed,
    pending_account,
    sign_in_again,
)
from advocacy.extensions import db
from advocacy.security import safe_next_url, visitors_only


def from_this_site() -> bool:
    """Return whether the request came from one of this site's own pages.

    Browsers say so in Sec-Fetch-Site; older ones only send a Referer, which our
    Referrer-Policy (same-origin) sends for our own pages. Anything else, a link or
    image on another site included, counts as coming from elsewhere.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    try:
        referrer = urlsplit(request.referrer or "")
    except ValueError:  # a malformed Referer (e.g. "http://[") must not stop the exit
        return False
    return (referrer.scheme, referrer.netloc) == (request.scheme, request.host)


@bp.get("/exit")
def quick_exit() -> Response:
    """End the session and leave for a neutral site.

    From this site's own quick exit, every session of the account ends. From
    anywhere else only this browser is signed out, so another site cannot sign a
    member out on all their devices. Leaving must never fail: if the database
    cannot be written, the browser is still told to forget the cookie and sent away.
    """
    try:
        if current_user.is_authenticated and from_this_site():
            services.end_all_sessions(current_user)
            db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
    sessions.end_session()
    return leave_with(redirect(current_app.config["EXIT_URL"], code=303))


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out everywhere: the session token is replaced, so copied cookies stop working."""
    services.end_all_sessions(current_user)
    db.session.commit()
    sessions.end_session()
    return leave_with(redirect(url_for("accounts.signed_out"), code=303))


# Clear-Site-Data removes every cookie, a flashed message's too: say it on a page instead.
SIGNED_OUT_MESSAGES = {
    "out": _l("You are signed out."),
    "everywhere": _l("You are signed out on every device."),
    "deleted": _l("Your account and everything linked to it have been deleted."),
}


@bp.get("/signed-out")
def signed_out() -> str:
    """Confirm that the session ended (or the account is gone)."""
    reason = request.args.get("reason", "out")
    message = SIGNED_OUT_MESSAGES.get(reason, SIGNED_OUT_MESSAGES["out"])
    return render_template("accounts/signed_out.html", message=message)


@bp.route("/login", methods=["GET", "POST"])
@visitors_only
def login():
    """Sign in with pseudonym and password (then a TOTP code if set up)."""
    form = forms.LoginForm()
    paused = None
    if form.validate_on_submit():
        attempt = limits.sign_in_attempt(form.pseudonym.data, with_pass=True)
        if attempt.refused:
            if not unlocked_with_code(form):
                return limited("accounts/login.html", form, attempt)
            attempt = limits.Attempt()  # the code stands in for the limits: nothing counted
        try:
            account = services.authenticate(form.pseudonym.data, form.password.data)
        except LoginFailed as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        except AccountPaused as error:
            # The password was right (no failure), but no session of any kind starts.
            db.session.rollback()
            attempt.refund()
            paused = error.message
        else:
            attempt.refund()
            if account.needs_two_factor:
                # Their first stop will be setup: have a secret ready to show.
                second_factor.begin_two_factor_setup(account)
            if account.has_two_factor:
                db.session.commit()  # keep an upgraded hash
                sessions.begin_second_factor(account, clock.now())
                return redirect(url_for("accounts.login_second_factor"), code=303)
            return finish_sign_in(account)
    return render_template("accounts/login.html", form=form, paused=paused)


def unlocked_with_code(form: forms.LoginForm) -> bool:
    """Return whether a right recovery code came with a sign-in that a limit refused."""
    if not form.recovery_code.data:
        return False
    if recovery.unlock_sign_in(form.pseudonym.data, form.recovery_code.data, now=clock.now()):
        return True
    db.session.rollback()
    form.recovery_code.errors.append(CodeInvalid.message)
    return False


@bp.route("/login/code", methods=["GET", "POST"])
@visitors_only
def login_second_factor():
    """Finish signing in with a code from the authenticator app."""
    account = pending_account()
    if account is None:
        return sign_in_again()
    form = forms.SecondFactorForm()
    if form.validate_on_submit():
        attempt = limits.second_factor_attempt(account.id)
        if attempt.refused:
            return limited(
                "accounts/login_code.html",
                form,
                attempt,
                codes_form=lost_phone_form(),
                recovering=True,  # the recovery-code form is right below
            )
        try:
            second_factor.verify_second_factor(account, form.code.data, now=clock.now())
        except CodeInvalid as error:
            db.session.rollback()
            form.code.errors.append(error.message)
        else:
            attempt.refund()
            return finish_sign_in(account)
    return render_template("accounts/login_code.html", form=form, codes_form=lost_phone_form())


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
@limit_password_checks
def reauthenticate():
    """Ask for the password again before a sensitive action."""
    form = forms.ReauthenticateForm()
    if password_confirmed(form):
        sessions.confirm_fresh(clock.now())
        target = safe_next_url(session.pop("next", None)) or url_for("accounts.account")
        return redirect(target, code=303)
    return render_template("accounts/reauthenticate.html", form=form)
