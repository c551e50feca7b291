"""Choosing a language in Chromium, on the smallest phone (issue 18): with JavaScript off
the button works; the header with it stays accessible and within the screen."""

from __future__ import annotations

import pytest

from tests.support.browser import SMALL_PHONE, assert_accessible, assert_no_horizontal_scroll
from tests.support.catalogues import write_catalogues

pytestmark = pytest.mark.browser


@pytest.fixture
def app_overrides(tmp_path):
    languages = {"es": {"Quick exit": "Salida rápida", "Safety": "Seguridad"}}
    return {"BABEL_TRANSLATION_DIRECTORIES": write_catalogues(tmp_path, languages)}


def language_of(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_a_visitor_without_javascript_switches_to_spanish_and_back(new_page):
    page = new_page(javascript=False, viewport=SMALL_PHONE)
    page.goto("/safety")
    assert language_of(page) == "en"
    spanish = page.get_by_role("button", name="Español")
    assert spanish.get_attribute("lang") == "es"
    spanish.click()
    page.wait_for_url("**/safety")
    assert language_of(page) == "es"
    assert page.locator("#quick-exit").inner_text() == "Salida rápida"
    assert page.get_by_role("button", name="English").get_attribute("lang") == "en"
    page.goto("/")  # the session keeps it
    assert language_of(page) == "es"
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/")
    assert language_of(page) == "en"


@pytest.mark.parametrize("asked", ["en", "es"])
def test_the_language_button_fits_the_smallest_phone_and_is_accessible(new_page, asked):
    page = new_page(viewport=SMALL_PHONE)
    page.set_extra_http_headers({"Accept-Language": asked})
    page.goto("/")
    assert language_of(page) == asked
    assert page.get_by_role("button", name="English" if asked == "es" else "Español").is_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
