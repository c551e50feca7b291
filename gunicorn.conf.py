"""gunicorn settings for `make run` and production.

One worker with threads by default, so in-memory rate limits are exact. For
several workers or hosts, set ADVOCACY_WORKERS and point ADVOCACY_RATELIMIT_STORAGE
at Redis. No access log: it would hold client addresses, user agents and query
strings.
"""

import os

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


def on_starting(server) -> None:
    """Before workers fork (they inherit it): redact gunicorn's error log, and answer the
    requests it refuses itself (414, 431, 400) with the calm page and every safety header."""
    from advocacy.serving import install

    install(server)
