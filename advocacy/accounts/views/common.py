"""What every accounts room shares: the blueprint, password re-entry, leaving, landing."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import inspect
from werkzeug.exceptions import HTTPException

from advocacy import clock
from advocacy.accounts import forms, limits, services, sessions, standing
from advocacy.accounts.errors import AccountChanged, AccountError
from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.security import safe_next_url

bp = Blueprint("accounts", __name__)

OTHER_ACCOUNT_CHANGED = _l(
    "That account changed while this was being done, so nothing was saved. Please look "
    "again and try once more."
)
# Tell the browser to drop everything it holds for this site.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


@bp.app_context_processor
def standing_helpers() -> dict:
    """Let the account page and the story forms say when a posting stop is in force."""

    def posting_notice() -> str | None:
        if not current_user.is_authenticated:
            return None
        return standing.posting_notice(current_user, now=clock.now())

    return {"posting_notice": posting_notice}


def site_name() -> str:
    return current_app.config["SITE_NAME"]


@bp.app_errorhandler(AccountChanged)
def account_changed(error: AccountChanged) -> Response:
    """An account changed while a request checked a password or hashed one (paused,
    signed out, given another role, deleted): nothing the request did is kept. If it was
    the signed-in account, its session is over: sign in again, saying why. If it was
    another (the member a reset code was for), say so and go back to try again."""
    db.session.rollback()
    if signed_in_id() not in error.account_ids:
        flash(OTHER_ACCOUNT_CHANGED, "info")
        return redirect(page_to_try_again(), code=303)
    sessions.end_session()
    flash(error.message, "info")
    return redirect(url_for("accounts.login"), code=303)


def signed_in_id() -> int | None:
    """The id of the signed-in account, read without loading it (it may be gone)."""
    state = inspect(current_user._get_current_object(), raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def page_to_try_again() -> str:
    """The page this request came from, if it can be opened (GET), else home."""
    try:
        current_app.url_map.bind("").match(request.path, method="GET")
    except HTTPException:  # an address that only takes a form
        return url_for("pages.home")
    return request.path


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


def pending_account() -> Account | None:
    """Return the account whose password was just right and whose second step is due
    (none once paused, or once its sessions were ended, while at the code step)."""
    return sessions.pending_second_factor_account(clock.now())


def limited(template: str, form, attempt: limits.Attempt, **context) -> tuple[str, int]:
    """Show the form again, refused by a limit: how long to wait, never a server-side sleep."""
    return render_template(template, form=form, wait_message=attempt.wait_message(), **context), 429


def leave_with(response: Response) -> Response:
    """Ask the browser to forget this site's cookies, storage and cached pages."""
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def show_codes_next(seed: bytes, *, after_join: bool) -> Response:
    """Keep the new codes' seed in the session and send the browser to see them.

    Redirect after POST: Back and Reload show the same codes and never make new ones.
    """
    session["codes_seed"] = seed.hex()
    session["codes_after_join"] = after_join
    return redirect(url_for("accounts.recovery_codes"), code=303)


def sign_in_again() -> Response:
    """Send someone whose password step has lapsed (or never happened) back to sign in."""
    flash(_l("Please sign in again."), "info")
    return redirect(url_for("accounts.login"))


def lost_phone_form() -> forms.RecoveryCodeForm:
    """Return the empty recovery-code form that sits under the code step's own."""
    return forms.RecoveryCodeForm(formdata=None, prefix=forms.LOST_PHONE_PREFIX)


def finish_sign_in(account: Account) -> Response:
    """Start the session; this client is now known for the pseudonym (see limits)."""
    services.record_login(account, now=clock.now())
    db.session.commit()
    limits.remember_client(account.pseudonym_key)
    sessions.start_session(account, clock.now())
    return after_sign_in(account)


def after_sign_in(account: Account) -> Response:
    """Send a newly signed-in account where it was going (or to 2FA setup, or home)."""
    if account.needs_two_factor:
        flash(_l("Your role needs a second factor. Please set it up now."), "info")
        return redirect(url_for("accounts.two_factor_setup"), code=303)
    target = safe_next_url(session.pop("next", None)) or url_for("pages.home")
    return redirect(target, code=303)
