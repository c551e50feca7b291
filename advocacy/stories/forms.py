"""Story forms. Labels use lazy_gettext so they follow the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from advocacy.fields import CalendarDateField, PageForm, without_bidi_controls
from advocacy.stories.reports import REPORT_CATEGORIES, REPORT_NOTE_MAX
from advocacy.stories.services import BODY_MAX, TITLE_MAX, WARNING_NOTE_MAX, WARNINGS

REQUIRED = _l("Please fill this in.")
AUDIENCES = [
    SelectChoice("members", _l("Members only: people signed in here")),
    SelectChoice("public", _l("Everyone, including visitors who are not signed in")),
]
BYLINES = [
    SelectChoice("pseudonym", _l("My pseudonym")),
    SelectChoice("anonymous", _l("“Anonymous”")),
]


class CheckboxList(SelectMultipleField):
    """Several checkboxes; an unknown value is refused by the service as well."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def warning_choices() -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in WARNINGS.items()]


class SharingFields:
    """Who may read the story, the byline and an optional unpublish date."""

    audience = RadioField(
        _l("Who can read it"),
        choices=AUDIENCES,
        default="members",
        validators=[InputRequired(_l("Please choose who can read your story."))],
    )
    byline = RadioField(
        _l("Sign it with"),
        choices=BYLINES,
        default="pseudonym",
        validators=[InputRequired(_l("Please choose how to sign your story."))],
    )
    unpublish_on = CalendarDateField(
        _l("Take it down on this date (optional)"),
        validators=[Optional()],
        format="%Y-%m-%d",
    )


class StoryForm(SharingFields, PageForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(REQUIRED), Length(max=TITLE_MAX)],
        filters=[without_bidi_controls],
    )
    body = TextAreaField(
        _l("Your story"),
        validators=[
            DataRequired(REQUIRED),
            Length(
                max=BODY_MAX,
                message=lazy_ngettext(
                    "Please keep your story under %(max)d character.",
                    "Please keep your story under %(max)d characters.",
                    BODY_MAX,
                    max=BODY_MAX,
                ),
            ),
        ],
        render_kw={"rows": 14, "maxlength": BODY_MAX},
    )
    warnings = CheckboxList(_l("Content warnings"), choices=warning_choices, validate_choice=True)
    warning_note = StringField(
        _l("Other content warnings (optional)"),
        validators=[Length(max=WARNING_NOTE_MAX)],
        filters=[without_bidi_controls],
    )
    # Set only when the author has seen the identity check's findings and ticks the box.
    findings_seen = HiddenField()
    confirm_findings = BooleanField(_l("I have checked these, and they are safe to share"))


class SharingForm(SharingFields, PageForm):
    """A published story's sharing choices, shown on its edit page below the story's form."""

    id_prefix = "sharing"


class WithdrawForm(PageForm):
    confirm = BooleanField(
        _l("Yes, delete this story for good"),
        validators=[DataRequired(_l("Please tick the box to confirm."))],
    )


class ReportForm(PageForm):
    category = RadioField(
        _l("What should a mentor look at?"),
        choices=[SelectChoice(key, label) for key, label in REPORT_CATEGORIES.items()],
        validators=[InputRequired(_l("Please choose what a mentor should look at."))],
    )
    note = TextAreaField(
        _l("Anything a mentor should know (needed for “Something else”)"),
        validators=[Length(max=REPORT_NOTE_MAX)],
        render_kw={"rows": 4, "maxlength": REPORT_NOTE_MAX},
    )


class HiddenWarningsForm(PageForm):
    hidden = CheckboxList(
        _l("Always hide stories that mention"), choices=warning_choices, validate_choice=True
    )
