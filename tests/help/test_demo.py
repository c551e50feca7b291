"""flask seed-demo fills the help library (issue 16): a dozen resources or more, on every
topic, in more than one language, for visitors and for members; outside links are https;
no phone number is written into a resource (the crisis lines come from the settings)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from advocacy.extensions import db
from advocacy.help.models import Resource
from tests.support.accounts import make_account

TOPICS = {"legal", "housing", "health", "safety", "work_study", "peer_support"}
# Seven or more digits, whatever separates them: how a phone number is written.
PHONE_NUMBER = re.compile(r"(?:\d[\s().-]*){7,}")


def test_seed_demo_fills_the_library(app, runner, auth):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        resources = list(db.session.scalars(select(Resource)))
        db.session.expunge_all()
    assert len(resources) >= 12
    assert {r.category for r in resources} == TOPICS
    assert {r.language for r in resources} >= {"en", "es"}
    assert {r.is_public for r in resources} == {True, False}
    assert any(r.body and r.outside_url for r in resources)
    assert any(r.outside_url and not r.body for r in resources)
    titles = " ".join(r.title.lower() for r in resources)
    for subject in ("convictions", "t visa", "housing", "health", "safety plan"):
        assert subject in titles, subject
    for resource in resources:
        written = f"{resource.title} {resource.summary} {resource.body}"
        assert not PHONE_NUMBER.search(written), resource.title
        if resource.outside_url:
            assert urlsplit(resource.outside_url).scheme == "https", resource.outside_url
        assert "](http:" not in resource.body, resource.title

    visitor = app.test_client()
    shown = visitor.get("/help").get_data(as_text=True)
    assert shown.count('class="resource-title"') == 10  # a full first page
    member = make_account(app, "demo-reader")
    auth.login(member)
    for resource in resources:
        assert auth.client.get(f"/help/{resource.id}").status_code == 200, resource.title
        if resource.outside_url:
            assert auth.client.get(f"/help/{resource.id}/leave").status_code == 200
