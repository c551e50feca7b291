"""Looking for strings in the bytes of a SQLite database and its -wal and -shm files."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import event

from advocacy.extensions import db
from advocacy.privacy import services as privacy


def canary() -> str:
    """A string found nowhere else: lower case, so the case-folded pseudonym key matches."""
    return "cnry" + secrets.token_hex(8)


def sqlite_bytes(database: Path) -> dict[str, bytes]:
    """The bytes of the database file and its -wal and -shm files, whichever exist."""
    files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    return {path.name: path.read_bytes() for path in files if path.exists()}


def found_in(files: dict[str, bytes], canaries: dict[str, str]) -> dict[str, list[str]]:
    """Which canaries (by what they stand for) each file holds."""
    return {
        what: [name for name, data in files.items() if value.encode() in data]
        for what, value in canaries.items()
        if any(value.encode() in data for data in files.values())
    }


def all_in_the_files(database: Path, canaries: dict[str, str]) -> None:
    """Positive control: every canary is in the files now."""
    found = found_in(sqlite_bytes(database), canaries)
    assert sorted(found) == sorted(canaries), (
        f"not in the files before: {sorted(set(canaries) - set(found))}"
    )


def none_left_in_the_files(database: Path, canaries: dict[str, str], mode: str) -> None:
    """None is left in the files; under a negative control (`mode`), some is, where the
    control says, so the search could have found them."""
    after = found_in(sqlite_bytes(database), canaries)
    if mode == SECURE:
        assert after == {}, f"left in the files: {after}"
    elif mode == INSECURE:
        # Without secure_delete the freed bytes stay in the database file.
        assert after, "secure_delete off, yet no canary found: the test cannot see them"
        assert any(database.name in files for files in after.values())
    else:
        # Without the checkpoint, older copies of the pages stay in the -wal file.
        assert after, "no checkpoint, yet no canary found: the test cannot see them"
        assert any(f"{database.name}-wal" in files for files in after.values())


def pragma(name: str) -> int:
    """The value of a SQLite pragma on a connection from the app's pool."""
    with db.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


SECURE = "secure_delete-on"
INSECURE = "secure_delete-off"
NO_CHECKPOINT = "no-wal-checkpoint"


@pytest.fixture(params=[SECURE, INSECURE, NO_CHECKPOINT])
def mode(request, app, monkeypatch) -> str:
    """As configured; or, as negative controls, secure_delete turned off on every new
    connection, or the WAL checkpoint after deletion skipped."""
    if request.param == INSECURE:
        with app.app_context():

            def turn_off(dbapi_connection, _record) -> None:
                dbapi_connection.execute("PRAGMA secure_delete=OFF")

            # Runs after the app's own listener, which turns it on.
            event.listen(db.engine, "connect", turn_off)
            db.engine.dispose()
    if request.param == NO_CHECKPOINT:
        monkeypatch.setattr(privacy, "erase_traces", lambda: None)
    return request.param
