"""Translations and date formats are looked up once per request and language, never once
per string or per row (issue 17, item 2), and never leak from one request's language into
another's.

The rule for what a page says is unchanged: the member's language, else the browser's,
else English (advocacy/i18n.py); dates in CLDR patterns of that language (Babel).
"""

from __future__ import annotations

import html
from datetime import time

import pytest
from flask import render_template_string
from flask_babel import Domain, lazy_gettext
from jinja2.runtime import Context

from advocacy import i18n
from tests.support.catalogues import catalogue_overrides
from tests.support.events import make_event, signed_in

SPANISH = {"Accept-Language": "es"}
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def app_overrides(tmp_path):
    """A tiny compiled Spanish catalogue, as a translator would add one."""
    spanish = {"Quick exit": "Salida rápida", "Events": "Eventos"}
    return catalogue_overrides(tmp_path / "translations", {"es": spanish})


@pytest.fixture
def reader(app, clock, staff, member):
    """A member's client, with three meetings at the same hours on three days."""
    for days in (2, 3, 4):
        make_event(
            app, staff.id, now=clock(), in_days=days, title=f"Circle {days}",
            starts=time(18, 0), ends=time(19, 30),
        )  # fmt: skip
    return signed_in(app, clock, member)


def test_each_request_reads_in_its_own_language(reader):
    for _ in range(2):
        spanish = html.unescape(reader.get("/events", headers=SPANISH).get_data(as_text=True))
        assert "Salida rápida" in spanish
        assert "Quick exit" not in spanish
        # Tests' clock: Friday 27 November 2026; the meetings are on the 29th, 30th, 1st.
        assert "domingo, 29 de noviembre de 2026" in spanish  # CLDR's "full" date in es
        english = html.unescape(reader.get("/events", headers=ENGLISH).get_data(as_text=True))
        assert "Quick exit" in english
        assert "Salida rápida" not in english
        assert "Sunday, 29 November 2026" in english
        assert "domingo" not in english


def test_translations_are_found_once_per_request(reader, monkeypatch):
    found = []
    original = Domain.get_translations

    def counting(self):
        found.append(self)
        return original(self)

    monkeypatch.setattr(Domain, "get_translations", counting)
    for headers in (SPANISH, ENGLISH):
        found.clear()
        page = reader.get("/events", headers=headers).get_data(as_text=True)
        assert page.count("Circle") == 3
        assert len(found) == 1, len(found)


def test_a_date_or_hour_is_formatted_once_per_language_and_pattern(reader, monkeypatch):
    i18n.forget_formatted()  # other tests of this process may have shown the same days
    reader.get("/events", headers=ENGLISH)  # formats the days and hours once
    formatted = []
    for name in ("format_date", "format_time"):
        original = getattr(i18n.dates, name)

        def counting(*args, _original=original, **kwargs):
            formatted.append(args)
            return _original(*args, **kwargs)

        monkeypatch.setattr(i18n.dates, name, counting)
    assert "6:00" in reader.get("/events", headers=ENGLISH).get_data(as_text=True)
    assert formatted == []  # all seen before, in English
    spanish = reader.get("/events", headers=SPANISH).get_data(as_text=True)
    assert "18:00" in spanish
    # Spanish: three days, and the two hours (18:00, 19:30) once each.
    assert len(formatted) == 5, formatted


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ('{{ _("Quick exit") }}', "Salida rápida"),  # the catalogue's translation
        ('{{ _("100%% of members") }}', "100% of members"),  # always %-formatted (Jinja)
        ('{{ _("By %(name)s", name="<b>x</b>") }}', "By &lt;b&gt;x&lt;/b&gt;"),  # escaped
        ('{{ gettext("Quick exit") }}', "Salida rápida"),
        ('{{ _("Quick exit")|length }}', "13"),
        (
            '{% for i in [1] %}{{ _("Quick exit") }} {{ _("By %(n)s", n=i) }}{% endfor %}',
            "Salida rápida By 1",
        ),
        ('{{ ngettext("%(num)s place left", "%(num)s places left", 1) }}', "1 place left"),
        ('{{ ngettext("%(num)s place left", "%(num)s places left", 3) }}', "3 places left"),
        ('{{ ngettext("one %(x)s", "%(num)s %(x)s", 2, x="<i>") }}', "2 &lt;i&gt;"),
        ('{{ ngettext("%(num)s%%", "%(num)s%%", 5) }}', "5%"),
        # values named as the functions' own arguments are values like any other
        ('{{ _("%(string)s!", string="<b>") }}', "&lt;b&gt;!"),
        ('{{ ngettext("%(num)s x", "%(num)s xs", 2, num="<i>") }}', "&lt;i&gt; xs"),
        ('{{ ngettext("%(plural)s", "%(singular)s", 1, plural="p", singular="s") }}', "p"),
    ],
)
def test_a_template_string_reads_as_jinja_newstyle_gettext_says(app, source, shown):
    with app.test_request_context(headers=SPANISH):
        assert render_template_string(source) == shown


def test_a_translation_outside_autoescape_is_plain_text(app):
    with app.test_request_context(headers=SPANISH):
        shown = render_template_string(
            '{% autoescape false %}{{ _("By %(name)s", name="<b>") }}{% endautoescape %}'
        )
    assert shown == "By <b>"


def test_labels_are_said_in_each_request_s_language(app):
    # Flask-Babel keeps one catalogue per language for the process: tests/test_pages.py's
    # Spanish one may be the one read, and it holds "Quick exit" too.
    labels = {"exit": lazy_gettext("Quick exit"), "other": lazy_gettext("Not in a catalogue")}
    with app.test_request_context(headers=SPANISH):
        assert i18n.said(labels) == {"exit": "Salida rápida", "other": "Not in a catalogue"}
    with app.test_request_context(headers=ENGLISH):
        assert i18n.said(labels) == {"exit": "Quick exit", "other": "Not in a catalogue"}


def test_a_string_kept_for_a_page_is_not_given_to_plain_text(app):
    # "&" is a character HTML escapes. Under autoescape `_()` gives Markup (a translation is
    # trusted), outside it plain text, which `|e` escapes: one kept for HTML must not be
    # handed to plain text.
    with app.test_request_context(headers=SPANISH):
        assert render_template_string('{{ _("Tea & toast") }}') == "Tea & toast"
        plain = render_template_string(
            '{% autoescape false %}{{ _("Tea & toast")|e }}{% endautoescape %}'
        )
    assert plain == "Tea &amp; toast"


def test_a_translation_in_a_loop_does_not_copy_the_page_s_variables(app, monkeypatch):
    # Jinja copies every variable of the page (Context.derived) for each call of a function
    # that takes the context, inside a loop or block that sets its own: `_()` and
    # `ngettext()` on every row of a list must not (issue 17).
    copies = []
    original = Context.derived

    def counting(self, *args, **kwargs):
        copies.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Context, "derived", counting)
    source = (
        "{% for n in [1, 2] %}{% set shown = n %}"
        '{{ _("Quick exit") }} {{ _("By %(n)s", n=shown) }} '
        '{{ ngettext("%(num)s place left", "%(num)s places left", shown) }};'
        "{% endfor %}"
    )
    with app.test_request_context(headers=SPANISH):
        shown = render_template_string(source)
    assert shown == "Salida rápida By 1 1 place left;Salida rápida By 2 2 places left;"
    assert copies == []
