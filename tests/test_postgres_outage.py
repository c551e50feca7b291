"""PostgreSQL stopped and started again under a running app: a calm 503, then recovery.

Rule (the hardening issue, item 4): with PostgreSQL stopped, pages answer a calm 503
(never a 500 or a traceback) with every safety header (DESIGN §5, written out in
tests/support/headers.py) and `Cache-Control: no-store`; /healthz answers 503
`{"status": "unavailable"}`; the log says the database was unavailable without its
address or password; and when PostgreSQL is back the app works again by itself, from
the first request after the server answers, without a restart.

The server is real: a throwaway cluster this module owns (tests/support/cluster.py),
started and stopped here. Marked sqlite_only, not because it is about SQLite, but so the
PostgreSQL pass does not run it a second time: it never touches the shared test database.
"""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from advocacy import create_app
from advocacy.extensions import db
from tests.conftest import make_config, migrate_database
from tests.support.accounts import make_account
from tests.support.cluster import Cluster, why_not_available
from tests.support.headers import assert_not_cached, assert_safety_headers
from tests.support.postgres import ensure_database

NO_CLUSTER = why_not_available()
pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(NO_CLUSTER is not None, reason=f"no PostgreSQL of its own: {NO_CLUSTER}"),
]

# With trust authentication the server never asks for it: it is in the URL only so the
# test can see that it reaches no log.
SECRET = "outage-canary-password-7d1f"
DATABASE = "advocacy_outage_canary"
PAGES = ("/", "/events", "/stories", "/account")
PASSWORD = "quiet river lantern morning"
# The 503 page for "the database cannot be reached" (errors.MESSAGES, as the rule says
# it), and the static page sent when even that page cannot be rendered: signed in, it
# loads the account for the language, from the database that is gone
# (tests/test_error_fallback.py).
UNAVAILABLE_PAGE = "The site can't reach its data right now. Please try again in a few minutes."
STATIC_PAGE = "It isn't anything you did. Please go back, or try again in a few minutes."
LEAKS = ("Traceback", "OperationalError", "psycopg", "Connection refused", "127.0.0.1")


@pytest.fixture(scope="module")
def owned_cluster():
    """A cluster of this module's own, always stopped and deleted at the end."""
    server = Cluster()
    try:
        server.create()
        yield server
    finally:
        server.remove()


@pytest.fixture
def cluster(owned_cluster) -> Cluster:
    """The module's cluster, started again if a failed test left it stopped."""
    if not owned_cluster.ready():
        owned_cluster.start()
    return owned_cluster


@pytest.fixture(scope="module")
def outage_url(owned_cluster) -> str:
    port = owned_cluster.port
    url = make_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}")
    url = url.set(password=SECRET).render_as_string(hide_password=False)
    ensure_database(url)
    migrate_database(url)
    return url


@pytest.fixture
def outage_app(outage_url):
    app = create_app(make_config(outage_url))
    # Errors handled as in production: a failure answers a page, it is not raised.
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    yield app
    with app.app_context():
        db.engine.dispose()


def sign_in(client, pseudonym: str) -> int:
    data = {"pseudonym": pseudonym, "password": PASSWORD}
    return client.post("/login", data=data).status_code


def where(cluster) -> tuple[str, ...]:
    """How the database's address and password would show if written out (a bare port
    number could match the crisis lines' digits by chance)."""
    return (SECRET, DATABASE, "127.0.0.1", f":{cluster.port}", f"port {cluster.port}")


def assert_calm_503(response, calm_text, cluster):
    assert response.status_code == 503
    assert_safety_headers(response)
    assert_not_cached(response)
    body = response.get_data(as_text=True)
    assert calm_text in body
    assert 'href="/exit"' in body  # quick exit, even here
    for leak in (*LEAKS, *where(cluster)):
        assert leak not in body


def test_a_quiet_database_restart_is_not_noticed(cluster, outage_app):
    """Restarted while no request ran: the pooled connection is dead, and the first
    request after the server is back must not be the one that finds out (a 503)."""
    make_account(outage_app, "cedar-member", password=PASSWORD)
    client = outage_app.test_client()
    assert sign_in(client, "cedar-member") == 303
    assert client.get("/account").status_code == 200  # a pooled connection now exists
    cluster.stop()
    cluster.start()  # returns once pg_isready says the server accepts connections
    assert client.get("/account").status_code == 200
    assert client.get("/healthz").get_json() == {"status": "ok", "purge": "never", "limiter": "ok"}


def test_pages_answer_a_calm_503_while_the_database_is_down_then_recover(
    cluster, outage_app, caplog
):
    make_account(outage_app, "river-member", password=PASSWORD)
    member = outage_app.test_client()
    visitor = outage_app.test_client()
    assert sign_in(member, "river-member") == 303
    for path in PAGES:
        assert member.get(path).status_code == 200, path
    cluster.stop()

    for path in PAGES:
        assert_calm_503(member.get(path), STATIC_PAGE, cluster)
    # Signed out, the home page needs no data: it (and its quick exit) still works.
    assert visitor.get("/").status_code == 200
    assert_calm_503(visitor.get("/stories"), UNAVAILABLE_PAGE, cluster)
    data = {"pseudonym": "river-member", "password": PASSWORD}
    assert_calm_503(visitor.post("/login", data=data), UNAVAILABLE_PAGE, cluster)
    health = visitor.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable"}
    assert_not_cached(health)

    for secret in (*where(cluster), PASSWORD):
        assert secret not in caplog.text
    assert "database unavailable: OperationalError" in caplog.text  # the operator knows

    cluster.start()  # same data directory, same port; returns once pg_isready answers
    assert member.get("/account").status_code == 200  # the first request after: no restart
    for path in PAGES:
        assert member.get(path).status_code == 200, path
    assert sign_in(visitor, "river-member") == 303
    health = visitor.get("/healthz")
    assert health.status_code == 200
    assert health.get_json() == {"status": "ok", "purge": "never", "limiter": "ok"}
