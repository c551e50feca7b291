"""The account page: pseudonym, password, preferences, codes, devices, export, deletion."""

from __future__ import annotations

import json

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, fresh_login_required, login_required
from wtforms import SelectChoice

from advocacy import clock, i18n
from advocacy.accounts import forms, mentoring, recovery, reset_log, services, sessions
from advocacy.accounts.errors import AccountError, PasswordRefused, PseudonymRefused
from advocacy.accounts.limits import limit_password_checks, password_was_right
from advocacy.accounts.models import MODERATING_ROLES
from advocacy.accounts.views.common import (
    bp,
    leave_with,
    password_confirmed,
    show_codes_next,
    site_name,
)
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy import services as privacy


def account_page(**forms_by_name) -> str:
    """Render the account page with any form that has errors kept as typed."""
    preferences = forms_by_name.pop("preferences", None) or forms.PreferencesForm(
        formdata=None,
        is_discreet=current_user.is_discreet,
        locale=current_user.locale or "",
        timezone=current_user.timezone or "",
        opens_stories_in_review=current_user.opens_stories_in_review,
    )
    preferences.locale.choices = language_choices()
    return render_template(
        "accounts/account.html",
        held=registry.summarize_account(current_user),
        codes_left=recovery.codes_left(current_user),
        pseudonym_form=forms_by_name.get("pseudonym") or forms.PseudonymForm(formdata=None),
        password_form=forms_by_name.get("password") or forms.ChangePasswordForm(formdata=None),
        preferences_form=preferences,
        site_timezone=current_app.config["DEFAULT_TIMEZONE"],
        codes_form=forms_by_name.get("codes")
        or forms.PasswordCheckForm(formdata=None, id_prefix=forms.CODES_PREFIX),
        two_factor_off_form=forms_by_name.get("two_factor_off")
        or forms.PasswordCheckForm(formdata=None, id_prefix=forms.TWO_FACTOR_OFF_PREFIX),
        staff_resets_form=forms_by_name.get("staff_resets")
        or forms.StaffResetsForm(formdata=None, refuses=current_user.refuses_staff_resets),
        resets=reset_log.history(current_user),
        mentoring_form=forms_by_name.get("mentoring") or forms.MentoringForm(formdata=None),
        may_answer_mentoring=mentoring.may_answer(current_user),
        moderates=current_user.role in MODERATING_ROLES,
    )


def language_choices() -> list[SelectChoice]:
    """Offer the browser's language plus every language with a catalogue."""
    choices = [SelectChoice("", _l("Same as my browser"))]
    for code in current_app.config["SUPPORTED_LOCALES"]:
        choices.append(SelectChoice(code, i18n.language_name(code)))
    return choices


@bp.get("/account")
@login_required
def account():
    """Show the member's settings."""
    return account_page()


@bp.post("/account/pseudonym")
@login_required
@limit_password_checks
def change_pseudonym():
    """Change the pseudonym."""
    form = forms.PseudonymForm()
    if password_confirmed(form):
        try:
            services.change_pseudonym(
                current_user, form.pseudonym.data, site_name=site_name(), now=clock.now()
            )
        except PseudonymRefused as refused:
            db.session.rollback()
            form.pseudonym.errors.extend(refused.messages)
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
                now=clock.now(),
            )
        except PasswordRefused as refused:
            db.session.rollback()
            password_was_right()  # only the new password was refused
            form.password.errors.extend(refused.messages)
        except AccountError as error:
            db.session.rollback()
            form.current_password.errors.append(error.message)
        else:
            password_was_right()
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
    """Save discreet mode, language, time zone and (moderators) how stories open in review."""
    form = forms.PreferencesForm()
    form.locale.choices = language_choices()
    if form.validate_on_submit():
        services.change_preferences(
            current_user,
            is_discreet=form.is_discreet.data,
            locale=form.locale.data,
            timezone=form.timezone.data,
            opens_stories_in_review=form.opens_stories_in_review.data,
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
    form = forms.PasswordCheckForm(id_prefix=forms.CODES_PREFIX)
    if password_confirmed(form):
        seed = recovery.issue_recovery_codes(current_user)
        db.session.commit()
        return show_codes_next(seed, after_join=False)
    return account_page(codes=form), 400


@bp.post("/account/staff-resets")
@login_required
@limit_password_checks
def staff_resets():
    """Choose whether staff and admins may give a reset code for this account."""
    form = forms.StaffResetsForm()
    if password_confirmed(form):
        recovery.refuse_staff_resets(current_user, form.refuses.data)
        db.session.commit()
        message = (
            _l("Saved. Only your own recovery codes can reset your account now.")
            if form.refuses.data
            else _l("Saved. Staff can give you a reset code again, with a second approval.")
        )
        flash(message, "success")
        return redirect(url_for("accounts.account"), code=303)
    return account_page(staff_resets=form), 400


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of the account, on every device."""
    services.end_all_sessions(current_user)
    db.session.commit()
    sessions.end_session()
    return leave_with(redirect(url_for("accounts.signed_out", reason="everywhere"), code=303))


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
        services.delete_own_account(current_user._get_current_object(), chosen, now=clock.now())
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
