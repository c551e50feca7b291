"""Accounts views: quick exit (sign-up and sign-in follow)."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, session
from werkzeug.wrappers import Response

bp = Blueprint("accounts", __name__)

# Tell the browser to drop everything it holds for this site.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


@bp.get("/exit")
def quick_exit() -> Response:
    """End the session here and on the server, and leave for a neutral site."""
    session.clear()
    response = redirect(current_app.config["EXIT_URL"], code=303)
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
