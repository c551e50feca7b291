"""Values every template can use."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import get_locale


def template_globals() -> dict:
    """Return the site name and the page language."""
    return {
        "site_name": current_app.config["SITE_NAME"],
        "current_locale": str(get_locale() or "en"),
    }


def register_template_context(app: Flask) -> None:
    """Attach the context processor and keep the rendered HTML small."""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(template_globals)
