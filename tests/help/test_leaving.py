"""Outside links never open straight from our pages (issue 16): a resource's outside link
and every link in its text lead to a page of ours that says the reader leaves the site and
that quick exit can't follow, shows the whole address, and then links there with
rel="noreferrer noopener" under the site's Referrer-Policy (same-origin)."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest

from tests.support.headers import assert_not_cached, assert_safety_headers
from tests.support.help import make_resource

OUTSIDE = "https://www.uscis.gov/humanitarian/victims-of-human-trafficking-t-nonimmigrant-status"
BODY = (
    "Read [the form's page](https://www.uscis.gov/i-914?lang=en&print=1) first, "
    "then *call* [a clinic](https://clinic.example.org/find)."
)
HREF = re.compile(r'href="([^"]*)"')


def main_of(response) -> str:
    page = response.get_data(as_text=True)
    return page[page.index("<main") : page.index("</main>")]


def addresses(fragment: str) -> list[str]:
    return [html.unescape(href) for href in HREF.findall(fragment)]


@pytest.fixture
def resource(app) -> int:
    return make_resource(app, title="T visa basics", body=BODY, outside_url=OUTSIDE)


def test_a_resource_page_links_to_no_other_site(client, resource):
    response = client.get(f"/help/{resource}")
    links = addresses(main_of(response))
    assert links, "the page has links"
    assert all(link.startswith("/") and not link.startswith("//") for link in links), links
    assert f"/help/{resource}/leave" in links
    assert f"/help/{resource}/leave?link=1" in links
    assert f"/help/{resource}/leave?link=2" in links
    assert "uscis.gov/i-914" not in response.get_data(as_text=True)
    assert "<em>call</em>" in main_of(response)  # the text's Markdown is rendered


@pytest.mark.parametrize(
    ("query", "address", "host"),
    [
        ("", OUTSIDE, "www.uscis.gov"),
        ("?link=1", "https://www.uscis.gov/i-914?lang=en&print=1", "www.uscis.gov"),
        ("?link=2", "https://clinic.example.org/find", "clinic.example.org"),
    ],
)
def test_the_leaving_page_says_so_and_shows_the_whole_address(
    client, resource, query, address, host
):
    response = client.get(f"/help/{resource}/leave{query}")
    assert response.status_code == 200
    assert_safety_headers(response)
    assert_not_cached(response)
    assert response.headers["Referrer-Policy"] == "same-origin"
    main = main_of(response)
    text = html.unescape(re.sub(r"<[^>]+>", " ", main))
    assert "You are about to leave this site" in text
    assert "Quick exit button can't follow you there" in text
    assert address in text  # the whole address, as text
    assert host in text
    (going,) = re.findall(r"<a [^>]*rel=[^>]*>", main)
    assert f'href="{html.escape(address)}"' in going
    assert 'rel="noreferrer noopener"' in going
    assert "target=" not in going  # in this tab: no second window quick exit leaves behind
    outside = [a for a in addresses(main) if urlsplit(a).scheme]
    assert outside == [address]


@pytest.mark.parametrize("query", ["?link=0", "?link=3", "?link=x", "?link=", "?link=%D9%A3"])
def test_a_link_the_text_does_not_have_is_not_found(client, resource, query):
    assert client.get(f"/help/{resource}/leave{query}").status_code == 404


def test_a_page_of_our_own_has_no_outside_link_to_leave_by(app, client):
    ours = make_resource(app, body="Plain words, no link.")
    assert client.get(f"/help/{ours}/leave").status_code == 404
    assert f"/help/{ours}/leave" not in client.get(f"/help/{ours}").get_data(as_text=True)


def test_a_resource_that_is_only_a_link_goes_through_the_leaving_page(app, client):
    link = make_resource(app, body="", outside_url="https://findahealthcenter.hrsa.gov/")
    page = main_of(client.get(f"/help/{link}"))
    assert "findahealthcenter.hrsa.gov" in page  # named, to decide by
    assert "https://findahealthcenter" not in "".join(addresses(page))
    assert client.get(f"/help/{link}/leave").status_code == 200


def test_markup_in_a_text_is_never_run(app, client):
    risky = make_resource(
        app,
        body="<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    page = main_of(client.get(f"/help/{risky}"))
    assert "<script" not in page
    assert "<img" not in page
    assert all(not link.startswith("javascript") for link in addresses(page))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as the words it is
