"""Requests: signing in through the real /login form, one-off page checks, and the load
itself (wrk with bench/wrk.lua), with the workers' CPU time read around it.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from advocacy import bench_seed
from bench.servers import CEILING_SECONDS, Server, cpu_seconds

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
CSRF_FIELD = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*\bvalue="([^"]*)"')
SIGNED_IN_MARK = 'action="/logout"'  # the sign-out form every signed-in page carries


class PageProblem(Exception):
    """A page did not answer as a measurement needs (the message says how)."""


@dataclass(frozen=True)
class Answer:
    """One response: status, Set-Cookie pairs and body."""

    status: int
    cookies: dict[str, str]
    body: str
    location: str


@dataclass(frozen=True)
class Measured:
    """One wrk run against one server: what it did and what the workers spent."""

    requests: int
    seconds: float
    p99_ms: float
    cpu_seconds: float
    not_ok: int  # answers other than 200
    socket_errors: int  # connect, read, write errors and timeouts
    workers_changed: bool

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu_seconds / self.requests if self.requests else float("nan")


def request(
    server: Server,
    path: str,
    *,
    language: str,
    cookie: str = "",
    form: dict[str, str] | None = None,
) -> Answer:
    """Send one GET (or, with `form`, a POST) and return the answer."""
    parts = urllib.parse.urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CEILING_SECONDS)
    headers = {"Accept-Language": language}
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request("POST" if form is not None else "GET", path, body, headers)
        response = connection.getresponse()
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        text = response.read().decode("utf-8", errors="replace")
        return Answer(response.status, cookies, text, response.headers.get("Location", ""))
    finally:
        connection.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def sign_in(server: Server, pseudonym: str, password: str, *, language: str) -> str:
    """Sign in through /login as a browser would (its CSRF token, its cookie), then open
    the page it leads to and keep the cookie that page gives (the session's CSRF secret,
    made for the first form shown): return the Cookie header a browser would then send on
    every page, or PageProblem. wrk sends one Cookie all along and never takes a new one:
    the cookie of the sign-in alone would have every page write the session again."""
    page = request(server, "/login", language=language)
    token = CSRF_FIELD.search(page.body)
    if page.status != 200 or token is None:
        raise PageProblem(f"/login answered {page.status} without a form to sign in with.")
    form = {"csrf_token": token.group(1), "pseudonym": pseudonym, "password": password}
    answer = request(
        server, "/login", language=language, cookie=cookie_header(page.cookies), form=form
    )
    if answer.status not in (302, 303) or not answer.cookies:
        raise PageProblem(
            f"Signing in as {pseudonym} answered {answer.status}, not a redirect with a new "
            "session: is the password the seed's (ADVOCACY_BENCH_PASSWORD)?"
        )
    cookies = answer.cookies
    landing = request(
        server, urllib.parse.urlsplit(answer.location).path or "/", language=language,
        cookie=cookie_header(cookies),
    )  # fmt: skip
    return cookie_header({**cookies, **landing.cookies})


def password() -> str:
    """Return the benchmark accounts' password (as `flask seed-bench` set it)."""
    return os.environ.get("ADVOCACY_BENCH_PASSWORD") or bench_seed.DEFAULT_PASSWORD


def sign_in_reader(server: Server, *, language: str) -> str:
    """Sign in as the first reader the seed made (sign_in); return the Cookie header."""
    return sign_in(server, bench_seed.reader_pseudonyms()[0], password(), language=language)


def check_page(server: Server, path: str, *, language: str, cookie: str) -> int:
    """Fetch a page as the load will; return its size in bytes, or PageProblem when it is
    not a 200, or (for the product) not signed in or out as asked."""
    answer = request(server, path, language=language, cookie=cookie)
    if answer.status != 200:
        raise PageProblem(f"{server.name} {path} answered {answer.status} {answer.location}")
    if server.is_product and (SIGNED_IN_MARK in answer.body) != bool(cookie):
        state = "signed in" if cookie else "signed out"
        raise PageProblem(f"product {path} was not {state} as the benchmark asked.")
    return len(answer.body.encode())


def wrk_path() -> str | None:
    """Return wrk's path, or None when it is not installed."""
    return shutil.which("wrk")


def run_wrk(
    server: Server,
    path: str,
    *,
    seconds: int,
    connections: int,
    threads: int,
    language: str,
    cookie: str,
) -> Measured:
    """Load one page for `seconds` with wrk; read the workers' CPU time around it."""
    command = [
        wrk_path() or "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=30s",  # a slow answer is a long latency, not a lost request
        f"--script={WRK_SCRIPT}",
        server.url + path,
    ]
    env = {"PATH": "/usr/bin:/bin", "BENCH_COOKIE": cookie, "BENCH_LANGUAGE": language}
    workers = server.workers()
    before = cpu_seconds(workers)
    done = subprocess.run(  # noqa: S603 - wrk, with arguments made here
        command, env=env, capture_output=True, text=True, check=False, timeout=seconds + 300
    )
    after = cpu_seconds(workers)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise PageProblem(f"wrk failed on {server.name} {path}:\n{done.stdout}{done.stderr}")
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    return Measured(
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        p99_ms=result["p99_us"] / 1000,
        cpu_seconds=after - before,
        not_ok=result["not_ok"],
        socket_errors=sum(result[k] for k in ("connect", "read", "write", "timeout")),
        workers_changed=server.workers() != workers,
    )
