"""Every step that checks a secret is throttled, as a kind (the table: tests/support/throttles.py).

One test walks each row with the limits production runs with; another reads every POST
endpoint's forms so that a step taking a password or a code cannot be added without a
row, that is, without a throttle the walk has seen work.
"""

from __future__ import annotations

import html

import pytest

from advocacy.config import Config
from tests.support.forms import post_endpoints, secret_fields
from tests.support.headers import assert_not_cached, assert_safety_headers
from tests.support.snapshots import differences, snapshot
from tests.support.throttles import NOT_GUESSABLE, THROTTLED, Scene, Throttled

# TestConfig loosens every limit for the rest of the suite; here they are production's.
PRODUCTION_LIMITS = {
    name: value for name, value in vars(Config).items() if name.startswith("LIMIT_")
}


@pytest.fixture
def app_overrides() -> dict:
    return PRODUCTION_LIMITS


def page(response) -> str:
    """The page as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("step", THROTTLED, ids=lambda step: step.name)
def test_a_secret_step_refuses_the_try_after_its_limit(app, clock, step: Throttled):
    scene = Scene(app, clock, app.test_client())
    reached = step.reach(scene)
    for attempt in range(1, step.limit + 1):
        answer = scene.browser.post(step.path, data=reached.wrong)
        assert (attempt, answer.status_code) == (attempt, step.refusal)
        assert step.says in page(answer)
    refused = scene.browser.post(step.path, data=reached.wrong)
    assert refused.status_code == 429
    assert f"Please try again in about {step.wait}." in page(refused)
    assert step.says not in page(refused)  # not checked, so not judged
    assert_safety_headers(refused)
    assert_not_cached(refused)
    before = snapshot(app)
    for right in reached.right:
        answer = scene.browser.post(step.path, data=right.form)
        assert answer.status_code == right.status, right
        if right.status == 429:
            # Refused unchecked: nothing happened (no sign-in, no change, no deletion).
            assert differences(before, snapshot(app)) == {}, right
        else:
            assert answer.headers["Location"] == right.location


def test_every_step_that_takes_a_password_or_code_is_in_the_table(app):
    takes_secret = {endpoint for endpoint in post_endpoints(app) if secret_fields(app, endpoint)}
    in_table = {step.endpoint for step in THROTTLED}
    missing = takes_secret - in_table - NOT_GUESSABLE.keys()
    assert not missing, f"throttle these and add them to tests/support/throttles.py: {missing}"
    assert not NOT_GUESSABLE.keys() & in_table
    assert NOT_GUESSABLE.keys() <= takes_secret
    # The finder itself sees every step the table knows, and the field each row guesses.
    for step in THROTTLED:
        assert step.guesses in secret_fields(app, step.endpoint), step.name


def test_each_row_posts_to_its_endpoint(app):
    adapter = app.url_map.bind("localhost")
    for step in THROTTLED:
        assert adapter.match(step.path, method="POST")[0] == step.endpoint, step.name
