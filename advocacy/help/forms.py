"""Help library forms: the library's filters (read from the address, no token: a GET form)
and a resource as staff write it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import (
    BooleanField,
    Form,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import AnyOf, DataRequired, Length

from advocacy.events.forms import LANGUAGES
from advocacy.fields import PageForm, without_bidi_controls
from advocacy.help import services
from advocacy.help.models import Category

REQUIRED = _l("Please fill this in.")
CATEGORY_LABELS = {
    Category.LEGAL: _l("Legal help"),
    Category.HOUSING: _l("Housing"),
    Category.HEALTH: _l("Health"),
    Category.SAFETY: _l("Safety"),
    Category.WORK_STUDY: _l("Work and study"),
    Category.PEER_SUPPORT: _l("Peer support"),
}


TOPIC_REFUSED = _l("Please choose a topic from the list.")
LANGUAGE_REFUSED = _l("Please choose a language from the list.")


def from_list(label, labels: dict, refused, *, anything=None, default: str = "") -> SelectField:
    """A choice among `labels` (value: label), first `anything` (value "") when given; any
    other value sent is refused with the calm `refused` (not WTForms' own wording)."""
    first = [SelectChoice("", anything)] if anything is not None else []
    return SelectField(
        label,
        default=default,
        validate_choice=False,
        choices=first + [SelectChoice(str(value), text) for value, text in labels.items()],
        validators=[AnyOf([choice.value for choice in first] + list(labels), refused)],
    )


def stripped(value: str | None) -> str:
    """Text as typed, without surrounding spaces (absent: empty)."""
    return (value or "").strip()


class LibraryFilters(Form):
    """What the library is narrowed to, from the address (?q=&category=&language=&area=).

    Each value is checked against its list; the area list comes from the library itself
    (`offer_areas`). Anything else is refused with a calm message (the page answers 400).
    """

    q = SearchField(
        _l("Search titles and summaries"),
        filters=[stripped],
        validators=[
            Length(
                max=services.QUERY_MAX,
                message=lazy_ngettext(
                    "Please search with %(max)d character or fewer.",
                    "Please search with %(max)d characters or fewer.",
                    services.QUERY_MAX,
                    max=services.QUERY_MAX,
                ),
            )
        ],
    )
    category = from_list(_l("Topic"), CATEGORY_LABELS, TOPIC_REFUSED, anything=_l("Any topic"))
    language = from_list(_l("Language"), LANGUAGES, LANGUAGE_REFUSED, anything=_l("Any language"))
    area = SelectField(_l("Area"), default="", validate_choice=False, choices=[])

    def offer_areas(self, areas: list[str]) -> None:
        """Offer these areas (and "any area") to choose from."""
        self.area.choices = [SelectChoice("", _l("Any area"))] + [
            SelectChoice(area, area) for area in areas
        ]

    def validate_q(self, field) -> None:
        if len(services.search_words(field.data or "")) > services.QUERY_WORDS_MAX:
            raise ValidationError(
                lazy_ngettext(
                    "Please search with %(max)d word or fewer.",
                    "Please search with %(max)d words or fewer.",
                    services.QUERY_WORDS_MAX,
                    max=services.QUERY_WORDS_MAX,
                )
            )

    def validate_area(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Please choose an area from the list."))

    def filters(self) -> services.Filters:
        """The filters as chosen (call after validate)."""
        return services.Filters(
            category=self.category.data or "",
            language=self.language.data or "",
            area=self.area.data or "",
            words=services.search_words(self.q.data or ""),
        )

    def chosen(self) -> dict[str, str]:
        """The filters as the address gives them, for the next page's link (empty left out)."""
        return {
            name: self[name].data
            for name in ("q", "category", "language", "area")
            if self[name].data
        }


def outside_address(_form, field) -> None:
    """A WTForms validator: empty, or an address services.outside_url_problem accepts."""
    if field.data and (problem := services.outside_url_problem(field.data)):
        raise ValidationError(problem)


class ResourceForm(PageForm):
    """A resource as staff write it (services.checked is the rule; this says it first)."""

    title = StringField(
        _l("Title"),
        filters=[without_bidi_controls],
        validators=[DataRequired(REQUIRED), Length(max=services.TITLE_MAX)],
    )
    summary = TextAreaField(
        _l("Summary"),
        filters=[without_bidi_controls],
        validators=[DataRequired(REQUIRED), Length(max=services.SUMMARY_MAX)],
    )
    category = from_list(_l("Topic"), CATEGORY_LABELS, TOPIC_REFUSED)
    language = from_list(_l("Language it is written in"), LANGUAGES, LANGUAGE_REFUSED, default="en")
    area = StringField(
        _l("Area"),
        filters=[without_bidi_controls],
        validators=[DataRequired(REQUIRED), Length(max=services.AREA_MAX)],
    )
    body = TextAreaField(
        _l("Text"),
        validators=[
            Length(
                max=services.BODY_MAX,
                message=lazy_ngettext(
                    "Please keep the text to %(max)d character or fewer.",
                    "Please keep the text to %(max)d characters or fewer.",
                    services.BODY_MAX,
                    max=services.BODY_MAX,
                ),
            )
        ],
    )
    outside_url = StringField(
        _l("Outside link"),
        filters=[stripped],
        validators=[outside_address],
        render_kw={
            "inputmode": "url",
            "autocomplete": "off",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    is_public = BooleanField(_l("Visitors who aren't signed in may see it"))

    def validate_body(self, field) -> None:
        if not stripped(field.data) and not stripped(self.outside_url.data):
            raise ValidationError(_l("Please write the text, or give an outside link (or both)."))

    def details(self) -> services.ResourceDetails:
        """The resource as written (checked again by the service)."""
        return services.ResourceDetails(
            title=stripped(self.title.data),
            summary=stripped(self.summary.data),
            category=self.category.data or "",
            language=self.language.data or "",
            area=stripped(self.area.data),
            body=stripped(self.body.data),
            outside_url=stripped(self.outside_url.data),
            is_public=bool(self.is_public.data),
        )
