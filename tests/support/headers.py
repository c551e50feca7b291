"""The safety headers every response must carry, written out from DESIGN §5 (not the code)."""

from __future__ import annotations

# The policy, directive by directive, as DESIGN §5 and ASVS 3.4.3/3.4.6 ask; written here,
# never read from the code under test.
CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "manifest-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}
EXPECTED = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def directives(policy: str) -> dict[str, str]:
    """Split a CSP into {directive: sources}; a directive named twice fails the test
    (browsers obey only the first, so the second would be a silent lie)."""
    parsed: dict[str, str] = {}
    for part in policy.split(";"):
        name, _, sources = part.strip().partition(" ")
        assert name not in parsed, f"{name} appears twice in the CSP"
        parsed[name] = " ".join(sources.split())
    return parsed


def assert_safety_headers(response):
    """Every safety header once and exactly; the CSP exactly these directives."""
    for name, value in EXPECTED.items():
        assert response.headers.getlist(name) == [value], name
    [csp] = response.headers.getlist("Content-Security-Policy")
    policy = directives(csp)
    for name, sources in CSP.items():
        assert policy.get(name) == sources, name
    assert policy.keys() == CSP.keys(), "no directive beyond DESIGN §5's"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "*" not in csp


def assert_not_cached(response):
    """Back after an exit or logout must show nothing (DESIGN §5): no cache may keep the
    page (RFC 9111 §5.2.2.5), nor revalidate it from a stored validator."""
    assert response.headers.getlist("Cache-Control") == ["no-store"]
    assert response.headers["Pragma"] == "no-cache"  # HTTP/1.0 caches
    assert "ETag" not in response.headers
    assert "Last-Modified" not in response.headers
