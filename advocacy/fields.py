"""What the forms of every domain share: text that shows as what it is, and numbers and
dates read from ASCII digits within bounds (issue 12's one edge for untrusted input)."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, TimeField, ValidationError
from wtforms.csrf.core import CSRFTokenField
from wtforms.widgets import TextInput


class PageForm(FlaskForm):
    """The base of every form a page shows: its ids stay unique beside other forms.

    An id is unique in its document (WHATWG HTML, "The id attribute"), or a `<label for>`
    names another form's field and a tap on it lands there (issue 18). So the CSRF token,
    a hidden input no label names, carries no id at all, and `id_prefix` (a class
    attribute, or a keyword for one instance) puts "<prefix>-" before every other field's
    id, its label's `for` and its options' ids. Names stay as they are: what the browser
    sends does not change.
    """

    id_prefix = ""

    def __init__(self, *args: Any, id_prefix: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefix = self.id_prefix if id_prefix is None else id_prefix
        for field in self:
            if isinstance(field, CSRFTokenField):
                field.render_kw = {"id": False}  # html_params leaves a False attribute out
            elif prefix:
                field.id = field.label.field_id = f"{prefix}-{field.id}"


# Unicode's explicit bidirectional formatting characters (UAX #9 §2: embeddings and
# overrides U+202A-U+202E, isolates U+2066-U+2069, the marks LRM, RLM and ALM). In a title
# they make "abc\u202efdp.exe" show as "abcexe.pdf": text that displays differently from
# what it is.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
WITHOUT_BIDI_CONTROLS = str.maketrans(dict.fromkeys(map(ord, BIDI_CONTROLS)))


def without_bidi_controls(value: str | None) -> str | None:
    """A WTForms filter for one-line text others see (titles, areas, summaries): the
    value with every bidi control removed; None (no value sent) stays None."""
    return value.translate(WITHOUT_BIDI_CONTROLS) if value is not None else None


# An optional minus and 1 to 18 ASCII digits (each form's NumberRange then says its bounds
# in words). int() alone reads "٣", "1_000", "+7" and a 4,000-digit line.
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")
# The years a form accepts. A date in year 1 or 9999 cannot be turned into UTC in every
# time zone (Python's OverflowError), and nobody here means one.
CALENDAR_YEARS = range(1900, 3000)
OFF_THE_CALENDAR = _l("Please choose a date from 1900 to 2999.")
NOT_A_DATE = _l("Please choose a real date, as year-month-day.")


# Names zoneinfo knows that are no place's time: the server's own zone, and a placeholder.
NOT_PLACES = frozenset({"localtime", "Factory"})


def zone_named(value: str | None) -> str | None:
    """A WTForms filter for a typed time zone: the IANA name it means, as the tz database
    spells it, when only case, spaces for underscores or a missing region differ
    ("america/los angeles", "Los Angeles" → "America/Los_Angeles", if only one zone ends
    so); else the value as typed (stripped; empty: None) for valid_timezone to judge."""
    typed = (value or "").strip()
    if not typed:
        return None
    wanted = typed.replace(" ", "_").casefold()
    known = {name.casefold(): name for name in available_timezones() if name not in NOT_PLACES}
    if wanted in known:
        return known[wanted]
    endings = [name for key, name in known.items() if key.rsplit("/", 1)[-1] == wanted]
    return endings[0] if len(endings) == 1 else typed


def valid_timezone(_form: Any, field: Any) -> None:
    """A WTForms validator: the value is an IANA time zone name (the tz database's, as
    zoneinfo knows it), like America/New_York."""
    if field.data not in available_timezones() or field.data in NOT_PLACES:
        raise ValidationError(_l("Choose a time zone from the list, like America/New_York."))


class WholeNumberField(IntegerField):
    """A number typed in a form: ASCII digits only, surrounding spaces ignored.

    Shown as a text box that asks phones for the digit keyboard (inputmode="numeric"), not
    as type="number": a browser empties a number box it cannot read, and the member would
    lose what they typed. Anything else leaves `data` None with one calm message (the
    field's range check is not run on it as well); empty is left to the field's
    Optional or InputRequired.
    """

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["render_kw"] = {"inputmode": "numeric", **kwargs.get("render_kw", {})}
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        typed = valuelist[0].strip(" ") if valuelist else ""
        if not typed:
            self.data = None
        elif WHOLE_NUMBER.fullmatch(typed):
            self.data = int(typed)
        else:
            self.data = None
            raise ValueError(_l("Please type a whole number, like 12."))

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        """Say only what was wrong with the typing when the number could not be read."""
        if self.process_errors:
            self.errors = list(self.process_errors)


def typed_in_ascii(valuelist: list[str]) -> bool:
    """Whether typed values hold only ASCII: strptime's %Y, %d, %H and %M match any
    Unicode digit, so "２０２６-11-30" would otherwise be read as a date."""
    return all(value.isascii() for value in valuelist)


class CalendarDateField(DateField):
    """A date typed in a form (YYYY-MM-DD, ASCII digits only) in the years 1900 to 2999;
    anything else leaves `data` None with a calm message: one for a date that cannot be
    read (or does not exist, like 2026-02-30), another for a year outside those."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not typed_in_ascii(valuelist):
            self.data = None
            raise ValueError(NOT_A_DATE)
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(NOT_A_DATE) from None
        if self.data is not None and self.data.year not in CALENDAR_YEARS:
            self.data = None
            raise ValueError(OFF_THE_CALENDAR)


class ClockTimeField(TimeField):
    """A time of day typed in a form (HH:MM, ASCII digits only); anything else leaves
    `data` None (the form's DataRequired then says what it needs)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not typed_in_ascii(valuelist):
            self.data = None
            raise ValueError(_l("Please choose a time."))
        super().process_formdata(valuelist)
