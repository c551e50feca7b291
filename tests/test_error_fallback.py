"""An error page that cannot fail: when the page itself can't be rendered, a static one goes out.

Rule (the hardening issue): whatever breaks while the error page is rendered (a template
error, the database gone in a context processor or the account loader), the visitor still
gets the status of the original error, a calm static page with no traceback or exception
text, every safety header (DESIGN §5, written out in tests/support/headers.py) and
`Cache-Control: no-store`.
"""

from __future__ import annotations

import pytest
from jinja2 import TemplateError
from sqlalchemy.exc import OperationalError

from advocacy import errors
from advocacy.extensions import login_manager
from advocacy.notices import unread
from tests.support.headers import assert_not_cached, assert_safety_headers

CALM_TITLE = "This page can't be shown right now"
CALM_TEXT = "It isn't anything you did. Please go back, or try again in a few minutes."
LEAKS = (
    "Traceback",
    "secret detail",
    "RuntimeError",
    "TemplateError",
    "OperationalError",
    "Werkzeug",
    "SELECT",
    "jinja",
)


@pytest.fixture
def failing_app(app):
    """Errors handled as in production, and a route that fails."""
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/test-boom")
    def boom():
        raise RuntimeError("secret detail from the stack")

    return app


def database_gone(*_args, **_kwargs):
    raise OperationalError("SELECT secret detail", {}, ConnectionRefusedError())


def template_broken(*_args, **_kwargs):
    raise TemplateError("secret detail in the template")


def assert_calm_static_page(response, status):
    assert response.status_code == status
    assert response.content_type == "text/html; charset=utf-8"
    assert_safety_headers(response)
    assert_not_cached(response)
    body = response.get_data(as_text=True)
    assert CALM_TITLE in body
    assert CALM_TEXT in body
    assert 'href="/exit"' in body  # quick exit, even here
    for leak in LEAKS:
        assert leak not in body


@pytest.mark.parametrize(("path", "status"), [("/no-such-page", 404), ("/test-boom", 500)])
def test_a_broken_error_template_still_gives_the_calm_static_page(
    failing_app, monkeypatch, caplog, path, status
):
    monkeypatch.setattr(errors, "render_template", template_broken)
    response = failing_app.test_client().get(path)
    assert_calm_static_page(response, status)
    assert "TemplateError" in caplog.text  # the operator sees what broke, in the log


def test_the_database_gone_while_the_500_page_renders(failing_app, monkeypatch, auth, member):
    """Signed in, so the page asks the database for the unread count: it is gone by then."""
    client = failing_app.test_client()
    auth.login(member, client=client)
    assert client.get("/").status_code == 200  # the count was read fine before
    monkeypatch.setattr(unread, "unread_count", database_gone)
    response = client.get("/test-boom")
    assert_calm_static_page(response, 500)


def test_the_account_loader_failing_still_gives_the_calm_static_page(
    failing_app, monkeypatch, auth, member
):
    """The database is down: the signed-in account cannot be loaded for the request, nor
    for the 503 page that says so (it loads the account again for the language)."""
    client = failing_app.test_client()
    auth.login(member, client=client)
    monkeypatch.setattr(login_manager, "_user_callback", database_gone)
    response = client.get("/")
    assert_calm_static_page(response, 503)


def test_the_normal_error_page_is_used_while_it_works(failing_app):
    response = failing_app.test_client().get("/no-such-page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "find that page" in body
    assert CALM_TITLE not in body
