"""The CSRF token pages give their forms, signed at most once a minute per session.

Every signed-in page has a sign-out form (a POST, DESIGN §3), so every page needs a
token. Flask-WTF's `generate_csrf` signs one for each request (itsdangerous: the
session's secret and the time, HMAC-SHA1), about 60 µs a page (issue 17, item 2).
`page_token` reuses the token it signed for the same session's secret less than
REUSE_FOR_SECONDS ago: the same session's token, checked by the same rule (Flask-WTF's
validate_csrf: the session's secret, WTF_CSRF_TIME_LIMIT from its signing), only up to a
minute older when shown. Nothing is written to the session beyond what Flask-WTF keeps
there anyway (its secret, once per session), so it costs no cookie.

The tokens are kept in this process only, per app, keyed by the session's secret (which
signing in or out replaces), at most KEPT_AT_MOST of them.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app, g, session
from flask_wtf.csrf import generate_csrf

REUSE_FOR_SECONDS = 60
KEPT_AT_MOST = 4096
EXTENSION = "advocacy.csrf_tokens"


class Kept(dict):
    """Session secret -> (signed at, Unix seconds; the signed token)."""

    def __init__(self) -> None:
        super().__init__()
        self.pruning = threading.Lock()

    def keep(self, secret: str, token: str, now: float) -> None:
        """Keep a token; when full, drop those too old to be reused (all, if none is)."""
        if len(self) >= KEPT_AT_MOST:
            with self.pruning:
                old = [k for k, (at, _) in list(self.items()) if now - at >= REUSE_FOR_SECONDS]
                for key in old or list(self):
                    self.pop(key, None)
        self[secret] = (now, token)


def kept(app: Flask) -> Kept:
    """The tokens this app keeps."""
    return app.extensions[EXTENSION]


def page_token() -> str:
    """Return this session's CSRF token for a form on this page (Jinja's `csrf_token()`):
    the request's own if it has one, else one signed less than a minute ago, else a new
    one (Flask-WTF's generate_csrf, which also keeps the session's secret)."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    request_globals = g._get_current_object()  # once: a page may ask for it on every row
    token = getattr(request_globals, field, None)
    if token is not None:
        return token
    store = kept(current_app)
    now = time.time()
    secret = session.get(field)
    found = store.get(secret) if isinstance(secret, str) else None
    if found is not None and 0 <= now - found[0] < REUSE_FOR_SECONDS:
        # Flask-WTF's own place: forms on the page use it too.
        setattr(request_globals, field, found[1])
        return found[1]
    token = generate_csrf()
    store.keep(session[field], token, now)
    return token


def register_page_token(app: Flask) -> None:
    """Give templates `csrf_token()` from here, in place of Flask-WTF's (CSRFProtect.init_app
    sets it as a global and in a context processor: this one runs after it, and wins)."""
    app.extensions[EXTENSION] = Kept()
    app.jinja_env.globals["csrf_token"] = page_token
    app.context_processor(lambda: {"csrf_token": page_token})
