"""Error pages in the site layout, in calm words, never a traceback.

Rendering an error page can itself fail (a template error; the database gone while a
context processor or the account loader runs): then `calm_page` sends STATIC_PAGE, built
from nothing but constants, with the original status. The safety headers and
`Cache-Control: no-store` come from `security.set_security_headers`, which runs on it as
on any response.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    ServiceUnavailable,
    TooManyRequests,
)

from advocacy.extensions import db, limiter
from advocacy.security import is_for_visitors, signed_in_already

MESSAGES = {
    400: (
        _l("Something in that request didn't work"),
        _l("Please go back, reload the page and try again."),
    ),
    403: (
        _l("This page isn't available to you"),
        _l(
            "Your account doesn't have access to this page. If you think it should, "
            "ask a staff member."
        ),
    ),
    404: (
        _l("We couldn't find that page"),
        _l(
            "It may have moved or been removed. You can go back, or start again from the home page."
        ),
    ),
    405: (
        _l("That didn't work"),
        _l("This page can't be used that way. Please go back and try again."),
    ),
    413: (
        _l("That was more than we can take"),
        _l("What you sent is too large. Please shorten it and try again."),
    ),
    429: (
        _l("Please wait a moment"),
        _l(
            "There have been many attempts in a short time. Please wait a few minutes "
            "and try again."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("It isn't anything you did. Please try again in a moment."),
    ),
    503: (
        _l("We're briefly unavailable"),
        _l("The site can't reach its data right now. Please try again in a few minutes."),
    ),
}


# English only: choosing a language reads the signed-in account, which may be what failed.
# No site name either (discreet mode cannot be known); the stylesheet and quick exit are
# at fixed addresses, since the __Host- session cookie means the site is served from /.
STATIC_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Please try again</title>
<link rel="stylesheet" href="/static/css/site.css">
</head>
<body>
<div class="exit-bar"><a class="quick-exit" href="/exit" rel="noreferrer">Quick exit</a></div>
<main id="main">
<h1>This page can't be shown right now</h1>
<p>It isn't anything you did. Please go back, or try again in a few minutes.</p>
<p><a href="/">Go to the home page</a></p>
</main>
</body>
</html>
"""


def calm_page(title: str, message: str, code: int) -> tuple[str | Response, int]:
    """Render errors/error.html with title and message, answering `code`.

    If rendering raises anything, log only the exception's class and answer STATIC_PAGE
    with the same code instead: an error page must never fail into a bare server error.
    """
    try:
        page = render_template("errors/error.html", title=title, message=message, code=code)
    except Exception as failure:  # noqa: BLE001 - whatever broke, the visitor gets a calm page
        current_app.logger.error("error page not rendered: %s", failure.__class__.__name__)
        return Response(STATIC_PAGE, mimetype="text/html"), code
    return page, code


def render_error(code: int) -> tuple[str | Response, int]:
    """Render the calm page for an HTTP error code."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    return calm_page(title, message, code)


def wait_in_words(retry_at: float) -> str:
    """Say when to try again: retry_at is when the fullest window ends (epoch seconds)."""
    minutes = max(1, math.ceil((retry_at - time.time()) / 60))
    if minutes <= 90:
        return ngettext(
            "Please try again in about %(num)s minute.",
            "Please try again in about %(num)s minutes.",
            minutes,
        )
    return ngettext(
        "Please try again in about %(num)s hour.",
        "Please try again in about %(num)s hours.",
        math.ceil(minutes / 60),
    )


def route_limit_wait() -> str | None:
    """Say how long a route's own limit (@limiter.limit) refuses this request, if one did."""
    breached = limiter.current_limit
    if breached is None or not breached.breached:
        return None
    return wait_in_words(breached.window[0])


def handle_http_error(error: HTTPException) -> tuple[str | Response, int]:
    """Turn any HTTP error into our page (a limit says how long to wait)."""
    code = error.code or 500
    message = getattr(error, "wait_message", None)
    if code == TooManyRequests.code and not message:
        message = route_limit_wait()
    if code == TooManyRequests.code and message:
        return calm_page(MESSAGES[code][0], message, code)
    return render_error(code if code in MESSAGES else 500)


def handle_csrf_error(_error: CSRFError) -> tuple[str | Response, int] | Response:
    """An expired or missing form token: ask to reload, change nothing. A join or sign-in
    form sent again by someone it already signed in: home, saying so (visitors_only)."""
    if current_user.is_authenticated and is_for_visitors(request.endpoint):
        return signed_in_already()
    title = _l("This form had expired")
    message = _l(
        "For your safety, forms stop working after a while. Please go back, "
        "reload the page and try again."
    )
    return calm_page(title, message, 400)


def handle_database_unavailable(error: OperationalError) -> tuple[str | Response, int]:
    """The database cannot be reached: a plain 503 instead of a crash."""
    # Engine parameters are hidden, so the message holds no user data.
    current_app.logger.error("database unavailable: %s", error.orig.__class__.__name__)
    db.session.rollback()
    return render_error(ServiceUnavailable.code)


def register_error_handlers(app: Flask) -> None:
    """Attach the handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InternalServerError, handle_http_error)
