"""Home, safety and health-check pages."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import text

from advocacy.extensions import db

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """Show the neutral welcome."""
    return render_template("pages/home.html")


@bp.get("/safety")
def safety() -> str:
    """Explain quick exit, private browsing, safer devices and crisis lines."""
    lines = [line.split("|", 2) for line in current_app.config["CRISIS_LINES"] if line]
    return render_template("pages/safety.html", crisis_lines=lines)


@bp.get("/healthz")
def healthz() -> tuple[dict, int]:
    """Report liveness and whether the database answers; nothing else."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy", never a traceback
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}, 200
