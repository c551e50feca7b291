"""Choosing who runs it on a phone (390x844) in Chromium with JavaScript off.

The creator types a member's pseudonym as a co-host: the answer opens where the form is,
with the message beside the field (and the field focused), not at the top of a page
taller than the screen. Then they add a staff member, and stop running it themself,
asked first on a page of its own. Every page passes axe-core and fits the screen.
"""

from __future__ import annotations

import pytest

from advocacy.database import utcnow
from tests.events.browser_checks import NoScriptPageChecks, evaluate_when
from tests.events.test_browser_journey import flashes, follow, path_of, press, sign_in
from tests.support.accounts import make_account
from tests.support.browser import PHONE
from tests.support.events import make_event
from tests.support.programs import make_program

pytestmark = pytest.mark.browser

FIELD = "Pseudonym of a staff member or admin"
# Where the field's message is, in the viewport's pixels, and how far the page scrolled.
WHERE = """(() => {
  const box = document.getElementById('pseudonym-error').getBoundingClientRect();
  return [box.top, box.bottom, window.innerHeight, window.scrollY,
          document.activeElement && document.activeElement.id];
})()"""


@pytest.mark.parametrize("kind", ["event", "program"])
def test_on_a_phone_a_refused_co_host_shows_by_its_field_and_leaving_is_asked(app, new_page, kind):
    creator = make_account(app, "maple-staff", role="staff")
    make_account(app, "alder-staff", role="staff")
    make_account(app, "river-member")
    if kind == "event":
        path = f"/events/{make_event(app, creator.id, now=utcnow()).first}"
    else:
        path = f"/programs/{make_program(app, creator.id, now=utcnow()).id}"
    check = NoScriptPageChecks(new_page)
    page = new_page(javascript=False, viewport=PHONE)
    sign_in(page, creator, check)
    page.goto(path)
    check(page)

    page.get_by_label(FIELD).fill("river-member")
    press(page, "Add co-host")
    # Chromium focuses an autofocus field (and scrolls to it) in a frame after the load event.
    where = evaluate_when(page, WHERE, lambda found: found[4] == "pseudonym")
    top, bottom, height, scrolled, focused = where
    assert 0 <= top < bottom <= height, (top, bottom, height)
    assert scrolled > 0  # the form is below the first screen: the page opened on it
    assert focused == "pseudonym"
    assert page.get_by_label(FIELD).input_value() == "river-member"
    check(page)

    page.get_by_label(FIELD).fill("alder-staff")
    press(page, "Add co-host")
    assert "alder-staff now helps run this." in flashes(page)
    assert page.get_by_text("maple-staff (you)").count() == 1
    follow(page, "Stop running this")
    assert path_of(page) == f"{path}/hosts/leave"
    check(page)
    press(page, "Yes, stop running it")
    assert path_of(page) == path
    assert "You no longer help run" in flashes(page)
    check(page)
