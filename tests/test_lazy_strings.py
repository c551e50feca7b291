"""A lazy string shown in a page escapes the values put into it, and only those.

The rule (ASVS 5.0 1.2.1, output encoding for the HTML context): someone's text that
reaches a page through a lazy string (`_l("Make %(name)s a mentor?", name=...)`, a
counted `lazy_ngettext`, a form label) is escaped like any other value; the words around
it are this code's own and show as written. So that the words need no escaping, no
string in the Python code or its translations holds markup or a double quote.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import lazy_gettext, lazy_ngettext

ROOT = Path(__file__).resolve().parent.parent
NAME = "<i>x</i>'q"  # past the pseudonym rule, as if it were ever loosened


def test_a_value_in_a_lazy_string_is_escaped_and_its_words_are_not(app):
    with app.test_request_context("/"):
        shown = render_template_string(
            "{{ asked }}|{{ plain }}|{{ counted }}|{{ nested }}",
            asked=lazy_gettext("Make %(name)s a mentor?", name=NAME),
            plain=lazy_gettext("You're going."),
            counted=lazy_ngettext("%(num)d program", "%(num)d programs", 3),
            nested=lazy_gettext(
                "Note: %(note)s", note=lazy_gettext("Make %(name)s a mentor?", name=NAME)
            ),
        )
    assert shown == (
        "Make &lt;i&gt;x&lt;/i&gt;&#39;q a mentor?|You're going.|3 programs|"
        "Note: Make &lt;i&gt;x&lt;/i&gt;&#39;q a mentor?"
    )
    assert "<i>" not in shown


def test_no_string_of_the_python_code_or_its_translations_holds_markup():
    held, read = [], 0
    for path in ROOT.glob("advocacy/translations/*/LC_MESSAGES/messages.po"):
        with path.open("rb") as file:
            for message in read_po(file):
                if not message.id or not any(f.endswith(".py") for f, _ in message.locations):
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                said = message.string if isinstance(message.string, tuple) else (message.string,)
                read += 1
                held += [text for text in (*ids, *said) if set(text) & set('<>&"')]
    assert read > 500  # the catalogues were found and read
    assert held == []
