"""Security plumbing shared by every domain: headers, access checks, hashing."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

# Strict by default: only our own files, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # same-origin, not no-referrer: Flask-WTF's HTTPS referrer check needs our own Referer.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    # Browsers ignore HSTS over plain HTTP, so sending it always is harmless.
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    # No camera, microphone, location or tracking APIs for any page.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


# Our CSS and script reveal nothing; quick exit clears them with the rest of the cache.
STATIC_CACHING = {"Cache-Control": "private, max-age=3600"}
# Back after an exit or logout must refetch, never show a stored private page (RFC 9111).
NO_CACHING = {"Cache-Control": "no-store", "Pragma": "no-cache"}
VALIDATORS = ("ETag", "Last-Modified")


def set_security_headers(response: Response) -> Response:
    """Add the safety headers to every response, and keep private pages out of caches."""
    response.headers.update(SECURITY_HEADERS)
    if request.endpoint == "static" and response.status_code < 400:
        response.headers.update(STATIC_CACHING)
    else:
        response.headers.update(NO_CACHING)
        for name in VALIDATORS:
            response.headers.pop(name, None)
    return response


def register_security_headers(app: Flask) -> None:
    """Attach the header hook, and trust X-Forwarded-* only from configured proxies."""
    app.after_request(set_security_headers)
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        # X-Forwarded-Host stays untrusted (ProxyFix's default): links must name our own host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    else:
        warn_once_about_forwarding(app)


FORWARDED_FOR = "X-Forwarded-For"


def warn_once_about_forwarding(app: Flask) -> None:
    """Say once (never the address) when a proxy forwards clients that are not trusted.

    Behind a proxy with PROXY_COUNT at 0 every client has the proxy's address, so
    one person's failures can throttle everyone.
    """
    warned = threading.Event()

    def check() -> None:
        if not warned.is_set() and FORWARDED_FOR in request.headers:
            warned.set()
            app.logger.warning(
                "Requests carry X-Forwarded-For but ADVOCACY_PROXY_COUNT is 0: every client "
                "looks the same to the rate limits. Set it to the number of proxies in front."
            )

    app.before_request(check)


def safe_next_url(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None (no open redirects).

    A path is at most 512 characters, starts with one "/" and holds no control character
    or backslash: browsers read "//host", "/\\host" and "/\t/host" as another site
    (WHATWG URL). Such a string has no scheme and no host, whatever follows.
    """
    if not target or len(target) > 512:
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    return target


def sent_from_this_site() -> bool:
    """Whether the browser says this request comes from a page of this site: Fetch
    Metadata's `Sec-Fetch-Site: same-origin` where the browser sends it, else an `Origin`
    equal to this site's (OWASP CSRF Prevention: verifying the origin with standard
    headers; ASVS 5.0 3.5.1). Another site's form is sent with `cross-site` and its own
    origin; a request with neither header is not trusted."""
    fetched_from = request.headers.get("Sec-Fetch-Site")
    if fetched_from is not None:
        return fetched_from == "same-origin"
    return request.headers.get("Origin") == request.host_url.rstrip("/")


SIGNED_IN_ALREADY = _l("You are signed in.")


def visitors_only(view: Callable) -> Callable:
    """For the forms of someone not yet signed in (join, sign in): a signed-in account is
    sent home with a calm word instead. Marked `for_visitors`, so a form re-sent after it
    worked (its token was the visitor session's, which signing in ended) is answered the
    same way rather than as an expired form (errors.handle_csrf_error)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated:
            return signed_in_already()
        return view(*args, **kwargs)

    wrapped.for_visitors = True
    return wrapped


def signed_in_already() -> Response:
    """Send a signed-in account home, saying so."""
    flash(SIGNED_IN_ALREADY, "info")
    return redirect(url_for("pages.home"))


def is_for_visitors(endpoint: str | None) -> bool:
    """Whether the endpoint's view is visitors_only."""
    return getattr(current_app.view_functions.get(endpoint or ""), "for_visitors", False)


def role_required(*roles: str) -> Callable:
    """Let only signed-in accounts with one of roles through; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # read by the route-table test
        return wrapped

    return decorator


NO_ADDRESS = "unknown"  # the one bucket of clients with no address (a Unix socket)


# A home or a phone is given a whole IPv6 /64 (RFC 6177 §2): counted per address, one
# person could take a fresh address for every try.
IPV6_CLIENT_PREFIX = 64


def client_network(address: str) -> str:
    """Return what a limit counts a client by: an IPv4 address itself (also when carried in
    IPv6 as ::ffff:a.b.c.d), an IPv6 address's /64 network, or the text as given when it
    is no address."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(getattr(parsed, "ipv4_mapped", None) or parsed)


def client_key() -> str:
    """Return a keyed hash of the client's network (client_network): rate limits never
    hold the address."""
    network = client_network(request.remote_addr or NO_ADDRESS).encode()
    key = hashlib.sha256(b"ratelimit-client:" + current_app.secret_key.encode()).digest()
    return hmac.new(key, network, hashlib.sha256).hexdigest()[:32]


# Crockford's base32: no I, L, O or U, so codes survive being read aloud or copied by hand.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
SELECTOR_LENGTH = 4


def new_code(groups: int = 3) -> str:
    """Return a random one-time code like 'K7QM-2XRD-9FTB' (5 bits a character: 60 for 3 groups)."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(groups))


def codes_from_seed(seed: bytes, purpose: str, groups: int) -> Iterator[str]:
    """Yield codes like 'K7QM-2XRD-9FTB-4WZC' (80 bits for 4 groups) derived from seed.

    HMAC-SHA256 under a key made from the app's secret serves as the random function:
    the same seed always gives the same codes, so a page can show them again from a
    seed kept in the session, and a seed alone (read off a device) gives nothing.
    The seed itself must come from `secrets`.
    """
    key = hashlib.sha256(f"codes-{purpose}:".encode() + current_app.secret_key.encode()).digest()
    counter = 0
    while True:
        digest = hmac.new(key, seed + counter.to_bytes(4), hashlib.sha256).digest()  # big-endian
        bits = int.from_bytes(digest)
        chars = "".join(CODE_ALPHABET[(bits >> (5 * i)) & 31] for i in range(4 * groups))
        yield "-".join(chars[start : start + 4] for start in range(0, len(chars), 4))
        counter += 1


def normalize_code(text: str) -> str:
    """Upper-case a typed code and drop spaces and dashes; map look-alike letters."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(CODE_LOOKALIKES)[:32]


def code_selector(normalized_code: str) -> str:
    """Return the public part of a code used to find its row (the rest stays secret)."""
    return normalized_code[:SELECTOR_LENGTH]


class PasswordService:
    """argon2id hashing with parameters from the config (cheap ones only under tests).

    Passwords use argon2-cffi's defaults (t=3, 64 MiB). One-time codes carry 40 (invites)
    to 60 (recovery and reset codes) random bits beyond their selector, so a light
    argon2id is enough for them.
    """

    # Set by init_app, which create_app always calls before a request.
    _hasher: PasswordHasher
    _code_hasher: PasswordHasher
    _dummy_hash: str
    _dummy_code_hash: str

    def init_app(self, app: Flask) -> None:
        """Build the hashers from ARGON2_PROFILE ('default' or 'cheapest' for tests)."""
        if app.config.get("ARGON2_PROFILE") == "cheapest":
            self._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
            self._code_hasher = self._hasher
        else:
            # argon2-cffi's defaults are argon2id, RFC 9106's second recommendation.
            self._hasher = PasswordHasher()
            self._code_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
        # Unknown pseudonyms verify against these, so they cost as much as a wrong guess.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe())
        self._dummy_code_hash = self._code_hasher.hash(secrets.token_urlsafe())

    def hash_code(self, normalized_code: str) -> str:
        """Hash a one-time code."""
        return self._code_hasher.hash(normalized_code)

    def verify_code(self, code_hash: str | None, normalized_code: str) -> bool:
        """Return whether the code matches; with no hash, spend the same time and fail."""
        if code_hash is None:
            self._check(self._code_hasher, self._dummy_code_hash, normalized_code)
            return False
        return self._check(self._code_hasher, code_hash, normalized_code)

    def hash(self, password: str) -> str:
        """Hash a password."""
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Return whether password matches; with no hash, spend the same time and fail."""
        if password_hash is None:
            self._check(self._hasher, self._dummy_hash, password)
            return False
        return self._check(self._hasher, password_hash, password)

    @staticmethod
    def _check(hasher: PasswordHasher, stored: str, secret: str) -> bool:
        try:
            return hasher.verify(stored, secret)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """Return whether the hash was made with other parameters than today's."""
        return self._hasher.check_needs_rehash(password_hash)
