"""flask seed-demo adds stories in every state a demo needs."""

from __future__ import annotations

from sqlalchemy import select

from advocacy.extensions import db
from advocacy.stories.models import Story, StoryReport


def test_seed_demo_adds_published_pending_and_reported_stories(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stories = list(db.session.scalars(select(Story)))
        published = [s for s in stories if s.published_at is not None]
        assert any(s.published_warnings for s in published)
        assert any(not s.published_warnings for s in published)
        assert [s.status for s in stories].count("pending") == 1
        reported = db.session.scalars(select(StoryReport.story_id)).all()
        assert len(reported) == 1
    client = app.test_client()
    assert client.get("/stories").status_code == 200
