"""Moderation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from advocacy.fields import PageForm
from advocacy.moderation.services import NOTE_MAX
from advocacy.stories.forms import CheckboxList, warning_choices

CHOOSE = _l("Please choose a decision.")


class DecisionForm(PageForm):
    decision = RadioField(
        _l("What happens to this story"),  # under the heading "Your decision"
        choices=[
            SelectChoice("approve", _l("Approve and publish")),
            SelectChoice("changes", _l("Ask the author for changes")),
            SelectChoice("decline", _l("Decline")),
        ],
        validators=[InputRequired(CHOOSE)],
    )
    note = TextAreaField(
        _l("Note to the author (needed when asking for changes or declining)"),
        validators=[Length(max=NOTE_MAX)],
        render_kw={"rows": 4, "maxlength": NOTE_MAX},
    )
    # The version the mentor read: an edit since then makes the decision stale.
    seen = HiddenField()


class ReportDecisionForm(PageForm):
    decision = RadioField(
        _l("What happens to this story"),  # under the heading "Your decision"
        choices=[
            SelectChoice("keep", _l("Keep it published as it is")),
            SelectChoice("warn", _l("Add a content warning (it stays published)")),
            SelectChoice("changes", _l("Ask the author for changes (it stays as it is meanwhile)")),
            SelectChoice("remove", _l("Take it down")),
        ],
        validators=[InputRequired(CHOOSE)],
    )
    # Read only for "warn"; unknown keys are refused by the service, in calm words.
    warnings = CheckboxList(
        _l("Content warnings to add (when adding a warning)"),
        choices=warning_choices,
        validate_choice=False,
    )
    note = TextAreaField(
        _l("Note to the author: why (needed unless you keep it as it is)"),
        validators=[Length(max=NOTE_MAX)],
        render_kw={"rows": 4, "maxlength": NOTE_MAX},
    )
