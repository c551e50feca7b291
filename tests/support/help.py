"""Builders for help library resources, straight through the service."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from advocacy.extensions import db
from advocacy.help import services

WHEN = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def make_resource(
    app: Flask,
    *,
    title: str = "Housing help",
    summary: str = "Where to start looking for a home.",
    category: str = "housing",
    language: str = "en",
    area: str = "Statewide",
    body: str = "Ask a caseworker about *transitional housing*.",
    outside_url: str = "",
    is_public: bool = True,
    now: datetime = WHEN,
) -> int:
    """Add a resource (committed, from outside any app context); return its id."""
    with app.app_context():
        resource = services.create(
            services.ResourceDetails(
                title=title,
                summary=summary,
                category=category,
                language=language,
                area=area,
                body=body,
                outside_url=outside_url,
                is_public=is_public,
            ),
            now=now,
        )
        db.session.commit()
        return resource.id


def resource_form(**changes: str) -> dict[str, str]:
    """The staff form for a resource, filled in as a person would (is_public ticked)."""
    return {
        "title": "T visa basics",
        "summary": "Who can apply, and what it gives.",
        "category": "legal",
        "language": "en",
        "area": "Nationwide",
        "body": "See a lawyer **before** you apply.",
        "outside_url": "https://www.uscis.gov/",
        "is_public": "y",
        **changes,
    }
