"""The error summary names each field with a problem and links to it (issue 18; WCAG 3.3.1
Error Identification, G139 "creating a mechanism that allows users to jump to errors").

It is announced as the page loads, with no script (role="alert"), and each link lands on
its own form's field: on the account page the recovery-code password, not another form's;
for a group of choices, its first option.
"""

from __future__ import annotations

import re
from datetime import timedelta

from tests.support.stories import make_story
from tests.test_page_ids import Ids, faults


def summary(page: str) -> list[tuple[str, str]]:
    """The summary's (href, link text) pairs; fails when the page has no alert summary."""
    match = re.search(r'<div class="[^"]*error-summary[^"]*" role="alert">(.*?)</div>', page, re.S)
    assert match, "no error summary with role=alert"
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', match.group(1))


def form_holding(page: str, element_id: str) -> str:
    """The action of the form an element lies in."""
    parsed = Ids()
    parsed.feed(page)
    index = parsed.form_of[element_id]
    assert index is not None, f"{element_id} lies in no form"
    return re.findall(r'<form[^>]*action="([^"]+)"', page)[index]


def test_the_account_page_links_to_the_recovery_codes_password(client, auth, member):
    auth.login(member)
    response = client.post("/account/recovery-codes", data={"password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert summary(page) == [("#codes-password", "Your password")]
    assert form_holding(page, "codes-password") == "/account/recovery-codes"
    assert '<label for="codes-password">' in page
    assert faults(page) == []


def test_every_field_marked_invalid_is_named_once_in_page_order(client, auth, member):
    auth.login(member)
    data = {"current_password": "", "password": "", "password_confirm": "other"}
    page = client.post("/account/password", data=data).get_data(as_text=True)
    invalid = re.findall(r'<input[^>]*aria-invalid="true"[^>]*>', page)
    ids = [re.search(r' id="([^"]+)"', tag).group(1) for tag in invalid]
    assert len(ids) >= 2
    assert [href for href, _ in summary(page)] == [f"#{i}" for i in ids]
    assert faults(page) == []


def test_a_group_of_choices_is_reached_at_its_first_option(app, client, auth, member, clock):
    story_id = make_story(app, member.id)
    auth.login(member)
    yesterday = (clock() - timedelta(days=1)).date().isoformat()
    data = {"audience": "everyone-ever", "byline": "pseudonym", "unpublish_on": yesterday}
    response = client.post(f"/stories/{story_id}/sharing", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    hrefs = [href for href, _ in summary(page)]
    assert hrefs[0] == "#sharing-audience-0"
    assert form_holding(page, "sharing-audience-0") == f"/stories/{story_id}/sharing"
    assert faults(page) == []


def test_a_page_without_problems_has_no_summary(client, auth, member):
    auth.login(member)
    page = client.get("/account").get_data(as_text=True)
    assert "error-summary" not in page
    assert 'role="alert"' not in page
