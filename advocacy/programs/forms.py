"""Program forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from advocacy.fields import (
    CalendarDateField,
    ClockTimeField,
    PageForm,
    WholeNumberField,
    valid_timezone,
    without_bidi_controls,
    zone_named,
)
from advocacy.programs.models import ProgramKind, ProgramStatus

REQUIRED = _l("Please fill this in.")
KIND_LABELS = {ProgramKind.HEALING: _l("Healing"), ProgramKind.LEADERSHIP: _l("Leadership")}
STATUS_LABELS = {
    ProgramStatus.DRAFT: _l("Draft (only staff see it)"),
    ProgramStatus.OPEN: _l("Open"),
    ProgramStatus.CLOSED: _l("Closed to new requests"),
    ProgramStatus.COMPLETED: _l("Ended"),
    ProgramStatus.CANCELLED: _l("Cancelled"),
}


def date_field(label) -> CalendarDateField:
    return CalendarDateField(label, validators=[InputRequired(_l("Please choose a date."))])


class ProgramForm(PageForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        filters=[without_bidi_controls],
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()]
    )
    summary = StringField(
        _l("Summary"),
        validators=[DataRequired(REQUIRED), Length(max=300)],
        filters=[without_bidi_controls],
    )
    description = TextAreaField(_l("Description (optional)"), validators=[Length(max=6000)])
    capacity = WholeNumberField(
        _l("Places"),
        validators=[InputRequired(REQUIRED), NumberRange(1, 500, _l("Choose from 1 to 500."))],
    )
    enrollment_opens_on = date_field(_l("Requests open on"))
    enrollment_closes_on = date_field(_l("Requests close on"))
    starts_on = date_field(_l("Program starts on"))
    ends_on = date_field(_l("Program ends on"))
    needs_approval = BooleanField(_l("Staff approve each request"))
    status = SelectField(
        _l("Status"), choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()]
    )


class DecisionForm(PageForm):
    note = TextAreaField(
        _l("Note to the member (optional)"),
        validators=[Length(max=500)],
    )


class VerifyForm(PageForm):
    code = StringField(
        _l("Verification code"),
        validators=[DataRequired(REQUIRED), Length(max=64)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class PastMeetingForm(PageForm):
    """A meeting that already happened (an extra session); who came is read as ids."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        filters=[without_bidi_controls],
    )
    area = StringField(
        _l("Where it was (public area)"),
        validators=[DataRequired(REQUIRED), Length(max=80)],
        filters=[without_bidi_controls],
        description=_l("For example “Brooklyn” or “Online”. Please don't include the address."),
    )
    timezone = StringField(
        _l("Time zone"),
        filters=[zone_named],
        validators=[DataRequired(REQUIRED), valid_timezone],
        render_kw={"list": "timezones", "autocomplete": "off", "spellcheck": "false"},
    )
    day = CalendarDateField(_l("Date"), validators=[InputRequired(_l("Please choose a date."))])
    starts = ClockTimeField(_l("Started"), validators=[DataRequired(_l("Please choose a time."))])
    ends = ClockTimeField(_l("Ended"), validators=[DataRequired(_l("Please choose a time."))])


class SessionForm(PageForm):
    """A session staff write (programs/sessions.py: the bounds)."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        filters=[without_bidi_controls],
    )
    body = TextAreaField(
        _l("The session"),
        validators=[DataRequired(REQUIRED), Length(max=20_000)],
        description=_l(
            "Plain text with a little Markdown: *italic*, **bold**, lists, quotes and links."
        ),
        render_kw={"rows": "14"},
    )
    prompt = TextAreaField(
        _l("Something to think about (optional)"),
        validators=[Length(max=1_000)],
        description=_l("Members read it; there is nowhere to answer it, and nothing is kept."),
    )
    minutes = WholeNumberField(
        _l("About how many minutes it takes (optional)"),
        validators=[
            Optional(),
            NumberRange(1, 240, _l("Choose from 1 to 240, or leave it empty.")),
        ],
    )
