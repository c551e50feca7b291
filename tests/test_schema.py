"""Schema minimization (P3): no column can hold contact details, real names or devices.

DESIGN §3 and §4: pseudonym and password only; no email, phone, real name,
birth date, IP address or user agent, anywhere.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import DateTime, inspect

from advocacy.accounts.forms import JoinForm
from advocacy.database import UTCDateTime
from advocacy.extensions import db

# A column is split into words at "_" (and camelCase); any of these words is refused.
FORBIDDEN_WORDS = {
    # network and device
    "ip",
    "ipv4",
    "ipv6",
    "ipaddr",
    "ipaddress",
    "agent",
    "useragent",
    "ua",
    "forwarded",
    "remote",
    "device",
    "fingerprint",
    "mac",
    # contact details
    "email",
    "emails",
    "mail",
    "e-mail",
    "phone",
    "phones",
    "telephone",
    "tel",
    "mobile",
    "cell",
    "msisdn",
    "sms",
    "whatsapp",
    # real identity
    "surname",
    "forename",
    "firstname",
    "lastname",
    "fullname",
    "realname",
    "dob",
    "birth",
    "birthday",
    "birthdate",
    "born",
    "age",
    "gender",
    "ssn",
    "passport",
    # where someone is
    "gps",
    "geo",
    "geolocation",
    "latitude",
    "longitude",
    "lat",
    "lng",
    "postcode",
    "zipcode",
}
# "name" on its own, or as the last word (first_name, real_name, display_name...).
NAME = "name"
# Whole names refused even though no single word above matches.
FORBIDDEN_NAMES = {"address", "home_address", "street_address", "postal_address", "zip", "street"}
# Columns that end in _name but are not about a person; each needs a reason.
ALLOWED_NAMES: dict[str, str] = {}


def column_words(name: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return [word for word in re.split(r"[_\W]+", spaced.lower()) if word]


def refused(column: str) -> str | None:
    """Return why a column name is refused, or None if it is fine."""
    if column in ALLOWED_NAMES:
        return None
    words = column_words(column)
    if column.lower() in FORBIDDEN_NAMES:
        return "names a postal address"
    if hit := FORBIDDEN_WORDS.intersection(words):
        return f"has {sorted(hit)}"
    if words and words[-1] == NAME:
        return "names a person (only pseudonym is kept)"
    return None


@pytest.mark.parametrize(
    "column",
    [
        "ip",
        "ip_address",
        "client_ip",
        "last_login_ip",
        "remote_addr",
        "user_agent",
        "userAgent",
        "agent",
        "email",
        "email_address",
        "contact_email",
        "phone",
        "phone_number",
        "mobile",
        "real_name",
        "first_name",
        "last_name",
        "full_name",
        "display_name",
        "name",
        "dob",
        "date_of_birth",
        "birth_date",
        "birthday",
        "address",
        "home_address",
        "latitude",
    ],
)
def test_rule_refuses_identifying_columns(column):
    assert refused(column) is not None


@pytest.mark.parametrize(
    "column",
    [
        "pseudonym",
        "pseudonym_key",
        "description",
        "recipient_id",
        "shipping",
        "is_discreet",
        "locale",
        "role",
        "detail",
        "action",
        "code_hash",
        "selector",
        "expires_at",
        "last_login_on",
        "totp_secret",
        "session_token",
        "title",
        "summary",
        "area",
        "capacity",
        "page",
        "language",
        "manage_mode",
        "timezone",
    ],
)
def test_rule_allows_ordinary_columns(column):
    assert refused(column) is None


def test_migrated_database_has_no_identifying_columns(app):
    with app.app_context():
        inspector = inspect(db.engine)
        tables = [t for t in inspector.get_table_names() if t != "alembic_version"]
        assert "accounts" in tables  # the reflection really sees the schema
        found = {
            f"{table}.{column['name']}": reason
            for table in tables
            for column in inspector.get_columns(table)
            if (reason := refused(column["name"]))
        }
    assert found == {}


def test_models_have_no_identifying_columns():
    # The models too: a column added to a model but not yet migrated is caught here.
    found = {
        f"{table.name}.{column.name}": reason
        for table in db.metadata.sorted_tables
        for column in table.columns
        if (reason := refused(column.name))
    }
    assert db.metadata.tables
    assert found == {}


def test_the_migrations_build_exactly_the_models(app):
    """The database the migrations build (as `flask db upgrade` does) is the one the models
    describe: no table, column, type, nullability, index or key only on one side."""
    with app.app_context(), db.engine.connect() as connection:
        found = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert found == []


@pytest.mark.sqlite_only
def test_the_migrated_sqlite_tables_never_reuse_ids_exactly_where_the_models_say(app):
    """AUTOINCREMENT is no column, index or key: compare_metadata never sees it, and a later
    migration that makes a table anew in batch mode (from what SQLite reports, which never
    says AUTOINCREMENT) would drop it without a word. So the schema says it here."""
    with app.app_context(), db.engine.connect() as connection:
        tables = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
        ).all()
    migrated = {name for name, sql in tables if "AUTOINCREMENT" in sql.upper()}
    models = {
        table.name
        for table in db.metadata.sorted_tables
        if table.dialect_options["sqlite"]["autoincrement"]
    }
    assert "stories" in models  # not vacuous
    assert migrated == models


# The join form asks for nothing but an invite, a pseudonym and a password.

JOIN_FIELDS = {"csrf_token", "invite_code", "pseudonym", "password", "password_confirm"}
# Beside them on the page: the random mark that makes a form sent twice join once
# (advocacy/once.py), the same for everyone, nothing about the person.
ONCE_FIELD = "once"


class FormFields(HTMLParser):
    """Collect the names and types of the controls inside each <form>."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str, str | None]]] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = True
            self.forms.append([])
        elif self.inside and tag in {"input", "select", "textarea", "button"}:
            kind = attributes.get("type") or ("submit" if tag == "button" else tag)
            self.forms[-1].append((tag, kind, attributes.get("name")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_join_form_fields_are_exactly_the_minimum(client):
    response = client.get("/join")
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.get_data(as_text=True))
    join_forms = [f for f in parser.forms if any(name == "invite_code" for _t, _k, name in f)]
    assert len(join_forms) == 1
    controls = join_forms[0]
    buttons = {name for tag, kind, name in controls if kind == "submit"}
    fields = {name for tag, kind, name in controls if kind != "submit"}
    assert fields == JOIN_FIELDS | {ONCE_FIELD}
    assert buttons == {"action"}  # suggest a pseudonym, suggest a passphrase, join
    kinds = {kind for _tag, kind, _name in controls}
    assert not kinds & {"email", "tel", "date", "file", "url"}
    # And the form class declares nothing more than the page shows.
    with client.application.test_request_context("/join"):
        assert set(JoinForm()._fields) == JOIN_FIELDS


def test_no_timestamp_is_filled_in_by_the_database_or_the_model():
    """Every time a row holds comes from the service's `now` (one clock, which tests control).

    A default of "now" on a column would stamp rows with the machine's time instead, so a
    notice, a report or an account could carry a time no rule was applied at.
    """
    stamped = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, UTCDateTime | DateTime)
        and (column.default is not None or column.server_default is not None)
    ]
    assert stamped == []
