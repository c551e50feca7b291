"""Account forms. Labels use lazy_gettext so they follow the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import Input, PasswordInput

from advocacy.accounts.invites import INVITABLE_ROLES
from advocacy.accounts.models import Role
from advocacy.accounts.policy import PASSWORD_MAX, PASSWORDS_DIFFER, PSEUDONYM_MAX
from advocacy.fields import PageForm, WholeNumberField, valid_timezone, zone_named

# Length caps here only bound the input; the real rules live in accounts/policy.py.
PASSWORD_FIELD_MAX = PASSWORD_MAX * 4
REQUIRED = _l("Please fill this in.")
ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.MENTOR: _l("Mentor"),
    Role.STAFF: _l("Staff"),
    Role.ADMIN: _l("Admin"),
}


def required(needed: bool) -> list:
    """Return the required-field check, unless a service judges the empty value itself."""
    return [DataRequired(REQUIRED)] if needed else []


def pseudonym_field(label=None, *, needed: bool = True) -> StringField:
    return StringField(
        label or _l("Pseudonym"),
        validators=[*required(needed), Length(max=PSEUDONYM_MAX * 4)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


class NewPasswordInput(PasswordInput):
    """Never echo what was typed, but show a passphrase the server suggests (value=...)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("value", "")
        return Input.__call__(self, field, **kwargs)


def new_password_field(label, *, needed: bool = True) -> PasswordField:
    return PasswordField(
        label,
        validators=[*required(needed), Length(max=PASSWORD_FIELD_MAX)],
        widget=NewPasswordInput(),
        render_kw={"autocomplete": "new-password"},
    )


def current_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("Password"),
        validators=[DataRequired(REQUIRED), Length(max=PASSWORD_FIELD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


def code_field(label, autocomplete: str = "off") -> StringField:
    return StringField(
        label,
        validators=[DataRequired(REQUIRED), Length(max=64)],
        render_kw={
            "autocomplete": autocomplete,
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )


def confirm_field(*, checked_here: bool = True) -> PasswordField:
    validators = [DataRequired(REQUIRED), EqualTo("password", PASSWORDS_DIFFER)]
    return PasswordField(
        _l("Password again"),
        validators=validators if checked_here else [Length(max=PASSWORD_FIELD_MAX)],
        widget=NewPasswordInput(),
        render_kw={"autocomplete": "new-password"},
    )


class JoinForm(PageForm):
    """Only bounds here: joining.register_account judges every field at once."""

    invite_code = StringField(
        _l("Invite code"),
        validators=[Length(max=64)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    pseudonym = pseudonym_field(needed=False)
    password = new_password_field(_l("Password"), needed=False)
    password_confirm = confirm_field(checked_here=False)


class LoginForm(PageForm):
    pseudonym = pseudonym_field()
    password = current_password_field()
    # Offered only when a limit refused the sign-in: a recovery code lets the owner past it.
    recovery_code = StringField(
        _l("Recovery code"),
        validators=[Optional(), Length(max=64)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class SecondFactorForm(PageForm):
    code = code_field(_l("6-digit code from your app"), autocomplete="one-time-code")


# The recovery-code form shares the code step's page: its own prefix keeps ids unique.
LOST_PHONE_PREFIX = "lost"


class RecoveryCodeForm(PageForm):
    """A recovery code in place of the authenticator app, at the second-factor step."""

    recovery_code = code_field(_l("Recovery code"))


class ConfirmCodesForm(PageForm):
    kept = BooleanField(_l("I have saved these codes somewhere safe"))


class RecoverForm(PageForm):
    pseudonym = pseudonym_field()
    code = code_field(_l("Recovery code or reset code"))
    password = new_password_field(_l("New password"))
    password_confirm = confirm_field()


class ReauthenticateForm(PageForm):
    password = current_password_field()


class PasswordCheckForm(PageForm):
    """Any action that asks for the password again (export, delete, new codes). The account
    page shows two: each is given its own `id_prefix` (CODES_PREFIX, TWO_FACTOR_OFF_PREFIX)."""

    password = current_password_field(_l("Your password"))


CODES_PREFIX = "codes"
TWO_FACTOR_OFF_PREFIX = "two-factor-off"


class StaffResetsForm(PageForm):
    """The member's choice that only their own recovery codes may reset the account."""

    id_prefix = "staff-resets"  # beside the account page's other password fields

    refuses = BooleanField(_l("Only my own recovery codes can reset my account"))
    password = current_password_field(_l("Your password"))


class PseudonymForm(PageForm):
    """A new name signs the member in differently: only with the password (ASVS 7.5.1)."""

    id_prefix = "rename"  # beside the account page's other password fields

    pseudonym = pseudonym_field(_l("New pseudonym"))
    password = current_password_field(_l("Your password"))


class ChangePasswordForm(PageForm):
    current_password = current_password_field(_l("Current password"))
    password = new_password_field(_l("New password"))
    password_confirm = confirm_field()


class PreferencesForm(PageForm):
    is_discreet = BooleanField(_l("Discreet mode: neutral tab titles and calendar entries"))
    locale = SelectField(_l("Language"), choices=[], validate_choice=True)
    timezone = StringField(
        _l("Time zone (optional)"),
        filters=[zone_named],
        validators=[Optional(), valid_timezone],
        render_kw={"list": "timezones", "autocomplete": "off", "spellcheck": "false"},
    )
    # Shown to mentors and admins only (the page leaves it out for everyone else).
    opens_stories_in_review = BooleanField(_l("Open stories at once on the review page"))


# The eligible member's answer about becoming a peer mentor (accounts/mentoring.py).
MENTORING_ANSWERS = {"interested": True, "not_now": False}


class MentoringForm(PageForm):
    # Sent by the "I'm interested" or "Not now" button; anything else is refused.
    answer = SelectField(
        choices=[
            SelectChoice("interested", _l("I'm interested")),
            SelectChoice("not_now", _l("Not now")),
        ],
        validators=[InputRequired(_l("Please choose one of the two answers."))],
    )


class InviteForm(PageForm):
    role = SelectField(_l("Role"), choices=[])
    uses = WholeNumberField(
        _l("How many people can use it"),
        default=1,
        validators=[InputRequired(REQUIRED), NumberRange(1, 500, _l("Choose from 1 to 500."))],
    )
    days = WholeNumberField(
        _l("Days until it expires"),
        default=14,
        validators=[InputRequired(REQUIRED), NumberRange(1, 90, _l("Choose from 1 to 90 days."))],
    )

    def set_role_choices(self, inviter_role: str) -> None:
        """Offer only the roles the inviter may give."""
        self.role.choices = [
            SelectChoice(role.value, ROLE_LABELS[role])
            for role in INVITABLE_ROLES.get(inviter_role, ())
        ]
