"""Session lifecycle: sign in, sign out, idle and absolute limits, freshness, second factor.

The cookie holds only the account's current session token and two timestamps;
replacing the token in the database ends every session that carries the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from advocacy import clock, i18n
from advocacy.accounts import mentoring
from advocacy.accounts.models import Account
from advocacy.extensions import db

# Sensitive actions (role changes, export, deletion) need a sign-in this recent.
FRESH_FOR = timedelta(minutes=15)
PENDING_SECOND_FACTOR_FOR = timedelta(minutes=5)
# The last-seen time in the cookie moves only by this much or more (issue 17): within it,
# a request sends no new cookie.
RENEW_SEEN_AFTER = timedelta(minutes=1)
# Endpoints a signed-in account may reach before finishing second-factor setup.
SETUP_ENDPOINTS = frozenset(
    {
        "accounts.two_factor_setup",
        "accounts.two_factor_start",
        "accounts.two_factor_qr",
        "accounts.logout",
        "accounts.quick_exit",
        "pages.home",
        "pages.safety",
        "pages.healthz",
        "privacy.privacy_page",
        "static",
    }
)


# Pages a mentor made from the pathway may still open before saying they have read the
# moderation guide: the guide itself, the safety and privacy pages, and recovery codes
# waiting to be seen. Any form they send goes on as usual.
BEFORE_GUIDE_ENDPOINTS = frozenset(
    {
        "moderation.guide",
        "accounts.recovery_codes",
        "pages.safety",
        "pages.healthz",
        "privacy.privacy_page",
    }
)


# Where an expired session simply ends and the request goes on.
SIGN_IN_ENDPOINTS = frozenset({"accounts.login", "accounts.join", "accounts.recover"})


def forget_csrf_token() -> None:
    """Forget the CSRF token this request made for the session just cleared.

    flask_wtf keeps it in `g` for the rest of the request, so a page rendered after the
    session changed (the recovery codes after joining) would carry a token of the old
    session, which can never validate.
    """
    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)  # set by CSRFProtect.init_app


KEPT_ACROSS_SIGN_IN = ("next", i18n.SESSION_KEY)


def clear_keeping_next() -> None:
    """Start a brand-new session (no fixation), keeping only the page to return to and
    the language chosen in this browser (i18n.select_locale: the account's own wins).

    safe_next_url checks that page when it is used.
    """
    kept = {key: session[key] for key in KEPT_ACROSS_SIGN_IN if session.get(key)}
    session.clear()
    forget_csrf_token()
    session.update(kept)


def start_session(account: Account, now: datetime) -> None:
    """Sign the account in on a brand-new session."""
    clear_keeping_next()
    login_user(account, remember=False, fresh=True)
    # Flask-Login stores a hash of the address and browser; we keep neither (DESIGN §4).
    session.pop("_id", None)
    session["auth_at"] = session["seen_at"] = now.timestamp()
    session.permanent = False  # a browser-session cookie: gone when the browser closes


def end_session() -> None:
    """Sign out of this browser and forget everything in the cookie."""
    logout_user()
    session.clear()
    forget_csrf_token()


def token_check(session_token: str) -> str:
    """Return SHA-256 of a session token (hex): what the code step keeps of it."""
    return hashlib.sha256(session_token.encode()).hexdigest()


def begin_second_factor(account: Account, now: datetime) -> None:
    """Remember, briefly, that the password was right and a TOTP code is due.

    The step keeps the account's id and a hash of its session token, never the token:
    the cookie is signed, not encrypted, and the token would sign its reader in past the
    code (ASVS 5.0 7.2.4). A password change or signing out everywhere replaces the
    token, and so ends a code step begun anywhere else too.
    """
    clear_keeping_next()
    session["pending_account"] = account.id
    session["pending_check"] = token_check(account.session_token)
    session["pending_until"] = (now + PENDING_SECOND_FACTOR_FOR).timestamp()


def pending_second_factor_account(now: datetime) -> Account | None:
    """Return the account awaiting a TOTP code: still in time, its session token unchanged
    since the password step, and not paused since (else None).

    The step lasts PENDING_SECOND_FACTOR_FOR and is over at its deadline, as every
    deadline here is (an invite or a reset code expires at its expires_at).
    """
    moment = now.timestamp()
    # No password step in this session: as good as one whose deadline is now.
    if session.get("pending_until", moment) <= moment:
        return None
    account = db.session.get(Account, session.get("pending_account", 0))
    if account is None or account.paused_at is not None:
        return None
    same_token = hmac.compare_digest(
        token_check(account.session_token), session.get("pending_check", "")
    )
    return account if same_token else None


def confirm_fresh(now: datetime) -> None:
    """Mark this session as just re-authenticated."""
    session["auth_at"] = now.timestamp()
    session["_fresh"] = True


def enforce_session_limits():
    """Before each request: expire idle or old sessions, age freshness, require 2FA setup,
    then show a new mentor the moderation guide first."""
    if request.endpoint in ("static", "accounts.quick_exit") or not current_user.is_authenticated:
        return None
    now = clock.now().timestamp()
    config = current_app.config
    # A session that does not say when it signed in or was last seen: as long ago as can be.
    auth_at = session.get("auth_at", -math.inf)
    seen_at = session.get("seen_at", -math.inf)
    idle = now - seen_at > config["SESSION_IDLE_MINUTES"] * 60
    too_old = now - auth_at > config["SESSION_ABSOLUTE_HOURS"] * 3600
    if (idle or too_old) and request.endpoint in SIGN_IN_ENDPOINTS:
        end_session()  # they are signing in again anyway: let that request through
        return None
    if idle:
        return expire(_l("You were signed out after a while without activity, to keep you safe."))
    if too_old:
        return expire(_l("You were signed out because your session had lasted a long time."))
    renew_seen_at(now, seen_at)
    if now - auth_at > FRESH_FOR.total_seconds() and session.get("_fresh") is not False:
        session["_fresh"] = False
    if current_user.needs_two_factor:
        if request.endpoint not in SETUP_ENDPOINTS:
            return redirect(url_for("accounts.two_factor_setup"))
        return None
    # A new mentor's next page, once the second factor is on (a form sent meanwhile goes on).
    if (
        mentoring.guide_due(current_user)
        and request.method == "GET"
        and request.endpoint not in BEFORE_GUIDE_ENDPOINTS
    ):
        return redirect(url_for("moderation.guide"))
    return None


def renew_seen_at(now: float, seen_at: float) -> None:
    """Keep `now` (a Unix time, seconds) as when the session was last seen, once the idle
    deadline it moves is RENEW_SEEN_AFTER or more later than the cookie's.

    Writing it every request re-signs and re-sends the cookie on every page; a deadline
    moved by less than a minute is not worth that. The idle limit counts from the time the
    cookie holds, so a session ends at most a minute early, never late.
    """
    if now - seen_at >= RENEW_SEEN_AFTER.total_seconds():
        session["seen_at"] = now


def expire(message: str):
    """End the session and send the visitor to sign in again, with a calm reason."""
    end_session()
    flash(message, "info")
    return redirect(url_for("accounts.login"))


def return_address() -> str | None:
    """Return where to come back to after signing in: this page, or the form's page.

    A POST-only address answers a later GET with 405, so for a form we return to the
    page it was on (same-origin Referer, which Referrer-Policy: same-origin sends).
    """
    if request.method == "GET":
        query = request.query_string.decode()
        return request.path + (f"?{query}" if query else "")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path:
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def remember_return_address() -> None:
    """Keep the return address in the session (never in the URL); safe_next_url checks it."""
    address = return_address()
    if address:
        session["next"] = address
    else:
        session.pop("next", None)


def send_to_sign_in():
    """Flask-Login's unauthorized(): sign in first, then come back to a page that answers GET."""
    manager = current_app.login_manager
    flash(str(manager.login_message), manager.login_message_category)
    remember_return_address()
    return redirect(url_for("accounts.login"))


def send_to_confirm():
    """Flask-Login's needs_refresh(): confirm the password, then come back the same way."""
    manager = current_app.login_manager
    flash(str(manager.needs_refresh_message), manager.needs_refresh_message_category)
    remember_return_address()
    return redirect(url_for("accounts.reauthenticate"))


def register_session_hooks(app: Flask) -> None:
    """Attach the session checks."""
    app.before_request(enforce_session_limits)
