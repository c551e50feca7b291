"""Home, safety, privacy and quick exit, as a visitor sees them."""

import re
from pathlib import Path

import pytest

from tests.support.accounts import make_account
from tests.support.catalogues import write_catalogues
from tests.support.events import make_event
from tests.support.programs import make_program


def test_home_is_neutral_and_names_the_site(client):
    body = client.get("/").get_data(as_text=True)
    assert "<title>Welcome · Pathways</title>" in body
    assert 'href="/exit"' in body
    assert 'href="/safety"' in body
    assert 'href="/privacy"' in body
    assert "Skip to main content" in body
    for revealing in ("trafficking", "survivor", "abuse"):
        assert revealing not in body.lower()


@pytest.mark.parametrize("app_overrides", [{"SITE_NAME": "Garden Club"}])
def test_site_name_is_a_setting(client):
    body = client.get("/safety").get_data(as_text=True)
    assert "Garden Club" in body
    assert "Pathways" not in body


def test_quick_exit_link_comes_first_on_every_page(client):
    for path in ("/", "/safety", "/privacy", "/missing"):
        body = client.get(path).get_data(as_text=True)
        body_start = body.index("<body>")
        assert body.index('id="quick-exit"') < body.index('class="skip-link"')
        assert body.index('id="quick-exit"') - body_start < 200


def test_safety_page_lists_default_crisis_lines(client):
    body = client.get("/safety").get_data(as_text=True)
    assert "1-888-373-7888" in body
    assert "233733" in body
    assert "Quick exit" in body
    assert "history" in body
    assert "Private browsing" in body


@pytest.mark.parametrize(
    "app_overrides", [{"CRISIS_LINES": ("Local line|Call 0800 000 000|tel:0800000000",)}]
)
def test_crisis_lines_are_configurable(client):
    body = client.get("/safety").get_data(as_text=True)
    assert "Local line" in body
    assert 'href="tel:0800000000"' in body
    assert "1-888-373-7888" not in body


def test_privacy_page_lists_each_retention_period(client):
    body = client.get("/privacy").get_data(as_text=True)
    for fragment in ("548 days", "180 days", "30 days", "365 days", "90 days", "1 day after it"):
        assert fragment in body
    assert "IP address" in body


@pytest.mark.parametrize("app_overrides", [{"RETENTION_RSVP_DAYS": 7}])
def test_privacy_page_follows_the_settings(client):
    body = client.get("/privacy").get_data(as_text=True)
    assert "7 days after the end of the event" in body


def test_quick_exit_ends_the_session_and_leaves(client):
    with client.session_transaction() as session:
        session["something"] = "private"
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == "https://www.weather.com/"
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    with client.session_transaction() as session:
        assert "something" not in session


@pytest.mark.parametrize("app_overrides", [{"EXIT_URL": "https://news.example/"}])
def test_exit_destination_is_a_setting(client):
    assert client.get("/exit").headers["Location"] == "https://news.example/"


@pytest.fixture
def spanish_catalogue(tmp_path):
    """Write a tiny compiled Spanish catalogue, as a translator would add one."""
    spanish = {
        "Quick exit": "Salida rápida",
        "Skip to main content": "Saltar al contenido principal",
    }
    return write_catalogues(tmp_path / "translations", {"es": spanish})


@pytest.fixture
def app_overrides(request):
    """Let tests ask for a Spanish catalogue through the translation directories."""
    if "spanish_catalogue" in request.fixturenames:
        return {"BABEL_TRANSLATION_DIRECTORIES": request.getfixturevalue("spanish_catalogue")}
    return {}


def test_a_spanish_catalogue_needs_no_template_change(spanish_catalogue, client):
    body = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es">' in body
    assert "Salida rápida" in body
    english = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Quick exit" in english


def test_signed_in_home_shows_whats_next_and_nobody_elses(
    app, client, auth, clock, staff, member, other_member
):
    event = make_event(app, staff.id, now=clock(), title="Thursday circle")
    program = make_program(app, staff.id, now=clock(), title="Spring healing")
    other = app.test_client()
    auth.login(other_member, client=other)
    other.post(f"/events/{event.first}/rsvp")
    auth.login(member)
    body = client.get("/").get_data(as_text=True)
    assert "Nothing booked yet" in body
    assert "Thursday circle" not in body
    client.post(f"/events/{event.first}/rsvp")
    client.post(f"/programs/{program.id}/enroll")
    body = client.get("/").get_data(as_text=True)
    assert "Thursday circle" in body
    assert "Spring healing" in body
    assert other_member.pseudonym not in body


@pytest.mark.parametrize("path", ["/", "/privacy", "/stories", "/login", "/join"])
def test_public_pages_do_not_say_what_the_site_is_about(client, path):
    """A screen seen over a shoulder should not reveal what this community is.

    (/safety is the exception: it must name the crisis lines, which it is set up with.)
    """
    body = client.get(path).get_data(as_text=True).lower()
    for revealing in ("trafficking", "survivor", "abuse", "exploitation"):
        assert revealing not in body


def test_the_quick_exit_hint_names_both_keys_the_script_listens_for(client):
    # static/js/quick-exit.js leaves on Esc or Shift tapped three times.
    script = (Path(__file__).parent.parent / "static/js/quick-exit.js").read_text()
    assert '"Escape"' in script
    assert '"Shift"' in script
    page = client.get("/").get_data(as_text=True)
    hint = page.split('id="quick-exit-hint"', 1)[1].split("</span>", 1)[0]
    assert "Esc" in hint
    assert "Shift" in hint


# Each role's home points to its work, by the name of the page it leads to (issue 13's
# roles: mentors review stories and reports, staff run programs and events, admins both
# and the accounts); a member's home has no "Your work" at all.
WORK_LINKS = {
    "member": [],
    "mentor": [("/moderation", "Stories waiting for review")],
    "staff": [("/staff", "Staff tools")],
    "admin": [
        ("/moderation", "Stories waiting for review"),
        ("/staff", "Staff tools"),
        ("/admin", "Accounts and roles"),
    ],
}


@pytest.mark.parametrize("role", sorted(WORK_LINKS))
def test_a_signed_in_home_points_to_the_work_of_its_role(app, client, auth, role):
    account = make_account(app, f"home-{role}", role=role)
    auth.login(account)
    answer = client.get("/", follow_redirects=True)
    assert answer.request.path == "/"
    body = answer.get_data(as_text=True)
    work = re.search(r'<section aria-labelledby="h-work">(.*?)</section>', body, re.S)
    if not WORK_LINKS[role]:
        assert work is None
        assert "Your work" not in body
        return
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', work.group(1))
    assert links == WORK_LINKS[role]


def test_a_member_s_home_says_discreet_mode_exists_until_it_is_on(client, auth):
    # A member on a shared or watched phone learns, from the page they see most, that the
    # tab's title and the menu's count of new notices can be kept neutral (a newcomer's
    # find: only the safety page said so).
    member = make_account(client.application, "fern-shared-phone")
    auth.login(member)
    home = client.get("/").get_data(as_text=True)
    assert "Discreet mode gives this tab a plain title" in home
    assert 'href="/account#h-preferences"' in home
    client.post("/account/preferences", data={"locale": "", "timezone": "", "is_discreet": "y"})
    home = client.get("/").get_data(as_text=True)
    assert "<title>Notes</title>" in home
    assert "Discreet mode" not in home  # on: nothing on the page names it
