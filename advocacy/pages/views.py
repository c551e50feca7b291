"""Home, safety and health-check pages, and the language a page is read in."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text

from advocacy import clock, i18n
from advocacy.events import finding
from advocacy.extensions import csrf, db, limiter
from advocacy.pages.forms import LanguageForm
from advocacy.privacy import services as privacy
from advocacy.programs import catalog
from advocacy.security import safe_next_url, sent_from_this_site

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """Show the neutral welcome; for a signed-in member, what's next for them."""
    if not current_user.is_authenticated or current_user.needs_two_factor:
        return render_template("pages/home.html")
    now = clock.now()
    programs = catalog.my_programs(current_user.id, now=now)
    return render_template(
        "pages/home.html",
        meetings=finding.my_upcoming(current_user.id, now),
        programs=programs,
        ended=catalog.endings([program for program, _ in programs], now),
    )


@bp.get("/safety")
def safety() -> str:
    """Explain quick exit, private browsing, safer devices and crisis lines."""
    return render_template("pages/safety.html")


@csrf.exempt  # checked below: a visitor's first page gives no token (it would need a cookie)
@bp.post("/language")
def language() -> Response:
    """Read the site in another language (the button every page shows), then go back to
    the page it was pressed on. A POST, not a link: a GET must change nothing, and another
    site must not be able to switch someone's language. Members and visitors who have a
    session send its CSRF token; a visitor without one (no cookie until they choose) is
    trusted only when the browser says the form is one of this site's pages
    (security.sent_from_this_site). A language the site has no catalogue for, no language,
    or a request from elsewhere: a calm 400."""
    if current_app.config["WTF_CSRF_ENABLED"]:
        if current_user.is_authenticated or "csrf_token" in request.form:
            csrf.protect()
        elif not sent_from_this_site():
            abort(400)
    form = LanguageForm(meta={"csrf": False})
    if not form.validate_on_submit():
        abort(400)
    i18n.choose_language(form.locale.data)
    db.session.commit()
    return redirect(safe_next_url(form.next.data) or url_for("pages.home"), code=303)


@bp.get("/healthz")
def healthz() -> tuple[dict, int]:
    """Report liveness, whether the database answers, whether the purge is late and
    whether rate limits are shared.

    200 `{"status": "ok", "purge": "ok" | "late" | "never" | "unknown", "limiter": "ok" |
    "degraded"}` while the database answers; 503 `{"status": "unavailable"}` when it does
    not. Nothing else: no time, no count, no address. A late or never-run purge
    (privacy/services.py: last_purge, 36 h) stays 200 on purpose: load balancers and
    gunicorn checks read the status code, and taking every host out of service would
    shut members out without making the purge run. Monitoring alerts on `"purge" !=
    "ok"` instead; /admin shows the time. Likewise `"limiter": "degraded"`: Redis does not
    answer, so each process counts the limits on its own, in memory, while the site works
    (extensions.py: FallbackLimiter).
    """
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy", never a traceback
        db.session.rollback()
        return {"status": "unavailable"}, 503
    try:
        purge = privacy.last_purge(clock.now()).state
    except Exception:  # noqa: BLE001 - e.g. new code before `flask db upgrade`: pages work
        db.session.rollback()
        purge = "unknown"
    return {
        "status": "ok",
        "purge": purge,
        "limiter": "degraded" if limiter.degraded() else "ok",
    }, 200
