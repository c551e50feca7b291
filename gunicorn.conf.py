"""gunicorn settings for `make run` and production.

One worker with threads by default, so in-memory rate limits are exact. For
several workers or hosts, set ADVOCACY_WORKERS and point ADVOCACY_RATELIMIT_STORAGE
at Redis. No access log: it would hold client addresses, user agents and query
strings.
"""

import logging
import os
import re

bind = os.environ.get("ADVOCACY_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("ADVOCACY_WORKERS", "1"))
threads = int(os.environ.get("ADVOCACY_THREADS", "4"))
worker_class = os.environ.get("ADVOCACY_WORKER_CLASS", "gthread")
timeout = 30
graceful_timeout = 20
accesslog = None  # never log requests: addresses, agents, referrers and queries stay out
errorlog = "-"
loglevel = os.environ.get("ADVOCACY_LOG_LEVEL", "warning")
capture_output = False
# No runtime control socket: nothing outside the process manager should steer workers.
control_socket_disable = True
# Bound what one request can make the server read.
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190

_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\b")
_QUERY = re.compile(r"\?\S*")


class RedactRequestDetails(logging.Filter):
    """Strip addresses and query strings from gunicorn's own error messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = _QUERY.sub("?…", _ADDRESS.sub("[address]", message))
        record.args = ()
        return True


def on_starting(server) -> None:
    """Install the redaction filter before workers fork, so they inherit it."""
    server.log.error_log.addFilter(RedactRequestDetails())
