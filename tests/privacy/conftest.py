"""The privacy tests' shared member (tests/support/privacy_world.py)."""

from __future__ import annotations

import pytest

from tests.support.privacy_world import build_subject


@pytest.fixture
def subject(app, clock) -> int:
    """The id of a member with a row in every linked table (values told apart)."""
    return build_subject(app)
