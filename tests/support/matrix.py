"""One app on its own database with an account per role and every object the route
table's paths name: shared by the tests that walk tests/access_table.py."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from advocacy import create_app
from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.programs import services as programs
from tests.access_table import ACCESS, REFUSED_INPUT, ROLES, SIGNED_IN, Route
from tests.conftest import ON_POSTGRES, make_config, own_postgres_database
from tests.support.accounts import AuthActions, Clock, MadeAccount, make_invite, make_reset_code
from tests.support.accounts import make_account as build_account
from tests.support.events import make_event
from tests.support.fuzz import Field, filled_in, forms_on
from tests.support.help import make_resource
from tests.support.pathway import make_eligible, make_eligible_member
from tests.support.postgres import drop_database
from tests.support.programs import make_program, make_sessions
from tests.support.stories import access_objects


def all_objects(
    app: Flask, clock: Clock, author_id: int, reporter_id: int, *, runner_id: int
) -> dict[str, int]:
    """Every object the table's paths name: stories, an event and program runner_id runs
    (with one member of its own, who never signs in), a notice of the author's, …"""
    program = make_program(app, runner_id, now=clock())
    enrolled = build_account(app, "enrolled-matrix")
    with app.app_context():
        place = programs.enroll(db.session.get(Account, enrolled.id), program.id, now=clock())
        db.session.commit()
        enrollment_id = place.id
    # A program of its own for the sessions' rows, where nobody in the matrix ever asks for a
    # place (the enroll row's POSTs give the roles places in the first one).
    course = make_program(app, runner_id, now=clock(), title="Own pace", meetings=0)
    (session_id,) = make_sessions(app, course.id, 1, now=clock())
    occurrence_id = make_event(app, runner_id, now=clock()).first
    with app.app_context():
        notice = notify(
            author_id, "event_changed", now=clock(), link=f"/events/{occurrence_id}", title="Circle"
        )
        db.session.commit()
        notice_id = notice.id
    return {
        **access_objects(app, author_id, reporter_id),
        "occurrence_id": occurrence_id,
        "notice_id": notice_id,
        "program_id": program.id,
        "meeting_id": program.meeting_ids[0],
        "enrollment_id": enrollment_id,
        "course_id": course.id,
        "session_id": session_id,
        # An invite the runner made, and a reset code the runner made for the author.
        "invite_id": make_invite(app, runner_id, now=clock())[1],
        "reset_code_id": make_reset_code(app, author_id, runner_id, now=clock())[1],
        # A member eligible to mentor who said they are interested: an admin may promote them.
        "eligible_id": make_eligible_member(app, "pathway-eligible").id,
        # A help resource for members only, with text and an outside link.
        "resource_id": make_resource(
            app, is_public=False, outside_url="https://www.example.org/help"
        ),
    }


def cells() -> list:
    """Every (endpoint, method, role) cell of the route table, as test parameters."""
    return [
        pytest.param(endpoint, method, role, id=f"{endpoint}-{method}-{role}")
        for endpoint, route in ACCESS.items()
        for method in sorted(route.methods)
        for role in ROLES
    ]


def location(response) -> str | None:
    return response.headers.get("Location")


@dataclass
class Matrix:
    """One app and one account per role, shared by the table's cells (each has its own client)."""

    app: Flask
    clock: Clock
    accounts: dict[str, MadeAccount]
    objects: dict[str, int]
    # role -> (the session cookie a sign-in through the forms got, the session token then)
    signed_in: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    @property
    def ids(self) -> dict[str, int]:
        return {"member_id": self.accounts["member"].id, **self.objects}

    def path(self, route: Route) -> str:
        return route.path.format(**self.ids)

    def client_as(self, role: str) -> FlaskClient:
        """Return a new client signed in as `role` ("anon": not signed in).

        The first time for a role it signs in through the forms and keeps the session
        cookie; later clients get that cookie while the account's session token is still
        the one it had then and it is not paused (not signed out everywhere, password and
        role unchanged): a session as valid as a new sign-in's.
        """
        client = self.app.test_client()
        if role == "anon":
            return client
        account = self.accounts[role]
        cookie_name = self.app.config["SESSION_COOKIE_NAME"]
        kept = self.signed_in.get(role)
        if kept is not None and kept[1] == self.session_token(account):
            client.set_cookie(cookie_name, kept[0])
            return client
        self.sign_in(client, account)
        self.signed_in[role] = (client.get_cookie(cookie_name).value, self.session_token(account))
        return client

    def session_token(self, account: MadeAccount) -> str | None:
        """The account's session token, or None once it is paused or gone."""
        with self.app.app_context():
            return db.session.scalar(
                select(Account.session_token).where(
                    Account.id == account.id, Account.paused_at.is_(None)
                )
            )

    def sign_in(self, client: FlaskClient, account: MadeAccount, expect_location: str = "/"):
        response = AuthActions(self.app, client, self.clock).login(account)
        assert response.status_code == 303, response.get_data(as_text=True)
        assert location(response) == expect_location
        return response


@pytest.fixture(scope="module")
def matrix(migrated_template, tmp_path_factory):
    """An app on its own database, with a member, mentor, staff member and admin.

    Its own database on PostgreSQL too: the tests below that use `app` empty theirs after
    each test, and the matrix's accounts must outlive them whatever the order.
    """
    if ON_POSTGRES:
        url = own_postgres_database("matrix")
    else:
        path = tmp_path_factory.mktemp("access") / "access.sqlite3"
        shutil.copyfile(migrated_template, path)
        url = f"sqlite:///{path}"
    app = create_app(make_config(url))
    clock = Clock()
    app.config["CLOCK"] = clock
    accounts = {role: build_account(app, f"{role}-matrix", role=role) for role in SIGNED_IN}
    # The member may answer the mentor pathway's question, so its page shows that form.
    make_eligible(app, accounts["member"].id, interested=None)
    # A privileged account that has not set up its second factor yet.
    accounts["staff-no-2fa"] = build_account(app, "staff-setup", role="staff", two_factor=False)
    # The event and program are the matrix's staff account's, so its attendees are theirs.
    objects = all_objects(
        app, clock, accounts["member"].id, accounts["admin"].id, runner_id=accounts["staff"].id
    )
    yield Matrix(app, clock, accounts, objects)
    with app.app_context():
        db.engine.dispose()
    if ON_POSTGRES:
        drop_database(url)


# Pages read only to find their forms; quick exit ends the session, static has no form.
NOT_READ = {"accounts.quick_exit", "static"}


@pytest.fixture(scope="module")
def forms_seen(matrix) -> dict[tuple[str, str], list[Field]]:
    """Every POST form each role is shown on any page, filled in plainly where empty:
    (role, action path) -> its fields."""
    seen = {}
    for role in ROLES:
        client = matrix.client_as(role)
        for endpoint, route in ACCESS.items():
            if "GET" not in route.methods or endpoint in NOT_READ:
                continue
            page = client.get(matrix.path(route)).get_data(as_text=True)
            for form in forms_on(page):
                fields = filled_in(form.fields, matrix.clock().date())
                seen.setdefault((role, urlsplit(form.action).path), fields)
    return seen


LANGUAGES = ("en", "es")


def rendered_pages(matrix: Matrix) -> dict[str, bytes]:
    """Every HTML page the table's requests answer with, as every role and language:
    {file name: bytes}, each distinct page once. Each GET, and each form sent empty where
    the table says it is refused with the form again (400)."""
    pages: dict[str, bytes] = {}
    seen: set[bytes] = set()
    for language in LANGUAGES:
        for role in ROLES:
            shared = matrix.client_as(role)
            for endpoint, route in ACCESS.items():
                if endpoint in NOT_READ:
                    continue
                client = matrix.client_as(role) if route.before else shared
                for method, path in route.before:
                    client.open(path.format(**matrix.ids), method=method)
                for method in sorted(route.methods):
                    if method == "POST" and route.expect("POST")[role] != REFUSED_INPUT:
                        continue  # an empty form that is let through would change things
                    response = client.open(
                        matrix.path(route),
                        method=method,
                        data={} if method == "POST" else None,
                        headers={"Accept-Language": language},
                    )
                    digest = hashlib.sha256(response.data).digest()
                    if response.mimetype != "text/html" or digest in seen:
                        continue
                    seen.add(digest)
                    name = f"{language}-{role}-{endpoint}-{method}-{response.status_code}.html"
                    pages[name] = response.data
    return pages
