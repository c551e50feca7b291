"""What every accounts room shares: the blueprint, password re-entry, leaving, landing."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from advocacy.accounts import forms, limits, services
from advocacy.accounts.errors import AccountError
from advocacy.accounts.models import Account
from advocacy.security import safe_next_url

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
    except AccountError as error:
        form.password.errors.append(error.message)
        return False
    limits.password_was_right()
    return True


def limited(template: str, form, attempt: limits.Attempt, **context) -> tuple[str, int]:
    """Show the form again, refused by a limit: how long to wait, never a server-side sleep."""
    return render_template(template, form=form, wait_message=attempt.wait_message(), **context), 429


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
