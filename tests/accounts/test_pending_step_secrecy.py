"""The code step must not hand a password-only visitor the account's session token.

Flask's session cookie is signed, not encrypted (anyone holding it can read it). The token
is what a signed-in cookie carries as Flask-Login's user id, and record_login does not
replace it, so it stays good for the member's sessions until they sign out or change the
password. Someone with the password but not the phone must learn nothing that, with the
cookie key, would sign them in past the code step (ASVS 5.0 7.2.4: a session token only
once authentication is complete; 6.3.3: the second factor cannot be skipped).
"""

import base64
import json
import zlib

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.support.accounts import PASSWORD


def readable_session(client) -> str:
    """The cookie's payload as anyone reads it: no key needed."""
    value = client.get_cookie("advocacy_session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def current_token(app, account_id: int) -> str:
    with app.app_context():
        return db.session.get(Account, account_id).session_token


def test_the_code_step_cookie_does_not_carry_the_session_token(app, client, staff):
    response = client.post("/login", data={"pseudonym": staff.pseudonym, "password": PASSWORD})
    assert response.headers["Location"].endswith("/login/code")
    readable = readable_session(client)
    assert json.loads(readable)  # it is plain JSON
    assert current_token(app, staff.id) not in readable
