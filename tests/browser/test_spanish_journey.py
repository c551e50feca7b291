"""A Spanish-speaking survivor on the smallest phone (320x640) with JavaScript off: their
browser asks for Spanish, so every page is in Spanish (`<html lang="es">`) with no choice
made. They join with an invite, keep their recovery codes, RSVP to a meeting, write a
story in which the identity check finds a phone number, and read the privacy page. Every
page on the way passes axe-core and fits the screen (issue 18).

The Spanish below is the catalogue's, written here as the reader must see it: a string
that goes untranslated, or a page that falls back to English, fails the journey.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from advocacy.database import utcnow
from tests.browser.test_accounts_journey import CODE_PATTERN, PageChecks, new_invite, path_of
from tests.support.accounts import make_account
from tests.support.events import make_event

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 320, "height": 640}


def press(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def in_spanish(page: Page) -> None:
    assert page.locator("html").get_attribute("lang") == "es", page.url


def test_join_rsvp_write_and_read_privacy_in_spanish_without_javascript(app, new_page):
    staff = make_account(app, "willow-staff", role="staff")
    event = make_event(app, staff.id, title="Círculo de apoyo", now=utcnow(), in_days=2)
    page = new_page(javascript=False, viewport=SMALL_PHONE, locale="es-US")
    check = PageChecks(new_page, javascript=False)

    def checked() -> None:
        in_spanish(page)
        check(page)

    # Join: the form speaks Spanish, and so does its answer.
    page.goto("/join")
    checked()
    assert page.get_by_role("heading", level=1).inner_text() != "Join"
    page.get_by_label("Código de invitación").fill(new_invite(app))
    page.get_by_label("Seudónimo").fill("Luna Serena")
    page.get_by_label("Contraseña", exact=True).fill("ámbar tetera puerto violeta")
    page.get_by_label("Repite la contraseña").fill("ámbar tetera puerto violeta")
    press(page, "Unirse")
    assert page.get_by_role("heading", level=1).inner_text() == "Tus códigos de recuperación"
    codes = page.get_by_role("list", name="Códigos de recuperación").get_by_role("listitem")
    assert len([c for c in codes.all_inner_texts() if CODE_PATTERN.fullmatch(c.strip())]) == 10
    checked()
    page.get_by_label("Guardé estos códigos en un lugar seguro").check()
    press(page, "Continuar")
    assert path_of(page) == "/"
    assert "Tus códigos de recuperación están listos." in page.locator("main").inner_text()
    checked()

    # RSVP: the meeting's page and the place taken, in Spanish.
    page.goto(f"/events/{event.first}")
    checked()
    press(page, "Confirmar asistencia")
    assert "Tienes un cupo." in page.locator("main").inner_text()
    checked()

    # A story with a phone number: the identity check says so in Spanish.
    page.goto("/stories/new")
    checked()
    page.get_by_label("Título").fill("El camino largo")
    page.get_by_label("Tu historia").fill("Me tenían en una casa.\n\nLlama al 555-123-4567.")
    page.get_by_label("Todo el mundo, incluso visitantes sin sesión iniciada").check()
    press(page, "Comprobar y pedir revisión")
    findings = page.locator(".findings").inner_text()
    assert "parece un número de teléfono" in findings, findings
    assert page.locator("mark").inner_text() == "555-123-4567"
    checked()

    # The privacy page: what is kept and for how long.
    page.goto("/privacy")
    assert page.get_by_role("heading", name="Qué guardamos y por cuánto tiempo").count() == 1
    checked()
    assert set(check.checked) >= {"/join", "/", "/stories/new", "/privacy"}
