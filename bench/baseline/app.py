"""The baseline: bare Flask, one 20-row query joining two tables of the benchmark's own
database, an ~8 KB Jinja page, nothing else (no sessions, forms, translations, hooks).

Fixed once (issue 17): the product's pages are measured against it, so changing it
changes every ratio in bench/README.md. Served by bench/baseline/wsgi.py under the
product's gunicorn settings (bench/baseline/gunicorn.conf.py).
"""

from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy import create_engine, text

# The newest published stories with their authors: 20 rows, read through an index
# (ix_stories_published_at_id) on SQLite and PostgreSQL alike.
QUERY = text(
    "SELECT stories.id, stories.published_title, stories.published_at, accounts.pseudonym "
    "FROM stories JOIN accounts ON accounts.id = stories.author_id "
    "WHERE stories.published_at IS NOT NULL "
    "ORDER BY stories.published_at DESC, stories.id DESC LIMIT 20"
)


def create_baseline(database_url: str) -> Flask:
    """Return the baseline app reading `database_url` (a SQLAlchemy URL)."""
    app = Flask(__name__)
    engine = create_engine(database_url)
    app.extensions["baseline_engine"] = engine  # for whoever closes it (the tests)

    @app.get("/")
    def page() -> str:
        with engine.connect() as connection:
            rows = connection.execute(QUERY).all()
        return render_template("page.html", rows=rows)

    return app
