"""flask seed-demo gives the open healing program sessions to follow at one's own pace,
with one of them marked done by demo-member2, who has a place there."""

from __future__ import annotations

from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import services, sessions
from advocacy.programs.models import Program


def test_the_demo_healing_circle_has_sessions_and_one_is_done(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        circle = db.session.scalar(select(Program).where(Program.title == "Healing circle"))
        written = sessions.sessions_of(circle.id)
        assert [s.title for s in written] == [
            "Arriving",
            "Stress and the body",
            "Boundaries are yours",
            "Asking for support",
        ]
        assert all(s.prompt and s.minutes for s in written)
        member2 = db.session.scalar(select(Account).where(Account.pseudonym == "demo-member2"))
        place = services.enrollment_of(member2.id, circle.id)
        assert sessions.done_ids(place.id) == {written[0].id}
