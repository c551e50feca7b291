"""Moderation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from advocacy.moderation.services import NOTE_MAX

CHOOSE = _l("Please choose a decision.")


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Your decision"),
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


class ReportDecisionForm(FlaskForm):
    decision = RadioField(
        _l("Your decision"),
        choices=[
            SelectChoice("keep", _l("Keep it published")),
            SelectChoice("remove", _l("Take it down")),
        ],
        validators=[InputRequired(CHOOSE)],
    )
    note = TextAreaField(
        _l("Note to the author (needed when taking it down)"),
        validators=[Length(max=NOTE_MAX)],
        render_kw={"rows": 4, "maxlength": NOTE_MAX},
    )
