"""Running the purge in tests: at a given instant, with everyone else kept signed in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.dialects import postgresql

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy.services import purge
from tests.support.accounts import make_account

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)

Row = tuple[type, int | str]  # (model, primary key): an id, or a key hash


def purge_at(app, now: datetime, **options) -> dict[str, int]:
    """Run the purge as `flask privacy purge` does, at `now`."""
    with app.app_context():
        return purge(now, **options)


def keep_signed_in(app, on: date, *, except_ids: tuple[int, ...] = ()) -> None:
    """Mark every account but except_ids as signed in on `on`, so only they may expire."""
    with app.app_context():
        db.session.execute(
            update(Account).where(Account.id.not_in(except_ids)).values(last_login_on=on)
        )
        db.session.commit()


def present(app, rows: list[Row]) -> list[bool]:
    """Say, for each (model, id), whether the row is still in the database."""
    with app.app_context():
        return [db.session.get(model, row_id) is not None for model, row_id in rows]


def person(app, pseudonym: str, role: str = "member") -> int:
    """Make an account; return its id."""
    return make_account(app, pseudonym, role=role).id


def account(account_id: int) -> Account:
    """Load an account in the current app context."""
    return db.session.get(Account, account_id)


def purger_names() -> set[str]:
    """The names every purge reports its counts under."""
    return {purger.name for purger in registry.purgers()}


def spy_on_reads(monkeypatch) -> list[str]:
    """Record every statement read through db.session.scalars from now on, as PostgreSQL
    would run it (call inside an app context): whether a batch claims its rows FOR UPDATE
    SKIP LOCKED shows there even on SQLite, which leaves the clause out."""
    read: list[str] = []
    scalars = db.session.scalars

    def spy(statement, *args, **kwargs):
        read.append(str(statement.compile(dialect=postgresql.dialect())))
        return scalars(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalars", spy)
    return read
