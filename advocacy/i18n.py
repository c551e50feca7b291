"""Translations: the member's language, else the browser's, else English."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_login import current_user

from advocacy.extensions import babel


def select_locale() -> str:
    """Pick the locale for this request."""
    locales = current_app.config["SUPPORTED_LOCALES"]
    chosen = getattr(current_user, "locale", None)
    if chosen in locales:
        return chosen
    return request.accept_languages.best_match(locales) or "en"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel; any catalogue under advocacy/translations becomes selectable."""
    babel.init_app(app, locale_selector=select_locale)
    with app.app_context():
        found = {str(locale) for locale in babel.list_translations()}
    app.config["SUPPORTED_LOCALES"] = sorted({"en", *found})
