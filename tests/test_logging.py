"""No IP, user agent, referrer or query string ever reaches a log."""

import http.client
import logging
import secrets
import socket
import urllib.parse

import pytest

from advocacy.serving import RedactRequestDetails
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


def send_raw(url: str, request: bytes) -> http.client.HTTPResponse:
    """Send bytes as they are (malformed on purpose) and read gunicorn's answer."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), CEILING_SECONDS) as connection:
        connection.sendall(request)
        answer = http.client.HTTPResponse(connection)
        answer.begin()
        answer.body = answer.read()
        return answer


def malformed(canary: str) -> dict[str, tuple[bytes, int]]:
    """Requests gunicorn refuses before the app sees them, each carrying the canary:
    (raw request, status). Limits from gunicorn.conf.py: a request line of 4,094 bytes,
    60 header fields, 8,190 bytes a field."""
    end = b"Host: x\r\n\r\n"
    name = canary.encode()
    return {
        "request line too long": (b"GET /" + name + b"a" * 5000 + b" HTTP/1.1\r\n" + end, 414),
        "too many header fields": (
            b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: %s\r\n" % (n, name) for n in range(61)) + end,
            431,
        ),
        "header field too large": (
            b"GET / HTTP/1.1\r\nX-Note: " + name + b"b" * 9000 + b"\r\n" + end,
            431,
        ),
        "bad header name": (b"GET / HTTP/1.1\r\n" + name + b"(x): y\r\n" + end, 400),
        "bad method": (b"G(" + name + b" / HTTP/1.1\r\n" + end, 400),
        "bad version": (b"GET /" + name + b" HTTP/9." + name + b"\r\n" + end, 400),
    }


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
        refused = {
            kind: send_raw(server.url, request) for kind, (request, _) in malformed(canary).items()
        }
    assert statuses == [200, 200, 404, 303, 405, 200]
    # gunicorn's own refusals: the calm page with every safety header, never the text sent.
    for kind, (_, status) in malformed(canary).items():
        answer = refused[kind]
        assert answer.status == status, kind
        assert answer.getheader("Cache-Control") == "no-store", kind
        assert answer.getheader("Content-Security-Policy", "").startswith("default-src 'none'")
        assert answer.getheader("X-Content-Type-Options") == "nosniff", kind
        assert answer.getheader("Referrer-Policy") == "same-origin", kind
        assert b"This page can't be shown right now" in answer.body, kind
        assert canary.encode() not in answer.body, kind
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


@pytest.mark.parametrize(
    ("message", "args", "logged"),
    [
        ("Error handling request %s %s", ("GET", "/stories/cnry1"), "Error handling request"),
        (
            "Invalid request from ip=%s: %s",
            ("192.0.2.9", "Invalid header cnry1"),
            "Invalid request",
        ),
        ("Worker exiting (pid: %s) at 192.0.2.9/?cnry1", (12,), "Worker exiting (pid: 12) at "),
    ],
)
def test_gunicorn_messages_keep_their_kind_but_no_request_text(message, args, logged):
    record = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1, message, args, None)
    assert RedactRequestDetails().filter(record) is True
    shown = record.getMessage()
    assert shown.startswith(logged)
    assert "cnry1" not in shown
    assert "192.0.2.9" not in shown
