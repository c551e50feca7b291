"""The small security functions, at their exact edges: redirects, codes, role gates.

Expected values come from the rules written here: a `next` path of at most 512
characters with no control character; codes in Crockford's base32 (no I, L, O, U),
derived as HMAC-SHA256 over seed + a 4-byte big-endian counter (RFC 2104).
"""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest
from flask import Flask, request

from advocacy.security import codes_from_seed, normalize_code, role_required, safe_next_url

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("/" + "a" * 511, True),  # 512 characters: the longest kept
        ("/" + "a" * 512, False),  # 513: refused
        ("/a b", True),  # a space (32) is no control character
        ("/a\x1fb", False),  # unit separator (31) is
        ("/a\x00b", False),
        # Read by browsers as another site, or not a path of ours at all (WHATWG URL).
        ("//evil.example", False),
        ("///evil.example", False),
        ("/\\evil.example", False),
        ("evil.example/path", False),
        ("https://evil.example/", False),
        ("", False),
        (None, False),
    ],
)
def test_next_paths_at_the_edges_of_the_rule(target, kept):
    assert safe_next_url(target) == (target if kept else None)


@pytest.mark.parametrize("app_overrides", [{"PROXY_COUNT": 2}])
def test_behind_counted_proxies_their_address_and_scheme_are_believed_but_not_their_host(app):
    """Two proxies: the client is the second address from the right (each proxy appends)."""

    @app.get("/test-client")
    def who_is_asking():
        return f"{request.remote_addr} {request.scheme} {request.host}"

    response = app.test_client().get(
        "/test-client",
        environ_base={"REMOTE_ADDR": "10.0.0.2"},  # the proxy nearest to us
        headers={
            "X-Forwarded-For": "203.0.113.9, 192.0.2.7, 10.0.0.1",  # the first is made up
            "X-Forwarded-Proto": "http, https, http",
            "X-Forwarded-Host": "evil.example",
        },
    )
    assert response.get_data(as_text=True) == "192.0.2.7 https localhost"


def test_role_required_names_its_roles_for_the_route_table():
    view = role_required("staff", "admin")(lambda: "ok")
    assert view.allowed_roles == ("staff", "admin")


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("k7qm-2xrd 9ftb", "K7QM2XRD9FTB"),  # case, dashes and spaces do not matter
        ("oil0", "0110"),  # look-alikes read as digits
        ("A" * 40, "A" * 32),  # no code is longer than 32 characters
    ],
)
def test_typed_codes_are_normalized(typed, normalized):
    assert normalize_code(typed) == normalized


def expected_code(secret: str, purpose: str, seed: bytes, counter: int, groups: int) -> str:
    """The rule of codes_from_seed, written out: 5 bits a character from the low end."""
    key = hashlib.sha256(f"codes-{purpose}:{secret}".encode()).digest()
    digest = hmac.new(key, seed + counter.to_bytes(4, "big"), hashlib.sha256).digest()
    bits = int.from_bytes(digest, "big")
    chars = "".join(CROCKFORD[(bits >> (5 * i)) & 31] for i in range(4 * groups))
    return "-".join(chars[g : g + 4] for g in range(0, 4 * groups, 4))


def test_codes_from_a_seed_follow_the_rule_in_order():
    app = Flask(__name__)
    app.secret_key = "a secret for this test"
    seed = bytes(range(16))
    with app.app_context():
        codes = codes_from_seed(seed, "recovery", 4)
        first_three = [next(codes) for _ in range(3)]
    assert first_three == [
        expected_code("a secret for this test", "recovery", seed, counter, 4)
        for counter in range(3)
    ]
    assert all(len(code) == 19 and code.count("-") == 3 for code in first_three)


@pytest.fixture
def gated(app):
    """The app with one extra page that only mentors and staff may open."""

    @app.get("/test-gated")
    @role_required("mentor", "staff")
    def gated_page():
        return "behind the gate"

    return app


def test_role_gate_sends_strangers_to_sign_in_and_refuses_other_roles(
    gated, client, auth, member, mentor
):
    stranger = client.get("/test-gated")
    assert stranger.status_code == 302
    assert stranger.headers["Location"].startswith("/login")
    auth.login(member)
    refused = client.get("/test-gated")
    assert refused.status_code == 403
    assert b"behind the gate" not in refused.data
    auth.logout()
    auth.login(mentor)
    assert client.get("/test-gated").get_data(as_text=True) == "behind the gate"


def hash_parameters(digest: str) -> str:
    """'$argon2id$v=19$m=65536,t=3,p=4$salt$hash' -> 'argon2id v=19 m=65536,t=3,p=4'."""
    _, variant, version, parameters, *_ = digest.split("$")
    return f"{variant} {version} {parameters}"


@pytest.mark.parametrize(
    ("profile", "password_parameters", "code_parameters"),
    [
        # RFC 9106 §4 second recommendation (argon2-cffi's default): 64 MiB, 3 passes, 4 lanes.
        ("default", "argon2id v=19 m=65536,t=3,p=4", "argon2id v=19 m=8192,t=1,p=1"),
        # Tests only: argon2-cffi's CHEAPEST profile for both.
        ("cheapest", "argon2id v=19 m=8,t=1,p=1", "argon2id v=19 m=8,t=1,p=1"),
    ],
)
def test_hashing_parameters_by_profile(profile, password_parameters, code_parameters):
    from advocacy.security import PasswordService

    app = Flask(__name__)
    app.config["ARGON2_PROFILE"] = profile
    service = PasswordService()
    service.init_app(app)
    password_hash, code_hash = service.hash("a long passphrase"), service.hash_code("K7QM2XRD")
    assert hash_parameters(password_hash) == password_parameters
    assert hash_parameters(code_hash) == code_parameters
    assert service.verify(password_hash, "a long passphrase")
    assert not service.verify(password_hash, "a long passphrasE")
    assert not service.verify(None, "a long passphrase")  # unknown pseudonym
    assert not service.verify("not a hash", "a long passphrase")
    assert service.verify_code(code_hash, "K7QM2XRD")
    assert not service.verify_code(code_hash, "K7QM2XRE")
    assert not service.verify_code(None, "K7QM2XRD")
    assert not service.needs_rehash(password_hash)
    other = "cheapest" if profile == "default" else "default"
    app.config["ARGON2_PROFILE"] = other
    service.init_app(app)
    assert service.needs_rehash(password_hash)


def test_an_unknown_pseudonym_costs_as_much_as_a_wrong_password():
    from advocacy.security import PasswordService

    app = Flask(__name__)
    app.config["ARGON2_PROFILE"] = "default"
    service = PasswordService()
    service.init_app(app)
    # verify(None, ...) checks against these stand-ins, made with the same parameters.
    assert hash_parameters(service._dummy_hash) == hash_parameters(service.hash("x"))
    assert hash_parameters(service._dummy_code_hash) == hash_parameters(service.hash_code("x"))


def test_rate_limits_key_clients_by_a_keyed_hash_of_the_address():
    from advocacy.security import client_key

    app = Flask(__name__)
    app.secret_key = "a secret for this test"
    key = hashlib.sha256(b"ratelimit-client:a secret for this test").digest()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.7"}):
        keyed = client_key()
    assert keyed == hmac.new(key, b"192.0.2.7", hashlib.sha256).hexdigest()[:32]
    assert "192.0.2.7" not in keyed


def key_for(address: str) -> str:
    from advocacy.security import client_key

    app = Flask(__name__)
    app.secret_key = "a secret for this test"
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        return client_key()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"),  # one /64: one home or phone
        ("2001:DB8:1:2::1", "2001:db8:1:2:0:0:0:1"),  # two spellings of one address
        ("::ffff:192.0.2.7", "192.0.2.7"),  # an IPv4 address carried in IPv6
    ],
)
def test_addresses_of_one_ipv6_network_share_a_limit(one, other):
    # A home or a phone is given a whole /64 (RFC 6177): counted per address, one person
    # could take a fresh address for every try.
    assert key_for(one) == key_for(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:3::1"),  # the neighbouring /64
        ("192.0.2.7", "192.0.2.8"),  # IPv4: each address its own
    ],
)
def test_other_networks_have_limits_of_their_own(one, other):
    assert key_for(one) != key_for(other)


def test_new_codes_are_groups_of_four_crockford_characters():
    from advocacy.security import new_code

    group = f"[{CROCKFORD}]{{4}}"
    codes = {new_code() for _ in range(50)}
    assert len(codes) == 50  # random, not repeated
    assert all(re.fullmatch(f"{group}-{group}-{group}", code) for code in codes)
    assert re.fullmatch(f"{group}(-{group}){{3}}", new_code(4))
