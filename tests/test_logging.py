"""No IP, user agent, referrer or query string ever reaches a log."""

import http.client
import secrets
import urllib.parse

import pytest

from tests.support.ceiling import CEILING_SECONDS
from tests.support.gunicorn import run_gunicorn

pytestmark = pytest.mark.gunicorn


def send(url: str, method: str, path: str, canary: str, body: str | None = None) -> int:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CEILING_SECONDS)
    headers = {
        "X-Forwarded-For": f"203.0.113.77, {canary}-xff",
        "X-Real-IP": "198.51.100.23",
        "User-Agent": f"Mozilla/5.0 {canary}-agent",
        "Referer": f"https://example.org/{canary}-referer",
        "Accept-Language": "en",
    }
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_production_server_logs_no_request_details(tmp_path, database_url):
    canary = "cnry" + secrets.token_hex(6)
    env = {
        "ADVOCACY_ENV": "production",
        "ADVOCACY_BASE_URL": "https://pathways.example.org",
        "ADVOCACY_SECRET_KEY": secrets.token_urlsafe(48),
        "ADVOCACY_DATABASE_URL": database_url,
        # The most talkative setting: even debug output must hold nothing identifying.
        "ADVOCACY_LOG_LEVEL": "debug",
    }
    with run_gunicorn(tmp_path, env) as server:
        statuses = [
            send(server.url, "GET", f"/?q={canary}-query", canary),
            send(server.url, "GET", f"/safety?token={canary}-query", canary),
            send(server.url, "GET", f"/missing?x={canary}-query", canary),
            send(server.url, "GET", f"/exit?from={canary}-query", canary),
            send(server.url, "POST", f"/?x={canary}-query", canary, body=f"a={canary}-body"),
            send(server.url, "GET", f"/healthz?{canary}-query", canary),
        ]
    assert statuses == [200, 200, 404, 303, 405, 200]
    logged = server.output() + "".join(
        path.read_text(errors="replace") for path in tmp_path.rglob("*.log")
    )
    # The capture works: gunicorn's own lines and the app's warning (requests carried
    # X-Forwarded-For with no proxy configured) are there, without the address.
    assert "Booting worker" in logged
    assert "X-Forwarded-For but ADVOCACY_PROXY_COUNT is 0" in logged
    assert canary not in logged
    for address in ("203.0.113.77", "198.51.100.23"):
        assert address not in logged
