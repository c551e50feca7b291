"""The report form: a range of whole months and, optionally, one program (a GET form)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectChoice, SelectField
from wtforms.validators import InputRequired
from wtforms.widgets import MonthInput

from advocacy.fields import PageForm
from advocacy.programs.models import Program
from advocacy.reports.services import add_months, parse_month

NOT_A_MONTH = _l("Please choose a month from 1900 to 2999, as year-month (like 2026-11).")
# The range shown before anyone chooses: the last six months, this one included.
DEFAULT_MONTHS = 6


class MonthField(Field):
    """A month typed or picked as YYYY-MM (an ISO date's month is taken too), ASCII digits
    only, years 1900 to 2999; `data` is the month's first day, or None with a calm message.

    A month box (type="month") where the browser has one; elsewhere a text box, which
    takes the same YYYY-MM.
    """

    widget = MonthInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%Y-%m") if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = parse_month(valuelist[0])
        if self.data is None:
            raise ValueError(NOT_A_MONTH)

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        """Say only what was wrong with the typing when the month could not be read."""
        if self.process_errors:
            self.errors = list(self.process_errors)


class ReportForm(PageForm):
    """Sent with GET: the report is only read, and its address can be kept or shared."""

    class Meta:
        csrf = False  # a GET that changes nothing, like the events filters

    from_month = MonthField(
        _l("From (month)"), validators=[InputRequired(_l("Please choose a month."))]
    )
    to_month = MonthField(
        _l("To (month, included)"), validators=[InputRequired(_l("Please choose a month."))]
    )
    # Choices are the programs the viewer may report on; anything else is not theirs (404).
    program = SelectField(_l("Program"), validate_choice=False)

    def __init__(self, *args: Any, programs: list[Program], everything: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.program.choices = [SelectChoice("", everything)] + [
            SelectChoice(str(program.id), program.title) for program in programs
        ]

    def set_defaults(self, this_month: date) -> None:
        """Fill in the last DEFAULT_MONTHS months, this one included."""
        self.from_month.data = add_months(this_month, 1 - DEFAULT_MONTHS)
        self.to_month.data = this_month
