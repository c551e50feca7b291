"""Crisis lines in the page's language (issue 18): Spanish pages carry the Spanish services
(the trafficking hotline answers in Spanish; 988: call and press 2, or text AYUDA), and the
CRISIS_LINES setting keeps its format: "name|what to do|link" for every language, or with a
language before it ("es:…") for that language's pages only.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.support.catalogues import catalogue_overrides

SPANISH = {"Accept-Language": "es"}
ENGLISH = {"Accept-Language": "en"}
FRENCH = {"Accept-Language": "fr"}


@pytest.fixture
def app_overrides(tmp_path):
    """Spanish and French catalogues; French has no crisis line of its own."""
    return catalogue_overrides(tmp_path)


def lines_on(client, headers) -> list[tuple[str, str, str]]:
    """(link, name, what to do) of each crisis line on the safety page."""
    page = html.unescape(client.get("/safety", headers=headers).get_data(as_text=True))
    found = re.findall(r'<li><strong>([^<]+)</strong>: <a href="([^"]+)">([^<]+)</a></li>', page)
    return [(link, name, action) for name, link, action in found]


def test_spanish_pages_give_the_spanish_services(client):
    links = {link: action for link, _name, action in lines_on(client, SPANISH)}
    assert links == {
        "tel:+18883737888": "Llama al 1-888-373-7888",
        "sms:233733": "Envía un mensaje al 233733",
        "tel:988": "Llama al 988 y marca el 2",  # 988's Spanish service: press 2
        "sms:988?body=AYUDA": "Envía AYUDA al 988",  # and by text: AYUDA
    }
    names = " ".join(name for _link, name, _action in lines_on(client, SPANISH))
    assert "Trata de Personas" in names
    assert "Trafficking" not in names


def test_english_pages_keep_the_english_lines(client):
    assert [link for link, _n, _a in lines_on(client, ENGLISH)] == [
        "tel:+18883737888",
        "sms:233733",
    ]
    assert all("Call" in a or "Text" in a for _l, _n, a in lines_on(client, ENGLISH))


def test_a_language_with_no_line_of_its_own_gets_the_english_ones(client):
    assert lines_on(client, FRENCH) == lines_on(client, ENGLISH)


@pytest.mark.parametrize(
    "app_overrides",
    [
        {
            "CRISIS_LINES": (
                "Local line|Call 0800 000 000|tel:0800000000",
                "es:Línea local|Llama al 0800 000 000|tel:0800000000",
                "en:Local text line|Text 555|sms:555",
                "es:only two parts|tel:1",
                "",
            )
        }
    ],
)
def test_a_setting_line_for_every_language_and_one_per_language(client):
    assert lines_on(client, ENGLISH) == [
        ("tel:0800000000", "Local line", "Call 0800 000 000"),
        ("sms:555", "Local text line", "Text 555"),
    ]
    assert lines_on(client, SPANISH) == [
        ("tel:0800000000", "Local line", "Call 0800 000 000"),
        ("tel:0800000000", "Línea local", "Llama al 0800 000 000"),
    ]
