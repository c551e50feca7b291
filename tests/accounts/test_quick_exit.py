"""Quick exit: from the site itself it ends every session; from elsewhere, this browser only.

Another site can link to /exit (or load it as an image); that must not sign a member
out on every device. Whatever the headers say, the exit always leaves.
"""

import pytest

from tests.support.accounts import load_account

EXIT_URL = "https://www.weather.com/"  # Config.EXIT_URL

FROM_THE_SITE = {
    "fetch same-origin": {"Sec-Fetch-Site": "same-origin"},
    "referer same origin": {"Referer": "http://localhost/stories"},
    "fetch wins over a foreign referer": {
        "Sec-Fetch-Site": "same-origin",
        "Referer": "https://elsewhere.example/",
    },
}
FROM_ELSEWHERE = {
    "fetch cross-site": {"Sec-Fetch-Site": "cross-site"},
    "fetch same-site (another subdomain)": {"Sec-Fetch-Site": "same-site"},
    "fetch none (typed or bookmarked)": {"Sec-Fetch-Site": "none"},
    "fetch wins over our own referer": {
        "Sec-Fetch-Site": "cross-site",
        "Referer": "http://localhost/stories",
    },
    "no headers at all": {},
    "referer of another site": {"Referer": "https://elsewhere.example/exit"},
    "referer of another port": {"Referer": "http://localhost:8080/"},
    "referer of another scheme": {"Referer": "https://localhost/"},
    "malformed referer": {"Referer": "http://["},
}


def exit_with(client, headers):
    response = client.get("/exit", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"] == EXIT_URL
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    return response


@pytest.mark.parametrize("headers", FROM_THE_SITE.values(), ids=FROM_THE_SITE.keys())
def test_exit_from_the_site_ends_every_session(app, client, auth, member, headers):
    other_device = app.test_client()
    auth.login(member, client=other_device)
    auth.login(member)
    token = load_account(app, member.id).session_token
    exit_with(client, headers)
    assert client.get("/account").status_code == 302
    assert other_device.get("/account").status_code == 302
    assert load_account(app, member.id).session_token != token


@pytest.mark.parametrize("headers", FROM_ELSEWHERE.values(), ids=FROM_ELSEWHERE.keys())
def test_exit_from_elsewhere_ends_only_this_browser(app, client, auth, member, headers):
    other_device = app.test_client()
    auth.login(member, client=other_device)
    auth.login(member)
    token = load_account(app, member.id).session_token
    exit_with(client, headers)
    assert client.get("/account").status_code == 302  # this browser is signed out
    assert other_device.get("/account").status_code == 200  # the other device is not
    assert load_account(app, member.id).session_token == token


@pytest.mark.parametrize("headers", [{}, {"Sec-Fetch-Site": "same-origin"}])
def test_exit_without_a_session_still_leaves(client, headers):
    exit_with(client, headers)


@pytest.mark.parametrize(
    "odd", ["/exit?x=%00", "/exit?x=%FF", "/exit?x=%C2%85"], ids=["nul", "not utf-8", "C1"]
)
def test_quick_exit_works_whatever_comes_with_it(client, odd):
    # Every other route refuses such a request (advocacy/edge.py); leaving never fails.
    response = client.get(odd, headers={"Referer": "http://["})
    assert response.status_code == 303
    assert response.headers["Location"] == EXIT_URL
