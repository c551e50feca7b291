"""Values every template can use."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from babel import numbers
from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import gettext
from flask_login import current_user

from advocacy import clock, i18n, zones
from advocacy.sanitize import render_markdown

# "es:" before an entry's name: the language of a crisis line (a code, then the name).
LANGUAGE_TAG = re.compile(r"([a-z]{2,3}):(?=[^|]*\|)")


def template_globals() -> dict:
    """Return the site name, the page language and whether discreet mode is on."""
    return {
        "site_name": current_app.config["SITE_NAME"],
        "current_locale": i18n.locale_name(),
        "discreet": bool(getattr(current_user, "is_discreet", False)),
        "discreet_title": discreet_title(),
    }


def discreet_title() -> str:
    """The neutral title of discreet mode: ADVOCACY_DISCREET_TITLE when set, else "Notes"
    in the language of the page (a Spanish reader's tab says "Notas")."""
    return current_app.config["DISCREET_TITLE"] or gettext("Notes")


def this_page() -> str:
    """The path (and query) of the page being shown: where the language form comes back to."""
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


def number(value: int) -> str:
    """A whole number as the page's language writes it (CLDR: "12,000"; "12.000" in es)."""
    return numbers.format_decimal(value, locale=i18n.locale_name())


def site_url(endpoint: str, **values) -> str:
    """Return the absolute address of an endpoint, on BASE_URL (ADVOCACY_BASE_URL).

    For links given to other people: never built from the request's Host header.
    """
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def local_day(instant: datetime, form: str = "date") -> str:
    """Say the day an instant falls on in the viewer's time zone (clock.zone_of: their own
    choice, else the site's) in the page's language, as i18n.say_date's `form`: "27
    November 2026". A story published at 21:00 on the 27th in New York reads the 27th
    there, not UTC's 28th."""
    return i18n.say_date(clock.local_date(instant, clock.zone_of(current_user)), form)


def local_time(instant: datetime) -> str:
    """Say when an instant was in the viewer's time zone (as local_day), naming it:
    "27 November 2026, 8:00 PM EST" ("27 de noviembre de 2026, 20:00 EST")."""
    local = instant.astimezone(clock.zone_of(current_user))
    hour = i18n.format_hour(local.time(), "short", i18n.locale_name())
    return f"{i18n.say_date(local.date())}, {hour} {local.tzname()}"


def crisis_lines() -> list[list[str]]:
    """The crisis lines configured today for the page's language, as [name, what to do,
    link]: CRISIS_LINES entries "name|what to do|link" (for every language) and those with
    the page's language before them ("es:name|what to do|link"); where no entry names the
    page's language, the English ones ("en:") instead, so that a page never lacks a line.
    An entry without all three parts is left out."""
    every, by_language = [], {}
    for entry in current_app.config["CRISIS_LINES"]:
        tagged = LANGUAGE_TAG.match(entry)
        parts = entry[tagged.end() if tagged else 0 :].split("|", 2)
        if len(parts) == 3:
            (by_language.setdefault(tagged[1], []) if tagged else every).append(parts)
    language = i18n.locale_name()
    return every + by_language.get(language if language in by_language else "en", [])


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
ADDRESSES = "advocacy.addresses"  # in app.extensions: {(SCRIPT_NAME, endpoint, *values): path}
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
    built: dict[tuple, str] = app.extensions.setdefault(ADDRESSES, {})

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
    app.add_template_filter(i18n.say_date)
    app.add_template_filter(number)
    app.add_template_global(crisis_lines)
    app.add_template_global(zones.choices_for, name="zone_choices")
    app.add_template_global(this_page)
    app.add_template_global(i18n.other_languages)
    app.add_template_filter(markdown)
    if not any(app.url_default_functions.values()):
        app.jinja_env.globals["url_for"] = kept_url_for(app)
