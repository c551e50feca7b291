"""Accounts views, one module per room: joining, signing in, recovery, second factor,
settings and invites. They share one blueprint, `bp`, so addresses keep their names."""

from advocacy.accounts.views import (  # noqa: F401  (importing a room registers its routes)
    invites,
    joining,
    mentoring,
    recovery,
    second_factor,
    settings,
    signing_in,
)
from advocacy.accounts.views.common import bp

__all__ = ["bp"]
