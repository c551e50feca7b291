"""In-app notices: only the owner sees them; unread count in the header; read marking."""

from sqlalchemy import select

from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.notices.services import notify, withdraw_notices
from tests.support.queries import count_queries


def leave_notice(app, account, clock, title="Tuesday circle", **extra):
    with app.app_context():
        notify(account.id, "waitlist_promoted", now=clock(), link="/events/1", title=title, **extra)
        db.session.commit()


def test_notice_shows_for_its_owner_only(app, client, auth, clock, member, other_member):
    leave_notice(app, member, clock, title="Private circle")
    auth.login(other_member)
    body = client.get("/notices").get_data(as_text=True)
    assert "Private circle" not in body
    assert "Notices (1 new)" not in body
    auth.logout()
    auth.login(member)
    body = client.get("/notices").get_data(as_text=True)
    assert "Private circle" in body
    assert "Notices (1 new)" in body


def test_notice_text_is_escaped(app, client, auth, clock, member):
    leave_notice(app, member, clock, title="<script>alert(1)</script>")
    auth.login(member)
    body = client.get("/notices").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body


def test_mark_all_read(app, client, auth, clock, member):
    leave_notice(app, member, clock)
    auth.login(member)
    assert client.post("/notices/read").status_code == 303
    assert "Notices (1 new)" not in client.get("/notices").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Notice.read_at)) is not None


def test_notices_page_query_count_does_not_grow(app, client, auth, clock, member):
    auth.login(member)
    leave_notice(app, member, clock)
    with app.app_context(), count_queries() as few:
        client.get("/notices")
    for n in range(40):
        leave_notice(app, member, clock, title=f"Circle {n}")
    with app.app_context(), count_queries() as many:
        body = client.get("/notices").get_data(as_text=True)
    assert many.count == few.count
    assert "Older notices" in body


def test_notices_are_exported_and_deleted_with_the_account(app, client, auth, clock, member):
    leave_notice(app, member, clock, title="Export me")
    auth.login(member)
    data = client.post("/account/export", data={"password": member.password}).get_json()
    assert "Export me" in data["notices"][0]["message"]
    client.post("/account/delete", data={"password": member.password})
    with app.app_context():
        assert db.session.scalar(select(Notice)) is None


def test_withdrawing_deletes_only_that_kind_about_that_link_for_that_account(
    app, clock, member, other_member
):
    with app.app_context():
        for kind, link in [
            ("program_completed", "/programs/1/letter"),
            ("program_completed", "/programs/2/letter"),
            ("program_changed", "/programs/1/letter"),
            ("program_completed", "/programs/1/letter"),  # read already: goes too
        ]:
            notify(member.id, kind, now=clock(), link=link, title="Circle")
        notify(other_member.id, "program_completed", now=clock(), link="/programs/1/letter")
        db.session.flush()
        read = db.session.scalars(
            select(Notice).where(Notice.account_id == member.id).order_by(Notice.id.desc())
        ).first()
        read.read_at = clock()
        assert withdraw_notices(member.id, "program_completed", "/programs/1/letter") == 2
        db.session.commit()
        left = db.session.execute(
            select(Notice.account_id, Notice.kind, Notice.link).order_by(Notice.id)
        ).all()
    assert [tuple(row) for row in left] == [
        (member.id, "program_completed", "/programs/2/letter"),
        (member.id, "program_changed", "/programs/1/letter"),
        (other_member.id, "program_completed", "/programs/1/letter"),
    ]
