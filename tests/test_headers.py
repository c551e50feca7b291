"""Every response carries the safety headers; private pages are never cached."""

import pytest
from flask import request
from sqlalchemy.exc import OperationalError

from advocacy.extensions import db
from tests.support.headers import assert_not_cached, assert_safety_headers


@pytest.fixture
def app_with_test_routes(app):
    """Add a route that fails (to see the 500 page) and one that reads a form."""
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/test-boom")
    def boom():
        raise RuntimeError("secret detail from the stack")

    @app.post("/test-form")
    def form():
        return str(len(request.form))

    @app.get("/test-file")
    def file_with_validators():
        response = app.make_response("a private file")
        response.set_etag("v1")
        response.headers["Last-Modified"] = "Sun, 29 Nov 2026 10:00:00 GMT"
        return response

    @app.get("/test-database-down")
    def database_down():
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError())

    return app


def test_html_page_has_every_header(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert_safety_headers(response)
    assert_not_cached(response)


def test_a_private_file_loses_its_validators(app_with_test_routes):
    response = app_with_test_routes.test_client().get("/test-file")
    assert response.get_data(as_text=True) == "a private file"
    assert_safety_headers(response)
    assert_not_cached(response)


def test_static_file_has_every_header(client):
    with client.get("/static/css/site.css") as response:
        assert response.status_code == 200
        assert response.content_type.startswith("text/css")
        assert_safety_headers(response)
        # Our CSS reveals nothing: the browser may keep it an hour, privately.
        assert response.headers["Cache-Control"] == "private, max-age=3600"


def test_a_missing_static_file_is_not_cached(client):
    response = client.get("/static/css/no-such-file.css")
    assert response.status_code == 404
    assert_not_cached(response)


def test_redirect_has_every_header(client):
    response = client.get("/exit")
    assert response.status_code == 303
    assert_safety_headers(response)
    assert_not_cached(response)


def test_not_found_has_every_header_and_calm_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert_safety_headers(response)
    assert_not_cached(response)
    assert "find that page" in response.get_data(as_text=True)
    assert b"Quick exit" in response.data


def test_server_error_has_every_header_and_no_traceback(app_with_test_routes, caplog):
    client = app_with_test_routes.test_client()
    response = client.get("/test-boom")
    assert response.status_code == 500
    assert_safety_headers(response)
    assert_not_cached(response)
    body = response.get_data(as_text=True)
    assert "Something went wrong on our side" in body
    for leak in ("Traceback", "secret detail", "RuntimeError", "Werkzeug"):
        assert leak not in body
    assert "secret detail" in caplog.text  # the operator still sees it in the log


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("TRACE", "/", 405), ("DELETE", "/safety", 405), ("GET", "/.git/HEAD", 404)],
)
def test_odd_requests_get_calm_errors(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert_safety_headers(response)
    assert_not_cached(response)
    assert b"<main" in response.data


def test_too_large_request_is_refused(app_with_test_routes):
    client = app_with_test_routes.test_client()
    response = client.post("/test-form", data={"text": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert_safety_headers(response)
    assert_not_cached(response)
    assert b"too large" in response.data


def test_database_down_page_has_every_header(app_with_test_routes):
    response = app_with_test_routes.test_client().get("/test-database-down")
    assert response.status_code == 503
    assert_safety_headers(response)
    assert_not_cached(response)
    assert "briefly unavailable" in response.get_data(as_text=True)


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_expired_form_page_has_every_header(client):
    """The CSRF refusal of every POST route is checked in tests/test_csrf.py; this is one."""
    response = client.post("/login", data={"pseudonym": "someone", "password": "x" * 15})
    assert response.status_code == 400
    assert_safety_headers(response)
    assert_not_cached(response)
    assert "This form had expired" in response.get_data(as_text=True)


# 429 pages, of every throttled step: tests/test_throttles.py. 403, 404 and redirects, to
# every role on every route: tests/test_access.py.


def test_no_cross_origin_access(client):
    response = client.get("/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_healthz_reports_database_without_personal_data(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    # The purge's state in one word: tests/privacy/test_purge_heartbeat.py.
    assert response.get_json() == {"status": "ok", "purge": "never", "limiter": "ok"}
    assert_not_cached(response)


def test_healthz_says_unavailable_when_database_is_down(client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_healthz_stays_up_when_only_the_purge_record_cannot_be_read(client, monkeypatch):
    # New code before `flask db upgrade`: the pages work, so the host stays in service.
    from advocacy.pages import views

    def unreadable(_now):
        raise RuntimeError("no such table: purge_runs")

    monkeypatch.setattr(views.privacy, "last_purge", unreadable)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "purge": "unknown", "limiter": "ok"}
