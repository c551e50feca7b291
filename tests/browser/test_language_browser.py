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


UNSAVED = "What you typed on this page will be lost. Change the language anyway?"


def test_with_something_typed_the_language_button_asks_first(new_page):
    """A half-written story would be lost with the page: the button asks, in the page's
    words; "Cancel" keeps the page and what was typed, "OK" changes the language. Nothing
    typed, nothing asked."""
    page = new_page(viewport=SMALL_PHONE)
    page.goto("/login")
    asked = []

    def answer(dialog, accept: bool):
        asked.append((dialog.type, dialog.message))
        dialog.accept() if accept else dialog.dismiss()

    page.get_by_label("Pseudonym").fill("quiet-fern")
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Español").click()
    assert asked == [("confirm", UNSAVED)]
    assert language_of(page) == "en"
    assert page.get_by_label("Pseudonym").input_value() == "quiet-fern"

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation():
        page.get_by_role("button", name="Español").click()
    assert len(asked) == 2
    assert language_of(page) == "es"

    # A page where nothing was typed changes at once.
    page.on("dialog", lambda dialog: answer(dialog, accept=False))
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert language_of(page) == "en"
    assert len(asked) == 2


def test_a_form_shown_again_with_its_errors_counts_as_typed(new_page):
    """What was sent and came back with a calm error is not saved either."""
    page = new_page(viewport=SMALL_PHONE)
    page.goto("/login")
    page.get_by_label("Pseudonym").fill("quiet-fern")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()  # no password
    assert page.locator(".error-summary").is_visible()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Español").click()
    assert asked == [UNSAVED]
    assert language_of(page) == "en"
