"""Setting up, drawing and turning off the authenticator-app second factor."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from advocacy import clock
from advocacy.accounts import forms, second_factor
from advocacy.accounts.errors import AccountError, CodeInvalid
from advocacy.accounts.limits import limit_password_checks, password_was_right
from advocacy.accounts.views.common import after_sign_in, bp, site_name
from advocacy.accounts.views.settings import account_page
from advocacy.extensions import db
from advocacy.templating import discreet_title


@bp.post("/account/two-factor/start")
@login_required
def two_factor_start() -> Response:
    """Create a new pending secret and show it."""
    if not current_user.has_two_factor:
        second_factor.begin_two_factor_setup(current_user)
        db.session.commit()
    return redirect(url_for("accounts.two_factor_setup"), code=303)


def app_address(secret: str) -> str:
    """Return the otpauth:// address of the pending secret, neutral in discreet mode."""
    return second_factor.provisioning_uri(current_user, secret, site_name(), discreet_title())


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Set up an authenticator app: QR code and secret, then one code to confirm."""
    form = forms.SecondFactorForm()
    if current_user.totp_pending_secret and form.validate_on_submit():
        try:
            second_factor.confirm_two_factor_setup(current_user, form.code.data, now=clock.now())
        except CodeInvalid as error:
            db.session.rollback()
            form.code.errors.append(error.message)
        else:
            db.session.commit()
            flash(
                _l("Your second factor is on. You'll be asked for a code when you sign in."),
                "success",
            )
            return after_sign_in(current_user)
    secret = current_user.totp_pending_secret
    return render_template(
        "accounts/two_factor.html",
        form=form,
        secret=second_factor.grouped_key(secret) if secret else None,
        # The same address as the QR code: on the phone itself, a tap opens the app.
        app_link=app_address(secret) if secret else None,
    )


@bp.get("/account/two-factor/qr.svg")
@login_required
def two_factor_qr() -> Response:
    """Draw the pending secret's QR code on the server, as SVG (no outside service)."""
    secret = current_user.totp_pending_secret
    if not secret:
        abort(404)
    uri = app_address(secret)
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10)
    return Response(image.to_string(), mimetype="image/svg+xml")


@bp.post("/account/two-factor/off")
@login_required
@limit_password_checks
def two_factor_off():
    """Turn the second factor off (members only)."""
    form = forms.PasswordCheckForm(id_prefix=forms.TWO_FACTOR_OFF_PREFIX)
    if form.validate_on_submit():
        try:
            second_factor.turn_off_two_factor(current_user, form.password.data, now=clock.now())
        except AccountError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            password_was_right()
            db.session.commit()
            flash(_l("Your second factor is off."), "success")
            return redirect(url_for("accounts.account"), code=303)
    return account_page(two_factor_off=form), 400
