"""The privacy page."""

from __future__ import annotations

from flask import Blueprint, render_template

from advocacy.privacy.rules import retention_rules

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def privacy_page() -> str:
    """Show what is kept, why, and for how long."""
    return render_template("privacy/privacy.html", rules=retention_rules())
