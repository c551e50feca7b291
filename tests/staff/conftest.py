"""Fixtures shared by the tests of who runs what after a role change or an account's
deletion (test_role_hosts.py, test_deletion_hosts.py): tests/support/hosts.py's people,
and the programs and events alder-staff runs alone or with maple-staff. A module with a
fixture of the same name (test_workspace.py's `world`) uses its own."""

from __future__ import annotations

import pytest

from tests.support.hosts import make_people, make_world


@pytest.fixture
def people(app):
    return make_people(app)


@pytest.fixture
def world(app, clock, people) -> dict:
    return make_world(app, clock, people)
