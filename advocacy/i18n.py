"""Translations: the member's language, else the one chosen in this browser, else the
browser's, else English.

Languages are the catalogues present under advocacy/translations (init_app): a third
language needs only its catalogue. A choice is kept on the account for members and in
the session for visitors (`choose_language`), nothing else.

Looked up once per request and language (issue 17, item 2): Flask-Babel finds the
request's Translations through four or five lookups in `g` on every string (36-63 a
page); `RequestDomain` keeps the one it found for the rest of the request, and the
templates' gettext functions go straight to it. Dates and hours are formatted once per
value, pattern and language (`format_day`, `format_hour`): Babel parses the locale and
the pattern on every call, and a list repeats the same few days and hours.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from functools import lru_cache, wraps
from typing import TypeVar

from babel import Locale, dates
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, request, session
from flask_babel import Domain, LazyString, force_locale, get_locale, ngettext, refresh
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from advocacy.extensions import babel

KEY = "advocacy_translations"  # in flask.g: (Babel's locale object, its Translations, name)
CACHE = "advocacy.translations"  # in app.extensions: the catalogues this app loaded
SESSION_KEY = "locale"  # a visitor's chosen language, in the session (signed cookie)
FORMATTED_AT_MOST = 4096  # days × hours × patterns × languages a site shows at once
SAID = "advocacy_said"  # on a Translations object: what templates' `_("…")` showed
SAID_AT_MOST = 4096  # strings kept per catalogue (templates hold some hundreds)
K = TypeVar("K")


def select_locale() -> str:
    """Pick the locale for this request: the account's language, else the one chosen in
    this session, else the best of the browser's Accept-Language, else English."""
    locales = current_app.config["SUPPORTED_LOCALES"]
    for chosen in (getattr(current_user, "locale", None), session.get(SESSION_KEY)):
        if chosen in locales:
            return chosen
    return request.accept_languages.best_match(locales) or "en"


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """A language's name in itself, as CLDR writes it, capitalised: "English", "Español"."""
    name = Locale.parse(code).get_display_name(code)
    return name[:1].upper() + name[1:]


def other_languages() -> list[tuple[str, str]]:
    """(code, name in itself) of every language the site has, but the page's own."""
    shown = locale_name()
    return [
        (code, language_name(code))
        for code in current_app.config["SUPPORTED_LOCALES"]
        if code != shown
    ]


def choose_language(code: str) -> None:
    """Read the site in `code` from now on: on the account for a member, in the session
    for a visitor; the rest of this request is in it too. ValueError for a language the
    site has no catalogue for (SUPPORTED_LOCALES). The caller commits."""
    if code not in current_app.config["SUPPORTED_LOCALES"]:
        raise ValueError(f"no catalogue for the language {code!r}")
    if current_user.is_authenticated:
        current_user.locale = code
    else:
        session[SESSION_KEY] = code
    refresh()


def visitors_choice() -> str | None:
    """The language this browser's visitor chose with the language button (the session),
    while the site still offers it; None when they chose none. Joining keeps it."""
    code = session.get(SESSION_KEY)
    return code if code in current_app.config["SUPPORTED_LOCALES"] else None


def command_locale() -> str:
    """The language a command (`flask …`) speaks: that of the staff member's terminal, as
    POSIX says (the first set of LC_ALL, LC_MESSAGES, LANG: "es_US.UTF-8" is "es"), when
    the site has its catalogue; else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            code = os.environ[name].split(".")[0].split("@")[0].split("_")[0]
            return code if code in current_app.config["SUPPORTED_LOCALES"] else "en"
    return "en"


def in_command_language(command: Callable) -> Callable:
    """Run a command (inside its app context) in command_locale()."""

    @wraps(command)
    def run(*args, **kwargs):
        with force_locale(command_locale()):
            return command(*args, **kwargs)

    return run


class RequestDomain(Domain):
    """Flask-Babel's message domain, whose Translations are looked up once per request.

    Kept in `g` beside the locale they are for: flask_babel.refresh() (a language changed
    mid-request) gives a new locale object, and they are looked up again.
    """

    def get_translations_cache(self, _ctx) -> dict:
        """Each app's own loaded catalogues (Flask-Babel keeps one cache per domain, and this
        domain serves every app of the process: tests make apps with other catalogues)."""
        return current_app.extensions.setdefault(CACHE, {})

    def get_translations(self) -> NullTranslations:
        if not has_app_context():  # Flask-Babel's own answer (no translation)
            return super().get_translations()
        kept_in = g._get_current_object().__dict__  # once, not through the proxy each time
        kept = kept_in.get(KEY)
        babel_context = kept_in.get("_flask_babel")  # flask_babel keeps the locale there
        if kept is not None and kept[0] is getattr(babel_context, "babel_locale", None):
            return kept[1]
        translations = super().get_translations()
        locale = get_locale()
        setattr(g, KEY, (locale, translations, str(locale or "en")))
        return translations


DOMAIN = RequestDomain()


def locale_name() -> str:
    """The request's language as Babel names it ("en", "es"), found once per request."""
    DOMAIN.get_translations()
    return g.get(KEY)[2]


def said(labels: Mapping[K, object]) -> dict[K, str]:
    """Labels (lazy_gettext: {"en": "English", ...}) as text in the request's language,
    each translated once for the page, not once for every row that shows it."""
    return {key: str(label) for key, label in labels.items()}


def days(count: int) -> str:
    """A number of days in words of the request's language ("1 day", "30 days"), for a
    sentence that holds more than one number (each its own plural)."""
    return ngettext("%(num)s day", "%(num)s days", count)


@lru_cache(maxsize=FORMATTED_AT_MOST)
def _day(day: date, pattern: str, locale: str) -> str:
    return dates.format_date(day, pattern, locale=locale)


@lru_cache(maxsize=FORMATTED_AT_MOST)
def _skeleton(day: date, skeleton: str, locale: str) -> str:
    return dates.format_skeleton(skeleton, day, locale=locale)


# The kinds of day the site writes: English keeps the site's own pattern (day before month,
# as it always wrote them); any other language gets CLDR's own wording of the same kind, a
# format name or a skeleton ("domingo, 29 de noviembre de 2026", "noviembre de 2026").
DAY_FORMS = {
    "weekday and date": ("EEEE, d MMMM y", "full"),  # Sunday, 29 November 2026
    "date": ("d MMMM y", "long"),  # 29 November 2026
    "weekday and day": ("EEEE d MMM", "MMMMEEEEd"),  # Sunday 29 Nov
    "month": ("LLLL y", "yMMMM"),  # November 2026
}
FORMAT_NAMES = {"full", "long", "medium", "short"}


def say_day(day: date, form: str, locale: str) -> str:
    """A day (a datetime gives its own date) as the site writes it in a Babel `locale`:
    `form` is a key of DAY_FORMS. KeyError for another form."""
    english, other = DAY_FORMS[form]
    if locale == "en":
        return format_day(day, english, locale)
    if other in FORMAT_NAMES:
        return format_day(day, other, locale)
    return _skeleton(day.date() if isinstance(day, datetime) else day, other, locale)


def say_date(day: date, form: str = "date") -> str:
    """A day as the site writes it (say_day, `form` a key of DAY_FORMS) in the request's
    language: "29 November 2026", "29 de noviembre de 2026". Every date a page shows goes
    through here or say_day, never ISO 8601 nor "November 29, 2026" (those are for machines:
    `<time datetime>`, form values, exports). KeyError for another form."""
    return say_day(day, form, locale_name())


@lru_cache(maxsize=FORMATTED_AT_MOST)
def _hour(moment: time, pattern: str, locale: str) -> str:
    return dates.format_time(moment, pattern, locale=locale)


def format_day(day: date, pattern: str, locale: str) -> str:
    """Babel's format_date of a day (a datetime gives its own date), in a CLDR `pattern`
    ("full", "EEEE, d MMMM y") and a Babel `locale` name; each once per process."""
    return _day(day.date() if isinstance(day, datetime) else day, pattern, locale)


def format_hour(moment: time, pattern: str, locale: str) -> str:
    """Babel's format_time of a wall-clock time (naive: a zone is said apart), in a CLDR
    `pattern` ("short") and a Babel `locale` name; each once per process. ValueError for
    a time with a zone, whose text the cache could confuse with another zone's."""
    if moment.tzinfo is not None:
        raise ValueError("format_hour takes a wall-clock time without a zone")
    return _hour(moment, pattern, locale)


def forget_formatted() -> None:
    """Empty the formatted days and hours (they are formed anew when next asked for)."""
    _day.cache_clear()
    _skeleton.cache_clear()
    _hour.cache_clear()


def _shown(eval_context: EvalContext, translated: str, variables: Mapping[str, object]) -> str:
    """A translation as Jinja's newstyle gettext shows it (jinja2.ext): Markup under
    autoescape (the words are trusted; each value is escaped as it goes in), and always
    %-formatted, so "100%%" reads "100%" with or without values."""
    if eval_context.autoescape:
        translated = Markup(translated)  # noqa: S704 (the words: a catalogue's, no one's input)
    return translated % variables


@pass_eval_context
def template_gettext(eval_context: EvalContext, string: str, /, **variables: object) -> str:
    """Templates' `_()` and `gettext()`, as Jinja's newstyle gettext: the request's
    translation of `string`, shown by _shown. Its answer for a string given no values is
    the same every time for a catalogue, so it is kept on the Translations object (which
    Flask-Babel keeps for the process): once per catalogue, string and autoescape, at
    most SAID_AT_MOST of them.

    It takes only the evaluation context, never the template's: Jinja gives a function
    that takes the context a copy of it (Context.derived, every variable of the page) on
    each call inside a loop or block with variables of its own (issue 17)."""
    translations = DOMAIN.get_translations()
    if variables:
        return _shown(eval_context, translations.ugettext(string), variables)
    said = translations.__dict__.setdefault(SAID, {})
    key = (string, eval_context.autoescape)
    shown = said.get(key)
    if shown is None:
        shown = _shown(eval_context, translations.ugettext(string), variables)
        if len(said) < SAID_AT_MOST:
            said[key] = shown
    return shown


@pass_eval_context
def template_ngettext(
    eval_context: EvalContext, singular: str, plural: str, num: int, /, **variables: object
) -> str:
    """Templates' `ngettext()`, as Jinja's newstyle one: the form of the request's language
    for `num` (CLDR plural rules, through the catalogue), with `num` among the values,
    shown by _shown; like template_gettext, given only the evaluation context."""
    variables.setdefault("num", num)
    translated = DOMAIN.get_translations().ungettext(singular, plural, num)
    return _shown(eval_context, translated, variables)


def lazy_string_html(lazy: LazyString) -> Markup:
    """A lazy string (`_l`, lazy_ngettext) shown in a template: its words as written, the
    values put into it escaped (ASVS 5.0 1.2.1: encode for the context on output).

    Flask-Babel's own `__html__` returns the whole string as safe HTML, so a pseudonym in
    `_l("Make %(name)s a mentor?", name=...)` reached the page unescaped. The words come
    from this code and its catalogues and hold no markup (tests/test_lazy_strings.py
    reads every one); only the values are someone's text.
    """
    values = {
        name: escape(value) if isinstance(value, str | LazyString) else value
        for name, value in lazy._kwargs.items()
    }
    return Markup(lazy._func(*lazy._args, **values))  # noqa: S704 (the words: no markup)


LazyString.__html__ = lazy_string_html  # every lazy string, wherever it was made


def init_app(app: Flask) -> None:
    """Bind Flask-Babel; any catalogue under advocacy/translations becomes selectable."""
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = DOMAIN  # in place of Flask-Babel's (a cached property)
    translations = DOMAIN.get_translations
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # Ours in place of Jinja's `_`, `gettext` and `ngettext` (the same answers, kept, and
    # without a copy of the context per call: template_gettext).
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext, ngettext=template_ngettext
    )
    with app.app_context():
        found = {str(locale) for locale in babel.list_translations()}
    app.config["SUPPORTED_LOCALES"] = sorted({"en", *found})
