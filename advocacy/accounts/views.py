"""Accounts views: join, sign in and out, second factor, recovery, settings, quick exit."""

from __future__ import annotations

import json
from datetime import timedelta

import qrcode
import qrcode.image.svg
from babel import Locale
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, fresh_login_required, login_required
from sqlalchemy.exc import SQLAlchemyError
from wtforms import SelectChoice

from advocacy import clock
from advocacy.accounts import forms, services, sessions
from advocacy.accounts.limits import limit_attempts, limit_password_checks, pending_account_key
from advocacy.accounts.models import Account
from advocacy.accounts.policy import suggest_passphrase, suggest_pseudonym
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy import services as privacy
from advocacy.security import role_required, safe_next_url

bp = Blueprint("accounts", __name__)

# Tell the browser to drop everything it holds for this site.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def site_name() -> str:
    return current_app.config["SITE_NAME"]


def password_confirmed(form) -> bool:
    """Return whether the form is valid and holds the current password (else mark the field)."""
    if not form.validate_on_submit():
        return False
    try:
        services.require_password(current_user, form.password.data)
    except services.AccountError as error:
        form.password.errors.append(error.message)
        return False
    return True


def leave_with(response: Response) -> Response:
    """Ask the browser to forget this site's cookies, storage and cached pages."""
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def show_codes(codes: list[str], *, after_join: bool) -> str:
    """Render the one and only showing of recovery codes."""
    return render_template(
        "accounts/recovery_codes.html",
        codes=codes,
        form=forms.ConfirmCodesForm(formdata=None),
        after_join=after_join,
    )


def after_sign_in(account: Account) -> Response:
    """Send a newly signed-in account where it was going (or to 2FA setup, or home)."""
    if account.needs_two_factor:
        flash(_l("Your role needs a second factor. Please set it up now."), "info")
        return redirect(url_for("accounts.two_factor_setup"), code=303)
    target = safe_next_url(session.pop("next", None)) or url_for("pages.home")
    return redirect(target, code=303)


# Quick exit and signing out


@bp.get("/exit")
def quick_exit() -> Response:
    """End the session here and on the server, and leave for a neutral site.

    Leaving must never fail: if the database cannot be written, the browser is
    still told to forget the cookie and sent away.
    """
    try:
        if current_user.is_authenticated:
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


# Joining


@bp.route("/join", methods=["GET", "POST"])
@limit_attempts("LIMIT_LOGIN_PER_ACCOUNT", "LIMIT_JOIN_PER_CLIENT")
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
            created = services.register_account(
                invite_code=form.invite_code.data.strip() or None,
                pseudonym=form.pseudonym.data,
                password=form.password.data,
                now=clock.now(),
                open_joining=current_app.config["OPEN_JOINING"],
                site_name=site_name(),
            )
        except (services.PseudonymRefused, services.PseudonymTaken) as error:
            db.session.rollback()
            form.pseudonym.errors.append(error.message)
        except services.PasswordRefused as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        except services.InviteInvalid as error:
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
    codes = services.issue_recovery_codes(current_user)
    db.session.commit()
    flash(
        _l(
            "Please tick the box once you have saved these new codes. "
            "The earlier ones no longer work."
        ),
        "error",
    )
    return show_codes(codes, after_join=False)


# Signing in


@bp.route("/login", methods=["GET", "POST"])
@limit_attempts("LIMIT_LOGIN_PER_ACCOUNT", "LIMIT_LOGIN_PER_CLIENT")
def login():
    """Sign in with pseudonym and password (then a TOTP code if set up)."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = forms.LoginForm()
    if form.validate_on_submit():
        try:
            account = services.authenticate(form.pseudonym.data, form.password.data)
        except services.LoginFailed as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            next_url = session.get("next")
            if account.needs_two_factor:
                # Their first stop will be setup: have a secret ready to show.
                services.begin_two_factor_setup(account)
            if account.has_two_factor:
                db.session.commit()  # keep an upgraded hash
                sessions.begin_second_factor(account, clock.now())
                session["next"] = next_url
                return redirect(url_for("accounts.login_second_factor"), code=303)
            services.record_login(account, now=clock.now())
            db.session.commit()
            sessions.start_session(account, clock.now())
            session["next"] = next_url
            return after_sign_in(account)
    return render_template("accounts/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@limit_attempts("LIMIT_LOGIN_PER_ACCOUNT", "LIMIT_LOGIN_PER_CLIENT", pending_account_key)
def login_second_factor():
    """Finish signing in with a code from the authenticator app."""
    account_id = sessions.pending_second_factor_account(clock.now())
    account = db.session.get(Account, account_id) if account_id else None
    if account is None:
        flash(_l("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = forms.SecondFactorForm()
    if form.validate_on_submit():
        try:
            services.verify_second_factor(account, form.code.data, now=clock.now())
        except services.CodeInvalid as error:
            db.session.rollback()
            form.code.errors.append(error.message)
        else:
            next_url = session.get("next")
            services.record_login(account, now=clock.now())
            db.session.commit()
            sessions.start_session(account, clock.now())
            session["next"] = next_url
            return after_sign_in(account)
    return render_template("accounts/login_code.html", form=form)


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


# Recovery


@bp.route("/recover", methods=["GET", "POST"])
@limit_attempts("LIMIT_LOGIN_PER_ACCOUNT", "LIMIT_LOGIN_PER_CLIENT")
def recover():
    """Set a new password with a recovery code or a staff reset code."""
    form = forms.RecoverForm()
    if form.validate_on_submit():
        try:
            services.recover_account(
                pseudonym=form.pseudonym.data,
                code=form.code.data,
                new_password=form.password.data,
                now=clock.now(),
                site_name=site_name(),
            )
        except services.PasswordRefused as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        except services.CodeInvalid as error:
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


# Account settings


def account_page(**forms_by_name) -> str:
    """Render the account page with any form that has errors kept as typed."""
    preferences = forms_by_name.pop("preferences", None) or forms.PreferencesForm(
        formdata=None, is_discreet=current_user.is_discreet, locale=current_user.locale or ""
    )
    preferences.locale.choices = language_choices()
    return render_template(
        "accounts/account.html",
        held=registry.summarize_account(current_user),
        pseudonym_form=forms_by_name.get("pseudonym") or forms.PseudonymForm(formdata=None),
        password_form=forms_by_name.get("password") or forms.ChangePasswordForm(formdata=None),
        preferences_form=preferences,
        codes_form=forms_by_name.get("codes") or forms.PasswordCheckForm(formdata=None),
        two_factor_off_form=forms_by_name.get("two_factor_off")
        or forms.PasswordCheckForm(formdata=None),
    )


def language_choices() -> list[SelectChoice]:
    """Offer the browser's language plus every language with a catalogue."""
    choices = [SelectChoice("", _l("Same as my browser"))]
    for code in current_app.config["SUPPORTED_LOCALES"]:
        choices.append(SelectChoice(code, Locale.parse(code).get_display_name(code).capitalize()))
    return choices


@bp.get("/account")
@login_required
def account():
    """Show the member's settings."""
    return account_page()


@bp.post("/account/pseudonym")
@login_required
def change_pseudonym():
    """Change the pseudonym."""
    form = forms.PseudonymForm()
    if form.validate_on_submit():
        try:
            services.change_pseudonym(current_user, form.pseudonym.data)
        except (services.PseudonymRefused, services.PseudonymTaken) as error:
            db.session.rollback()
            form.pseudonym.errors.append(error.message)
        else:
            db.session.commit()
            flash(_l("Your pseudonym is changed."), "success")
            return redirect(url_for("accounts.account"), code=303)
    return account_page(pseudonym=form), 400


@bp.post("/account/password")
@login_required
@limit_password_checks
def change_password():
    """Change the password; every session, this one included, starts again."""
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                current=form.current_password.data,
                new=form.password.data,
                site_name=site_name(),
            )
        except services.PasswordRefused as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        except services.AccountError as error:
            db.session.rollback()
            form.current_password.errors.append(error.message)
        else:
            account = current_user._get_current_object()
            db.session.commit()
            # Other devices are signed out; this one continues on the new token.
            sessions.start_session(account, clock.now())
            flash(_l("Your password is changed. Any other device was signed out."), "success")
            return redirect(url_for("accounts.account"), code=303)
    return account_page(password=form), 400


@bp.post("/account/preferences")
@login_required
def change_preferences():
    """Save discreet mode and language."""
    form = forms.PreferencesForm()
    form.locale.choices = language_choices()
    if form.validate_on_submit():
        services.change_preferences(
            current_user, is_discreet=form.is_discreet.data, locale=form.locale.data
        )
        db.session.commit()
        flash(_l("Your settings are saved."), "success")
        return redirect(url_for("accounts.account"), code=303)
    return account_page(preferences=form), 400


@bp.post("/account/recovery-codes")
@login_required
@limit_password_checks
def new_recovery_codes():
    """Replace the recovery codes (the old ones stop working) after the password."""
    form = forms.PasswordCheckForm()
    if password_confirmed(form):
        codes = services.issue_recovery_codes(current_user)
        db.session.commit()
        return show_codes(codes, after_join=False)
    return account_page(codes=form), 400


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of the account, on every device."""
    services.end_all_sessions(current_user)
    db.session.commit()
    sessions.end_session()
    return leave_with(redirect(url_for("accounts.signed_out", reason="everywhere"), code=303))


# Second factor


@bp.post("/account/two-factor/start")
@login_required
def two_factor_start() -> Response:
    """Create a new pending secret and show it."""
    if not current_user.has_two_factor:
        services.begin_two_factor_setup(current_user)
        db.session.commit()
    return redirect(url_for("accounts.two_factor_setup"), code=303)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Set up an authenticator app: QR code and secret, then one code to confirm."""
    form = forms.SecondFactorForm()
    if current_user.totp_pending_secret and form.validate_on_submit():
        try:
            services.confirm_two_factor_setup(current_user, form.code.data, now=clock.now())
        except services.CodeInvalid as error:
            db.session.rollback()
            form.code.errors.append(error.message)
        else:
            db.session.commit()
            flash(
                _l("Your second factor is on. You'll be asked for a code when you sign in."),
                "success",
            )
            return after_sign_in(current_user)
    return render_template(
        "accounts/two_factor.html", form=form, secret=current_user.totp_pending_secret
    )


@bp.get("/account/two-factor/qr.svg")
@login_required
def two_factor_qr() -> Response:
    """Draw the pending secret's QR code on the server, as SVG (no outside service)."""
    if not current_user.totp_pending_secret:
        abort(404)
    uri = services.provisioning_uri(current_user, site_name())
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10)
    return Response(image.to_string(), mimetype="image/svg+xml")


@bp.post("/account/two-factor/off")
@login_required
@limit_password_checks
def two_factor_off():
    """Turn the second factor off (members only)."""
    form = forms.PasswordCheckForm()
    if form.validate_on_submit():
        try:
            services.turn_off_two_factor(current_user, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            flash(_l("Your second factor is off."), "success")
            return redirect(url_for("accounts.account"), code=303)
    return account_page(two_factor_off=form), 400


# Export and deletion


@bp.route("/account/export", methods=["GET", "POST"])
@fresh_login_required
@limit_password_checks
def export():
    """Download everything held about the account, as JSON."""
    form = forms.PasswordCheckForm()
    if password_confirmed(form):
        data = registry.export_account(current_user, now=clock.now())
        response = Response(
            json.dumps(data, indent=2, ensure_ascii=False, default=str),
            mimetype="application/json",
        )
        response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
        return response
    return render_template("accounts/export.html", form=form)


@bp.route("/account/delete", methods=["GET", "POST"])
@fresh_login_required
@limit_password_checks
def delete():
    """Delete the account and everything linked to it, for real."""
    form = forms.PasswordCheckForm()
    # Choices other domains offer (e.g. keep published stories as "Anonymous").
    choices = registry.deletion_choices()
    chosen = {choice.field: request.form.get(choice.field, choice.default) for choice in choices}
    choice_errors = {
        choice.field: _l("Please choose one of the options.")
        for choice in choices
        if request.method == "POST" and chosen[choice.field] not in dict(choice.options)
    }
    if not choice_errors and password_confirmed(form):
        registry.delete_account(current_user._get_current_object(), chosen)
        db.session.commit()
        privacy.erase_traces()
        sessions.end_session()
        return leave_with(redirect(url_for("accounts.signed_out", reason="deleted"), code=303))
    return render_template(
        "accounts/delete.html",
        form=form,
        choices=choices,
        chosen=chosen,
        choice_errors=choice_errors,
    )


# Invites


@bp.route("/invites", methods=["GET", "POST"])
@role_required("mentor", "staff", "admin")
@fresh_login_required
def invites():
    """Create an invite code within the role's rights; the code is shown once."""
    form = forms.InviteForm()
    form.set_role_choices(current_user.role)
    code = None
    if form.validate_on_submit():
        try:
            code = services.create_invite(
                role=form.role.data,
                uses=form.uses.data,
                expires_in=timedelta(days=form.days.data),
                now=clock.now(),
                inviter=current_user,
            )
        except services.AccountError as error:
            db.session.rollback()
            form.role.errors.append(error.message)
        else:
            db.session.commit()
    return render_template(
        "accounts/invites.html",
        form=form,
        code=code,
        role=form.role.data,
        uses=form.uses.data,
        days=form.days.data,
    )
