"""The help library on a phone (390x844) in Chromium with JavaScript off (issue 16).

Staff add a resource through the form (a refused address first, the rest kept). A visitor
finds the library from the home page, sees the crisis lines first, filters by topic and
language and then searches, opens a resource, goes to its leaving page (the whole
address, quick exit can't follow, a link with rel="noreferrer noopener"), stays, and does
the grounding exercise. A resource for members only is never listed for them. Every page
passes axe-core with zero violations and fits the screen; the library and the exercise
fit a 320x640 one too.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page

from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import flashes, follow, main_text, path_of, press, sign_in
from tests.support.accounts import Clock, make_account
from tests.support.browser import PHONE, SMALL_PHONE
from tests.support.help import make_resource

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
USCIS = "https://www.uscis.gov/humanitarian/victims-of-human-trafficking-t-nonimmigrant-status"


def listed(page: Page) -> list[str]:
    return page.locator("main h3.resource-title a").all_inner_texts()


def test_staff_add_a_resource_and_a_visitor_finds_and_opens_it(app, new_page):
    clock = Clock(NOW)
    app.config["CLOCK"] = clock
    staff = make_account(app, "maple-staff", role="staff")
    make_resource(app, title="Housing help for the longer term", category="housing")
    make_resource(app, title="Vacating convictions", category="legal", is_public=False)
    make_resource(
        app,
        title="Conceptos básicos de la visa T",
        summary="Quién puede pedirla.",
        category="legal",
        language="es",
        area="Nationwide",
    )
    check = NoScriptPageChecks(new_page)

    # 1. Staff add "T visa basics": an http:// address is refused, the rest is kept.
    desk = new_page(javascript=False, viewport=PHONE)
    sign_in(desk, staff, check, clock)
    desk.goto("/help")
    follow(desk, "Add a resource")
    check(desk)
    desk.get_by_label("Title", exact=True).fill("T visa basics")
    desk.get_by_label("Summary", exact=True).fill("Who can apply, and what it gives.")
    desk.get_by_label("Topic", exact=True).select_option(label="Legal help")
    desk.get_by_label("Area", exact=True).fill("Nationwide")
    desk.get_by_label("Text", exact=True).fill("See a lawyer **before** you apply.")
    desk.get_by_label("Outside link", exact=True).fill(USCIS.replace("https", "http"))
    desk.get_by_label("Visitors who aren't signed in may see it", exact=True).check()
    press(desk, "Save")
    assert "Please give an address that starts with https://." in main_text(desk)
    assert desk.get_by_label("Title", exact=True).input_value() == "T visa basics"
    check(desk)
    desk.get_by_label("Outside link", exact=True).fill(USCIS)
    press(desk, "Save")
    assert "The resource is in the library." in flashes(desk)
    resource_path = path_of(desk)
    check(desk)

    # 2. A visitor comes to the library from the home page: the crisis lines come first.
    visitor = new_page(javascript=False, viewport=PHONE)
    visitor.goto("/")
    check(visitor)
    with visitor.expect_navigation():
        visitor.locator("main").get_by_role("link", name="Help and resources").click()
    assert path_of(visitor) == "/help"
    check(visitor)
    text = main_text(visitor)
    assert text.index("If you need help now") < text.index("Search titles and summaries")
    assert "1-888-373-7888" in text
    assert "Vacating convictions" not in listed(visitor)  # for members only

    # 3. They filter by topic and language, then search.
    visitor.get_by_label("Topic", exact=True).select_option(label="Legal help")
    visitor.get_by_label("Language", exact=True).select_option(label="English")
    press(visitor, "Show resources")
    assert listed(visitor) == ["T visa basics"]
    check(visitor)
    visitor.get_by_label("Language", exact=True).select_option(label="Any language")
    visitor.get_by_label("Search titles and summaries", exact=True).fill("visa")
    press(visitor, "Show resources")
    assert listed(visitor) == ["T visa basics", "Conceptos básicos de la visa T"]
    assert visitor.get_by_label("Topic", exact=True).input_value() == "legal"  # kept
    check(visitor)

    # 4. They open the resource, then its outside link's leaving page, and stay.
    follow(visitor, "T visa basics")
    assert path_of(visitor) == resource_path
    assert "See a lawyer before you apply." in main_text(visitor)
    check(visitor)
    follow(visitor, "Go to www.uscis.gov")
    assert path_of(visitor) == f"{resource_path}/leave"
    leaving = main_text(visitor)
    assert "You are about to leave this site" in leaving
    assert "Quick exit button can't follow you there" in leaving
    assert USCIS in leaving
    onward = visitor.get_by_role("link", name="Continue to www.uscis.gov", exact=True)
    assert onward.get_attribute("href") == USCIS
    assert onward.get_attribute("rel") == "noreferrer noopener"
    check(visitor)
    follow(visitor, "Stay here")
    assert path_of(visitor) == resource_path

    # 5. The grounding exercise, from the library.
    visitor.goto("/help")
    follow(visitor, "A few minutes to feel steadier: a grounding exercise")
    assert path_of(visitor) == "/help/grounding"
    assert "5 things you can see." in main_text(visitor)
    check(visitor)

    # 6. A filter the library does not have: the page says so, calmly (400).
    answer = visitor.goto("/help?category=immigration")
    assert answer.status == 400
    assert "Please choose a topic from the list." in main_text(visitor)
    check(visitor)

    # 7. On the smallest phone the library and the exercise still fit.
    small = new_page(javascript=False, viewport=SMALL_PHONE)
    for path in ("/help", "/help/grounding", f"{resource_path}/leave"):
        small.goto(path)
        check(small)
