"""Staff and admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from advocacy.accounts.forms import ROLE_LABELS
from advocacy.accounts.standing import POSTING_STOP_DAYS_MAX, POSTING_STOP_DAYS_MIN
from advocacy.fields import PageForm, WholeNumberField


class ResetCodeForm(PageForm):
    pseudonym = StringField(
        _l("Pseudonym of the member"),
        validators=[DataRequired(_l("Please fill this in.")), Length(max=120)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


class RoleForm(PageForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
    )


class ConfirmForm(PageForm):
    """The button of a page that asks before an account action (make a mentor): nothing
    to fill in but the CSRF token."""


class PauseForm(PageForm):
    # Sent by the pause page's button (with confirm=yes) or the list's Resume button;
    # any other action is refused.
    action = SelectField(
        choices=[SelectChoice("pause", _l("Pause")), SelectChoice("resume", _l("Resume"))],
        validators=[InputRequired()],
    )
    confirm = StringField(validators=[Optional(), AnyOf(["yes"])])


class RemoveForm(PageForm):
    pseudonym = StringField(
        _l("Type the pseudonym to confirm"),
        validators=[DataRequired(_l("Please type the pseudonym to confirm.")), Length(max=120)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


class PostingForm(PageForm):
    # Sent by the "Stop posting" or "Let them post again" button.
    action = SelectField(
        choices=[SelectChoice("stop", _l("Stop posting")), SelectChoice("lift", _l("Lift"))],
        validators=[InputRequired(_l("Please choose what to do."))],
    )
    days = WholeNumberField(
        _l("For how many days (1 to 365, needed to stop posting)"),
        validators=[
            Optional(),
            NumberRange(
                POSTING_STOP_DAYS_MIN,
                POSTING_STOP_DAYS_MAX,
                _l("Choose a number of days from 1 to 365."),
            ),
        ],
    )
