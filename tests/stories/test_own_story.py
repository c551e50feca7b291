"""A mentor never moderates their own story (DESIGN §2 "never own", §3 Moderation), as a kind.

OWN_STORY_ACTIONS lists every moderation action: every POST endpoint that decides
something about a story for moderators, with every choice its form offers. One test
reads the url_map and the forms, so a new action or a new choice fails until it is
listed; the other sends each one as the story's own author, a mentor, and finds the
whole database unchanged, then sends it as an admin to show the request itself was good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.support.accounts import AuthActions
from tests.support.forms import choice_values, fields, form_classes
from tests.support.snapshots import differences, snapshot
from tests.support.stories import make_story


@dataclass(frozen=True)
class Action:
    """One moderation action on the mentor's own story.

    state: "pending" (awaiting review), "reported" (published, one open report),
    "published", or "stopped" (published, and its author stopped posting by an admin).
    """

    state: str
    endpoint: str
    path: str
    form: dict[str, str | list[str]]  # a list: a field sent once per value (checkboxes)


# Written out from the list authors choose from (stories/services.py WARNINGS).
EVERY_WARNING = [
    "violence",
    "sexual_violence",
    "substance_use",
    "self_harm",
    "court_police",
    "family",
    "exploitation",
]
REVIEW, REPORTS, POSTING = (
    "/moderation/stories/{id}",
    "/moderation/reports/{id}",
    "/moderation/stories/{id}/posting",
)
OWN_STORY_ACTIONS = [
    Action("pending", "moderation.review", REVIEW, {"decision": "approve", "note": ""}),
    Action("pending", "moderation.review", REVIEW, {"decision": "changes", "note": "Shorter."}),
    Action("pending", "moderation.review", REVIEW, {"decision": "decline", "note": "Not this."}),
    Action("reported", "moderation.reports", REPORTS, {"decision": "keep", "note": ""}),
    Action(
        "reported",
        "moderation.reports",
        REPORTS,
        {"decision": "warn", "warnings": EVERY_WARNING, "note": "Needs a warning."},
    ),
    Action("reported", "moderation.reports", REPORTS, {"decision": "changes", "note": "Blur."}),
    Action("reported", "moderation.reports", REPORTS, {"decision": "remove", "note": "A town."}),
    Action("published", "moderation.posting", POSTING, {"action": "stop", "days": "30"}),
    Action("stopped", "moderation.posting", POSTING, {"action": "lift"}),
]


def allowed_roles(view) -> tuple[str, ...] | None:
    """Return the roles role_required lets through, wherever it sits among the decorators."""
    while view is not None:
        if hasattr(view, "allowed_roles"):
            return view.allowed_roles
        view = getattr(view, "__wrapped__", None)
    return None


# A new mentor's "I've read this" under the moderation guide decides nothing about a story.
NOT_ON_A_STORY = frozenset({"moderation.guide"})


def moderation_actions(app: Flask) -> set[str]:
    """Every POST endpoint of moderation, and any other that acts on a story for a role
    members do not have (a moderator's action, wherever it is mounted)."""
    actions = set()
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        roles = allowed_roles(app.view_functions[rule.endpoint])
        on_a_story = "story_id" in rule.arguments and roles is not None and "member" not in roles
        if (rule.endpoint.startswith("moderation.") or on_a_story) and (
            rule.endpoint not in NOT_ON_A_STORY
        ):
            actions.add(rule.endpoint)
    return actions


def choices_offered(app: Flask, endpoint: str) -> set[tuple[str, str]]:
    """Return (field, value) for every choice the endpoint's forms offer."""
    return {
        (name, value)
        for form_class in form_classes(app.view_functions[endpoint])
        for name, field in fields(form_class).items()
        if "choices" in field.kwargs
        for value in choice_values(form_class, name)
    }


def test_every_moderation_action_and_choice_is_listed(app):
    listed = {action.endpoint for action in OWN_STORY_ACTIONS}
    actions = moderation_actions(app)
    assert actions == listed, f"add each moderation action to OWN_STORY_ACTIONS: {actions}"
    assert actions >= {"moderation.review", "moderation.reports", "moderation.posting"}
    for endpoint in actions:
        offered = choices_offered(app, endpoint)
        sent = {
            (name, value)
            for action in OWN_STORY_ACTIONS
            if action.endpoint == endpoint
            for name, values in action.form.items()
            for value in (values if isinstance(values, list) else [values])
        }
        assert offered, endpoint  # the finder reads the form's choices
        assert offered <= sent, f"send every choice of {endpoint}: {offered - sent}"


def own_story(
    app: Flask, action: Action, mentor_id: int, reporter_id: int, admin_id: int, *, now
) -> int:
    """Make the mentor's story in the action's state (decided by the admin); return its id."""
    reported = action.state == "reported"
    story_id = make_story(
        app,
        mentor_id,
        state="pending" if action.state == "pending" else "published",
        reporters=(reporter_id,) if reported else (),
        mentor_id=admin_id,
    )
    if action.state == "stopped":
        with app.app_context():
            author = db.session.get(Account, mentor_id)
            author.posting_stopped_until = now + timedelta(days=30)
            db.session.commit()
    return story_id


@pytest.mark.parametrize(
    "action",
    OWN_STORY_ACTIONS,
    ids=lambda a: f"{a.endpoint}-{a.form.get('decision') or a.form.get('action')}",
)
def test_no_moderation_action_on_ones_own_story(
    app, client, clock, mentor, other_member, admin, action
):
    story_id = own_story(app, action, mentor.id, other_member.id, admin.id, now=clock())
    path = action.path.format(id=story_id)
    AuthActions(app, client, clock).login(mentor)
    before = snapshot(app)
    response = client.post(path, data=action.form)
    assert response.status_code in (400, 403, 404)
    # Nothing at all changed: the story, its reports, the log, the author's standing, notices.
    assert differences(before, snapshot(app)) == {}
    # The same request from someone who may act on this story is carried out.
    moderator = app.test_client()
    AuthActions(app, moderator, clock).login(admin)
    done = moderator.post(path, data=action.form)
    assert done.status_code == 303, done.get_data(as_text=True)
    assert differences(before, snapshot(app)) != {}
