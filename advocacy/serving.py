"""What gunicorn itself says and logs, for requests it refuses before the app sees them.

gunicorn answers a malformed request (a request line over limit_request_line: 414; too
many or too large header fields: 431; a bad method, version or header name: 400) with
its own page, which echoes the offending text and has none of our headers, and logs
the request line or header text. Here, installed by gunicorn.conf.py before workers
fork: the static calm page with every safety header and `no-store`, and log lines that
keep the kind of problem but never the request's text, address or query string.
"""

from __future__ import annotations

import logging
import re
import socket

from gunicorn import util

from advocacy.errors import STATIC_PAGE
from advocacy.security import NO_CACHING, SECURITY_HEADERS

ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\b")
QUERY = re.compile(r"\?\S*")
# gunicorn's messages that carry request text after their fixed start (workers/base.py).
TEXT_AFTER = ("Invalid request from", "Error handling request")


class RedactRequestDetails(logging.Filter):
    """Cut request text from gunicorn's error log: addresses, query strings, and all
    that follows "Invalid request from" or "Error handling request" (a request line,
    a header's name or value, a path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for start in TEXT_AFTER:
            if message.startswith(start):
                message = f"{start.removesuffix(' from')} (its text is not logged)"
                if record.exc_info and record.exc_info[0]:
                    # A traceback's last line repeats the error's text: keep its class only.
                    message += f": {record.exc_info[0].__name__}"
                record.exc_info, record.exc_text = None, None
        record.msg = QUERY.sub("?…", ADDRESS.sub("[address]", message))
        record.args = ()
        return True


def write_calm_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """Replace gunicorn.util.write_error: the static calm page, safety headers, no-store.

    `mesg` (gunicorn's description, holding the request's text) is never sent.
    """
    body = STATIC_PAGE.encode()
    headers = {
        "Connection": "close",
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": str(len(body)),
        **SECURITY_HEADERS,
        **NO_CACHING,
    }
    head = [f"HTTP/1.1 {status_int} {reason}", *(f"{k}: {v}" for k, v in headers.items())]
    util.write_nonblock(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)


def install(server) -> None:
    """gunicorn's on_starting hook: redact its error log and answer refusals calmly."""
    server.log.error_log.addFilter(RedactRequestDetails())
    util.write_error = write_calm_error
