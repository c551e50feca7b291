"""advocacy: a privacy-first community platform for survivors becoming leaders."""

from __future__ import annotations

import logging

from flask import Flask
from flask_babel import lazy_gettext as _l

# Each domain's privacy module registers what it holds, for export and deletion.
import advocacy.accounts.mentoring
import advocacy.accounts.privacy
import advocacy.events.privacy
import advocacy.moderation.services
import advocacy.notices.services
import advocacy.programs.privacy
import advocacy.staff.handover
import advocacy.staff.services
import advocacy.stories.privacy  # noqa: F401
from advocacy import cli, errors, faults, i18n, templating
from advocacy.accounts.loading import load_account
from advocacy.accounts.sessions import register_session_hooks, send_to_confirm, send_to_sign_in
from advocacy.accounts.views import bp as accounts_bp
from advocacy.config import PROJECT_ROOT, Config, config_from_environment
from advocacy.csrf_token import register_page_token
from advocacy.database import choose_engine_options, register_database
from advocacy.edge import register_edge
from advocacy.events import cancel_views, staff_views  # noqa: F401  (routes join events_bp)
from advocacy.events.views import bp as events_bp
from advocacy.extensions import csrf, db, limiter, login_manager, migrate, passwords
from advocacy.help.views import bp as help_bp
from advocacy.moderation.views import bp as moderation_bp
from advocacy.notices.unread import register_unread
from advocacy.notices.views import bp as notices_bp
from advocacy.once import register_once
from advocacy.pages.views import bp as pages_bp
from advocacy.privacy.views import bp as privacy_bp
from advocacy.programs import (  # noqa: F401  (their routes join programs_bp)
    letter_views,
    roster_views,
    session_views,
)
from advocacy.programs.views import bp as programs_bp
from advocacy.reports.views import bp as reports_bp
from advocacy.security import register_security_headers
from advocacy.staff.views import bp as staff_bp
from advocacy.static_files import register_static_files
from advocacy.stories.views import bp as stories_bp


def create_app(config: type[Config] | Config | None = None) -> Flask:
    """Build the application from a config class or object (default: from the environment)."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    if config is None:
        config = config_from_environment()
    elif isinstance(config, type):
        config = config()
    app.config.from_object(config)
    register_logging(app)
    # First: the id converter before any route, the input check before any other hook.
    register_edge(app)
    register_extensions(app)
    register_blueprints(app)
    register_static_files(app)
    register_security_headers(app)
    register_session_hooks(app)
    register_unread(app)
    templating.register_template_context(app)
    register_once(app)
    errors.register_error_handlers(app)
    cli.register_commands(app)
    faults.register_faults(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extension objects to this application."""
    choose_engine_options(app)
    db.init_app(app)
    register_database(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    register_page_token(app)
    limiter.init_app(app)
    passwords.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_account)  # the account and its unread count, one statement
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.login_message_category = "info"
    login_manager.refresh_view = "accounts.reauthenticate"
    login_manager.needs_refresh_message = _l("Please confirm it's you to continue.")
    login_manager.needs_refresh_message_category = "info"
    # Come back after signing in only to a page that answers GET (never a form's POST address).
    login_manager.unauthorized_handler(send_to_sign_in)
    login_manager.needs_refresh_handler(send_to_confirm)
    # "strong" protection would sign out members whose mobile network address changes;
    # rotating session tokens do the real work.
    login_manager.session_protection = None
    # Its session identifier hashes the client address and browser: keep nothing of them.
    login_manager._session_identifier_generator = lambda: ""


def register_blueprints(app: Flask) -> None:
    """Attach every domain's views."""
    for blueprint in (
        pages_bp,
        accounts_bp,
        events_bp,
        help_bp,
        notices_bp,
        privacy_bp,
        programs_bp,
        staff_bp,
        reports_bp,
        stories_bp,
        moderation_bp,
    ):
        app.register_blueprint(blueprint)


class NoResultRows(logging.Filter):
    """Drop SQLAlchemy's records of the rows it reads: hashes, session tokens, stories."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno <= logging.DEBUG and str(record.msg).startswith(("Row ", "Col "))
        )


NO_RESULT_ROWS = NoResultRows()


def register_logging(app: Flask) -> None:
    """Log warnings and errors only, without request details (no IP, agent or query)."""
    app.logger.setLevel(logging.INFO)
    # Werkzeug's request log line holds the client address and the query string.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    # Statements are logged with their parameters hidden (hide_parameters), but at DEBUG
    # SQLAlchemy also logs every row it reads. A root level of DEBUG must not turn that
    # on, and rows stay out even when someone turns SQLAlchemy's own level up.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    if NO_RESULT_ROWS not in engine_log.filters:
        engine_log.addFilter(NO_RESULT_ROWS)
