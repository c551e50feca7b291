"""Values every template can use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app, has_request_context, request, url_for
from flask_login import current_user

from advocacy import clock, i18n, zones
from advocacy.sanitize import render_markdown


def template_globals() -> dict:
    """Return the site name, the page language and whether discreet mode is on."""
    return {
        "site_name": current_app.config["SITE_NAME"],
        "current_locale": i18n.locale_name(),
        "discreet": bool(getattr(current_user, "is_discreet", False)),
        "discreet_title": current_app.config["DISCREET_TITLE"],
    }


def site_url(endpoint: str, **values) -> str:
    """Return the absolute address of an endpoint, on BASE_URL (ADVOCACY_BASE_URL).

    For links given to other people: never built from the request's Host header.
    """
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def local_day(instant: datetime) -> str:
    """Say the day an instant falls on in the viewer's time zone (clock.zone_of: their own
    choice, else the site's), as ISO 8601 (2026-11-27): a story published at 21:00 on the
    27th in New York reads the 27th there, not UTC's 28th."""
    return clock.local_date(instant, clock.zone_of(current_user)).isoformat()


def local_time(instant: datetime) -> str:
    """Say when an instant was in the viewer's time zone (as local_day), naming it:
    "2026-11-27 20:00 EST"."""
    return instant.astimezone(clock.zone_of(current_user)).strftime("%Y-%m-%d %H:%M %Z")


def crisis_lines() -> list[list[str]]:
    """The crisis lines configured today (CRISIS_LINES, "name|what to do|link" each), as
    [name, what to do, link]; an entry without all three parts is left out."""
    lines = [line.split("|", 2) for line in current_app.config["CRISIS_LINES"] if line]
    return [parts for parts in lines if len(parts) == 3]


def markdown(text: str | None) -> str:
    """Turn Markdown that staff or members wrote into sanitized HTML, through
    advocacy/sanitize.py (raw HTML off, then the bleach allowlist). Still a plain string:
    it reaches the page only through the one safe sink, story_body in
    templates/stories/_macros.html, as `{{ story_body(text|markdown) }}`."""
    return render_markdown(text or "")


# Addresses a template builds, kept per app (issue 17, item 2): Werkzeug's MapAdapter.build
# costs 3-4 µs a call, and a page asks for the same nav links, static files and rows' links
# on every request. Emptied when full: row links (one per id) come and go.
BUILT_AT_MOST = 8192
PLAIN_VALUES = (str, int)  # exactly these types: True and 1 hash alike, but build unlike


def kept_url_for(app: Flask) -> Callable[..., str]:
    """Return the templates' `url_for` for `app`: Flask's own, each address built once per
    endpoint, values (str or int, in the order given) and SCRIPT_NAME, and kept while it
    is a path on this site (never an external address, whose host the request gives).

    Anything else goes to Flask's url_for every time: no request (external addresses),
    blueprint-relative endpoints (".index"), Flask's own arguments (_external, _anchor,
    _method, _scheme) and values of other types. Only for an app with no url_defaults
    (they may add values per request): register_template_context checks.
    """
    built: dict[tuple, str] = {}

    def template_url_for(endpoint: str, **values: object) -> str:
        if endpoint[:1] == "." or not has_request_context():
            return url_for(endpoint, **values)
        for name, value in values.items():
            if name[:1] == "_" or type(value) not in PLAIN_VALUES:
                return url_for(endpoint, **values)
        key = (request.environ.get("SCRIPT_NAME", ""), endpoint, *values.items())
        address = built.get(key)
        if address is None:
            address = url_for(endpoint, **values)
            if address[:1] == "/" and address[:2] != "//":
                if len(built) >= BUILT_AT_MOST:
                    built.clear()
                built[key] = address
        return address

    return template_url_for


def register_template_context(app: Flask) -> None:
    """Attach the context processor and keep the rendered HTML small; templates build
    addresses through kept_url_for (after every blueprint is registered)."""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(template_globals)
    app.add_template_filter(local_day)
    app.add_template_filter(local_time)
    app.add_template_global(crisis_lines)
    app.add_template_global(zones.choices_for, name="zone_choices")
    app.add_template_filter(markdown)
    if not any(app.url_default_functions.values()):
        app.jinja_env.globals["url_for"] = kept_url_for(app)
