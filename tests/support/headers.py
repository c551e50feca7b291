"""The safety headers every response must carry, written out from DESIGN §5 (not the code)."""

from __future__ import annotations

# The policy, directive by directive, as DESIGN §5 and ASVS 3.4.3/3.4.6 ask; written here,
# never read from the code under test.
CSP_DIRECTIVES = {
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


def assert_safety_headers(response):
    """Every safety header, exactly; the CSP exactly these directives (no more, no fewer)."""
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert {d.strip() for d in csp.split(";")} == CSP_DIRECTIVES
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "*" not in csp


def assert_not_cached(response):
    """No cache may keep it (RFC 9111 §5.2.2.5), nor revalidate it from a stored validator."""
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"  # HTTP/1.0 caches
    assert "ETag" not in response.headers
    assert "Last-Modified" not in response.headers
