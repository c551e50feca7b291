"""Alembic environment: runs the migrations on the app's own engine."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

import advocacy.models  # noqa: F401 - every model must be known to autogenerate
from advocacy.database import UTCDateTime

config = context.config
# Keep the app's loggers (fileConfig would disable them); tests keep pytest's handlers.
if not current_app.testing:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
# Flask-SQLAlchemy 3.1 deprecates get_engine(); the engine property is the supported way.
engine = target_db.engine
config.set_main_option(
    "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def render_item(type_, obj, autogen_context):
    """Write our UTC timestamp type as a plain timezone-aware DateTime in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    """Emit SQL for the migrations without a database connection."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the application's engine (with its SQLite settings)."""

    def skip_empty_autogenerate(_context, _revision, directives) -> None:
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    conf_args.setdefault("render_as_batch", True)
    conf_args.setdefault("compare_type", True)
    conf_args.setdefault("render_item", render_item)

    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode drops a table and makes it anew; with foreign keys on, dropping
            # `accounts` would delete every row that refers to it (ON DELETE CASCADE), so
            # they are off while migrating. The pragma works only outside a transaction,
            # hence the driver's own connection, which this one is discarded with below.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection, target_metadata=target_db.metadata, **conf_args
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    refuse_dangling_rows(connection)
        finally:
            if sqlite:
                connection.invalidate()  # the pool opens the next one with its pragmas


def refuse_dangling_rows(connection) -> None:
    """With foreign keys off, check them once at the end: a migration that left a row
    pointing nowhere fails, and its transaction is rolled back."""
    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        raise RuntimeError(f"The migration left rows that point nowhere: {dangling[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
