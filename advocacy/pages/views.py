"""Home, safety and health-check pages."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import text

from advocacy import clock
from advocacy.events import services as events
from advocacy.extensions import db
from advocacy.programs import services as programs

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """Show the neutral welcome; for a signed-in member, what's next for them."""
    if not current_user.is_authenticated or current_user.needs_two_factor:
        return render_template("pages/home.html")
    return render_template(
        "pages/home.html",
        meetings=events.my_upcoming(current_user.id, clock.now()),
        programs=programs.my_programs(current_user.id),
    )


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
