"""Reading the monthly counts in tests, straight from the table (not through the reports)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask import Flask
from sqlalchemy import select

from advocacy.extensions import db
from advocacy.reports.models import MonthlyCount

Key = tuple[date, int | None, str]  # (month, program id or None, measure)


def all_counts(app: Flask) -> dict[Key, int]:
    """Every row of the counts table, (month, program, measure) -> count."""
    with app.app_context():
        rows = db.session.execute(
            select(
                MonthlyCount.month,
                MonthlyCount.program_id,
                MonthlyCount.measure,
                MonthlyCount.count,
            )
        ).all()
        db.session.remove()
    found: dict[Key, int] = {}
    for month, program_id, measure, count in rows:
        assert (month, program_id, measure) not in found, "two rows for one month and measure"
        found[month, program_id, measure] = count
    return found


def totals(app: Flask, program_id: int | None) -> Counter[str]:
    """measure -> its count over every month, for one program (None: the whole site)."""
    found = Counter()
    for (_month, pid, measure), count in all_counts(app).items():
        if pid == program_id:
            found[measure] += count
    return +found  # zeros dropped
