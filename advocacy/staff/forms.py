"""Staff and admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from advocacy.accounts.forms import ROLE_LABELS


class ResetCodeForm(FlaskForm):
    pseudonym = StringField(
        _l("Pseudonym of the member"),
        validators=[DataRequired(_l("Please fill this in.")), Length(max=120)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
    )
