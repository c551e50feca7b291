"""Event forms: the shared details, one meeting's time, a new event (both), a co-host, a
step confirmed by its button, and cancelling (with a reason)."""

from __future__ import annotations

import re
import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from advocacy.events import recurrence as rules
from advocacy.events.recurrence import Repeat
from advocacy.events.scheduling import EventDetails
from advocacy.events.telling import REASON_MAX
from advocacy.fields import (
    CalendarDateField,
    ClockTimeField,
    PageForm,
    WholeNumberField,
    valid_timezone,
    without_bidi_controls,
    zone_named,
)
from advocacy.stories.forms import CheckboxList

REQUIRED = _l("Please fill this in.")
# Languages groups commonly meet in; the code is what members filter by.
LANGUAGES = {
    "en": _l("English"),
    "es": _l("Spanish"),
    "fr": _l("French"),
    "pt": _l("Portuguese"),
    "ht": _l("Haitian Creole"),
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
    "vi": _l("Vietnamese"),
    "ko": _l("Korean"),
    "tl": _l("Tagalog"),
    "ru": _l("Russian"),
    "uk": _l("Ukrainian"),
}


class EventDetailsForm(PageForm):
    """What every meeting of the event shares."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        filters=[without_bidi_controls],
    )
    description = TextAreaField(_l("Description (optional)"), validators=[Length(max=4000)])
    mode = RadioField(
        _l("Where"),
        choices=[SelectChoice("in_person", _l("In person")), SelectChoice("online", _l("Online"))],
        default="in_person",
        validators=[DataRequired(REQUIRED)],
    )
    area = StringField(
        _l("Public area"),
        validators=[DataRequired(REQUIRED), Length(max=80)],
        filters=[without_bidi_controls],
        description=_l(
            "Shown to every member, e.g. “Brooklyn” or “Online”. Please don't include the address."
        ),
    )
    venue = TextAreaField(
        _l("Private venue details or meeting link (optional)"),
        validators=[Length(max=1000)],
        description=_l("Shown only to confirmed attendees and staff."),
    )
    timezone = StringField(
        _l("Time zone"),
        filters=[zone_named],
        validators=[DataRequired(REQUIRED), valid_timezone],
        render_kw={"list": "timezones", "autocomplete": "off", "spellcheck": "false"},
    )
    language = SelectField(
        _l("Language"), choices=[SelectChoice(code, label) for code, label in LANGUAGES.items()]
    )
    accessibility = TextAreaField(
        _l("Accessibility notes (optional)"), validators=[Length(max=1000)]
    )

    def details(self) -> EventDetails:
        """The shared details as typed (optional fields may be absent: empty)."""

        def text(field) -> str:
            return (field.data or "").strip()

        return EventDetails(
            title=text(self.title),
            description=text(self.description),
            is_online=self.mode.data == "online",
            area=text(self.area),
            venue=text(self.venue),
            timezone=self.timezone.data,
            language=self.language.data,
            accessibility=text(self.accessibility),
        )

    def set_defaults(self) -> None:
        """Fill the time zone for a new event from the settings."""
        if not self.timezone.data:
            self.timezone.data = current_app.config["DEFAULT_TIMEZONE"]


class HoursForm(PageForm):
    """The hours and places of meetings (every one still to come, or one with its day)."""

    starts = ClockTimeField(_l("Starts"), validators=[DataRequired(_l("Please choose a time."))])
    ends = ClockTimeField(_l("Ends"), validators=[DataRequired(_l("Please choose a time."))])
    capacity = WholeNumberField(
        _l("Places"),
        validators=[Optional(), NumberRange(1, 1000, _l("Choose from 1 to 1000, or leave empty."))],
        description=_l("Leave empty for no limit."),
    )


class MeetingForm(HoursForm):
    """When one meeting is, and how many places it has."""

    day = CalendarDateField(_l("Date"), validators=[InputRequired(_l("Please choose a date."))])


NO_REPEAT = "none"
WEEKDAYS = [
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
]


class NewEventForm(EventDetailsForm, MeetingForm):
    """A new event: details, first meeting and how it repeats (events/recurrence.py, whose
    `plan` checks the choices again and refuses what they cannot make)."""

    max_meetings = rules.MAX_OCCURRENCES
    recurrence = SelectField(
        _l("Repeats"),
        choices=[
            SelectChoice(NO_REPEAT, _l("Does not repeat")),
            SelectChoice(rules.WEEKLY_KIND, _l("Every week, or every few weeks")),
            SelectChoice(
                rules.MONTHLY_DATE,
                _l("Every month on the first meeting's date (months without it are skipped)"),
            ),
            SelectChoice(
                rules.MONTHLY_WEEKDAY,
                _l("Every month on a weekday, like the first Friday"),
            ),
        ],
    )
    interval = SelectField(
        _l("How often (weekly)"),
        coerce=int,
        default=1,
        choices=[
            SelectChoice(1, _l("Every week")),
            SelectChoice(2, _l("Every 2 weeks")),
            SelectChoice(3, _l("Every 3 weeks")),
            SelectChoice(4, _l("Every 4 weeks")),
        ],
    )
    weekdays = CheckboxList(
        _l("On these days"),
        coerce=int,
        choices=[SelectChoice(number, name) for number, name in enumerate(WEEKDAYS)],
    )
    ordinal = SelectField(
        _l("Which one in the month (monthly on a weekday)"),
        coerce=int,
        default=1,
        choices=[
            SelectChoice(1, _l("The first")),
            SelectChoice(2, _l("The second")),
            SelectChoice(3, _l("The third")),
            SelectChoice(4, _l("The fourth")),
            SelectChoice(-1, _l("The last")),
        ],
    )
    until = CalendarDateField(_l("Repeats until"), validators=[Optional()])
    count = WholeNumberField(
        _l("Or: number of meetings"),
        validators=[
            Optional(),
            NumberRange(
                1,
                rules.MAX_OCCURRENCES,
                lazy_ngettext(
                    "Choose from 1 to %(max)s meeting.",
                    "Choose from 1 to %(max)s meetings.",
                    rules.MAX_OCCURRENCES,
                    max=rules.MAX_OCCURRENCES,
                ),
            ),
        ],
    )

    def repeat(self) -> Repeat | None:
        """How the meetings repeat as chosen (None: once); the fields a kind does not use
        are left out by events/recurrence.py."""
        if self.recurrence.data == NO_REPEAT:
            return None
        return Repeat(
            kind=self.recurrence.data,
            interval=self.interval.data or 1,
            weekdays=tuple(self.weekdays.data or ()),
            ordinal=self.ordinal.data or 1,
            until=self.until.data,
            count=self.count.data,
        )


class HostForm(PageForm):
    """A co-host for an event or a program (programs use it too), by pseudonym."""

    pseudonym = StringField(
        _l("Pseudonym of a staff member or admin"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


class ConfirmForm(PageForm):
    """A step confirmed by its button (name="confirm" value="yes"): no JavaScript needed.
    Programs use it too (completion)."""

    confirm = StringField(validators=[AnyOf(["yes"], _l("Please confirm with the button."))])


class CancelForm(PageForm):
    """Cancelling one meeting or the rest of a series, with an optional reason that goes
    into everyone's notice (one line, bidi controls removed, at most telling.REASON_MAX)."""

    reason = StringField(
        _l("Reason (optional)"),
        validators=[
            Length(
                max=REASON_MAX,
                message=lazy_ngettext(
                    "Please keep the reason to %(max)d character or fewer.",
                    "Please keep the reason to %(max)d characters or fewer.",
                    REASON_MAX,
                    max=REASON_MAX,
                ),
            )
        ],
        filters=[without_bidi_controls],
        description=_l(
            "Everyone with an RSVP reads it in their notice, people on the waiting list too: "
            "please don't include the address or the meeting link."
        ),
    )

    def valid_for(self, venue: str) -> bool:
        """validate_on_submit, and the reason must not carry the venue or meeting link, or a
        piece of it (a line, or a part between commas or dashes, of 6 characters or more):
        people on the waiting list read the notice too. Compared with case, width and
        spacing set aside (NFKC, casefold)."""
        if not self.validate_on_submit():
            return False
        reason = plain(self.reason.data or "")
        pieces = {plain(part) for part in re.split(r"[\n,;—–]", venue)} | {plain(venue)}
        if any(len(piece) >= 6 and piece in reason for piece in pieces):
            self.reason.errors.append(
                _l(
                    "Please leave where the group meets out of the reason: people on the "
                    "waiting list read it too."
                )
            )
            return False
        return True


def plain(text: str) -> str:
    """Text with case, width and spacing set aside, for comparing (NFKC, casefold)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
