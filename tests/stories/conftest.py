"""Fixtures for service-level story and moderation tests."""

import pytest


@pytest.fixture
def request_context(app):
    """A request context (refusal messages are translated when read); rows in db.session."""
    with app.test_request_context():
        yield
