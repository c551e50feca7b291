"""The language form every page shows (templates/_language.html)."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField


class LanguageForm(FlaskForm):
    """One button per language (`locale`, a code of SUPPORTED_LOCALES) and the page it
    was pressed on (`next`, a path of this site: security.safe_next_url)."""

    locale = SelectField(choices=[], validate_choice=True)
    next = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = list(current_app.config["SUPPORTED_LOCALES"])
