"""`flask seed-bench` and `make bench`'s own parts (bench/): counts at a tiny scale, rows as
the services leave them, the refusals, the baseline answering, and (where wrk is
installed) one short load through the harness. Nothing here is timed."""

from __future__ import annotations

import runpy
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from advocacy.accounts.models import Account
from advocacy.config import PROJECT_ROOT
from advocacy.events.models import Event, EventHost, Occurrence, Rsvp
from advocacy.extensions import db, passwords
from advocacy.notices.models import Notice
from advocacy.programs.models import Enrollment, Program, ProgramHost
from advocacy.sanitize import render_markdown
from advocacy.stories.models import Story
from bench import database
from bench.baseline.app import create_baseline
from tests.conftest import ON_POSTGRES

# Scale 0.002 of 10,000 members, 100,000 stories, 5,000 meetings, 1,000 programs.
SCALE = "0.002"
PASSWORD = "lantern-orbit-meadow-quiet-bench"  # the documented default (bench/README.md)
READERS = ("bench-member-1", "bench-member-2", "bench-member-3", "bench-member-4")


def count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed-bench", "--scale", SCALE])
    assert result.exit_code == 0, result.output
    return result.output


def test_seed_bench_makes_the_scaled_counts_and_the_readers(app, seeded):
    with app.app_context():
        assert count(select(Account.id).where(Account.role == "member")) == 20
        assert count(select(Account.id).where(Account.role == "staff")) == 2
        assert count(select(Account.id)) == 22  # nobody else: no admin, no mentor
        assert count(select(Story.id).where(Story.published_at.is_not(None))) == 200
        assert count(select(Story.id)) == 200
        assert count(select(Occurrence.id)) == 10
        assert count(select(Program.id)) == 2
        # The accounts the benchmark signs in as: notices, some unread, and places.
        for pseudonym in READERS:
            account_id = db.session.scalar(select(Account.id).where(Account.pseudonym == pseudonym))
            notices = select(Notice.id).where(Notice.account_id == account_id)
            assert count(notices) == 60
            assert count(notices.where(Notice.read_at.is_(None))) == 5
            places = select(Enrollment.id).where(
                Enrollment.account_id == account_id, Enrollment.status == "confirmed"
            )
            assert count(places) >= 1
        others = select(Notice.id).join(Account).where(Account.pseudonym.not_in(READERS))
        assert count(others) == 0
    assert "200 stories" in seeded
    assert "bench-member-1" in seeded


def test_seed_bench_rows_are_as_the_services_leave_them(app, runner):
    # Scale 0.01: enough for full meetings and programs, whose queues the rules below check.
    result = runner.invoke(args=["seed-bench", "--scale", "0.01"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert count(select(Rsvp.id).where(Rsvp.status == "waitlisted")) > 0
        assert count(select(Enrollment.id).where(Enrollment.status == "waitlisted")) > 0
        hashes = set(db.session.scalars(select(Account.password_hash)))
        assert len(hashes) == 1  # hashed once, shared
        assert passwords.verify(hashes.pop(), PASSWORD)
        staff = db.session.scalars(select(Account).where(Account.role == "staff")).all()
        assert all(account.totp_secret for account in staff)  # staff must use a second factor
        for story in db.session.scalars(select(Story)):
            assert story.status == "published"
            assert story.published_body == story.body
            assert story.published_title == story.title
            assert story.published_html == render_markdown(story.body)
            assert story.html_version == 2
        assert len(set(db.session.scalars(select(Story.body)))) <= 6  # a handful, reused
        now = datetime.now(UTC)
        for occurrence in db.session.scalars(select(Occurrence)):
            confirmed = count(
                select(Rsvp.id).where(
                    Rsvp.occurrence_id == occurrence.id, Rsvp.status == "confirmed"
                )
            )
            assert occurrence.taken == confirmed
            assert occurrence.capacity is None or confirmed <= occurrence.capacity
            if occurrence.is_cancelled or occurrence.starts_at <= now:
                assert count(select(Rsvp.id).where(Rsvp.occurrence_id == occurrence.id)) == 0
        for program in db.session.scalars(select(Program)):
            holding = count(
                select(Enrollment.id).where(
                    Enrollment.program_id == program.id,
                    Enrollment.status.in_(("pending", "confirmed")),
                )
            )
            assert program.taken == holding <= program.capacity
            assert count(select(ProgramHost.id).where(ProgramHost.program_id == program.id)) == 1
        for event in db.session.scalars(select(Event)):
            hosts = count(select(EventHost.id).where(EventHost.event_id == event.id))
            assert hosts == (1 if event.program_id is None else 0)
            meetings = count(select(Occurrence.id).where(Occurrence.event_id == event.id))
            assert (event.recurrence_rule is None) == (meetings == 1)
            if event.program_id is not None:
                assert (
                    count(select(Rsvp.id).join(Occurrence).where(Occurrence.event_id == event.id))
                    == 0
                )
        # The benchmark reads a reader's program page with its meetings: each reader holds a
        # place in two current programs that have them, whatever the scale.
        for pseudonym in READERS:
            with_meetings = (
                select(Enrollment.program_id)
                .join(Account, Account.id == Enrollment.account_id)
                .where(
                    Account.pseudonym == pseudonym,
                    Enrollment.status == "confirmed",
                    Enrollment.program_id.in_(select(Event.program_id)),
                )
                .join(Program, Program.id == Enrollment.program_id)
                .where(Program.status.in_(("open", "closed")))
            )
            assert count(with_meetings) == 2


def test_seed_bench_gives_postgresql_its_statistics(app, seeded):
    if not ON_POSTGRES:
        pytest.skip("PostgreSQL only: SQLite's statistics are the app's own (issue 17, item 3)")
    with app.app_context():
        # As autovacuum would on a live database: without them, whole tables are read.
        rows = db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'stories'"))
    assert rows == 200


def test_seed_bench_refuses_a_database_with_accounts(app, runner, member):
    result = runner.invoke(args=["seed-bench", "--scale", SCALE])
    assert result.exit_code == 1
    assert "already has 1 account, so nothing was added" in result.output
    with app.app_context():
        assert count(select(Account.id)) == 1
        assert count(select(Story.id)) == 0
    forced = runner.invoke(args=["seed-bench", "--scale", SCALE, "--allow-accounts"])
    assert forced.exit_code == 0, forced.output
    again = runner.invoke(args=["seed-bench", "--scale", SCALE, "--allow-accounts"])
    assert again.exit_code == 1
    assert "already holds benchmark data" in again.output
    with app.app_context():
        assert count(select(Account.id)) == 23
        assert count(select(Story.id)) == 200


@pytest.mark.parametrize("app_overrides", [{"ENV_NAME": "production"}])
def test_seed_bench_refuses_production(app, runner):
    result = runner.invoke(args=["seed-bench", "--scale", SCALE])
    assert result.exit_code == 1
    assert "never made in production" in result.output
    with app.app_context():
        assert count(select(Account.id)) == 0


def test_the_baseline_answers_twenty_stories_on_an_8_kb_page(seeded, database_url):
    baseline = create_baseline(database_url)
    try:
        answer = baseline.test_client().get("/")
    finally:
        baseline.extensions["baseline_engine"].dispose()
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert page.count('href="/stories/') == 20
    assert 7 * 1024 <= len(answer.data) <= 10 * 1024
    assert "Set-Cookie" not in answer.headers  # nothing else: no session


@pytest.mark.bench
@pytest.mark.gunicorn
@pytest.mark.sqlite_only  # one pass is enough: it checks the harness, not the database
def test_the_harness_signs_in_and_loads_the_product(app, seeded, database_url, tmp_path):
    from bench.load import PageProblem, check_page, request, run_wrk, sign_in, wrk_path
    from bench.servers import start_product

    if wrk_path() is None:
        pytest.skip("wrk is not installed (Debian: apt-get install wrk)")
    servers = []
    try:
        product = start_product(database_url, tmp_path)
        servers.append(product)
        cookie = sign_in(product, "bench-member-1", PASSWORD, language="en")
        assert check_page(product, "/notices", language="en", cookie=cookie) > 1024
        # The cookie a browser holds once signed in: its pages write no new one (wrk sends
        # the same cookie all along, and would measure a cookie written on every page).
        assert request(product, "/stories", language="en", cookie=cookie).cookies == {}
        with pytest.raises(PageProblem, match="302"):  # signed out: sent to /login
            check_page(product, "/notices", language="en", cookie="")
        with pytest.raises(PageProblem, match="answered 200, not a redirect"):
            sign_in(product, "bench-member-1", "not-the-password-at-all", language="en")
        load = {"seconds": 1, "connections": 2, "threads": 1, "language": "en"}
        signed_in = run_wrk(product, "/notices", cookie=cookie, **load)
        assert signed_in.requests > 0
        assert (signed_in.not_ok, signed_in.socket_errors, signed_in.workers_changed) == (
            0,
            0,
            False,
        )
        assert signed_in.cpu_seconds > 0
        signed_out = run_wrk(product, "/notices", cookie="", **load)
        assert signed_out.not_ok == signed_out.requests > 0  # every answer a redirect, counted
    finally:
        for server in servers:
            server.stop()


def test_the_baseline_runs_with_the_products_gunicorn_settings(monkeypatch):
    monkeypatch.setenv("ADVOCACY_WORKERS", "3")
    monkeypatch.setenv("ADVOCACY_THREADS", "5")
    product = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    baseline = runpy.run_path(str(PROJECT_ROOT / "bench/baseline/gunicorn.conf.py"))
    for name in ("workers", "threads", "worker_class", "timeout", "keepalive", "bind"):
        assert baseline.get(name) == product.get(name), name
    assert (baseline["workers"], baseline["threads"]) == (3, 5)
    assert "on_starting" not in baseline  # the product's own error page and log filter


def test_the_harness_refuses_a_database_not_named_for_the_benchmark(tmp_path):
    # Refused before anything touches it: no file made, no migration run.
    site = tmp_path / "advocacy.sqlite3"
    with pytest.raises(database.Refused, match="not a benchmark database"):
        database.prepare(0.1, f"sqlite:///{site}")
    assert not site.exists()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:5432/bench_1?dbname=production",
        "postgresql+psycopg://postgres@127.0.0.1:5432/bench_1?service=site",
        "postgresql+psycopg://postgres@127.0.0.1:5432/bench_1?sslmode=prefer&database=site",
    ],
)
def test_the_harness_refuses_a_benchmark_name_that_a_query_would_override(url):
    # libpq reads dbname (or a service's) after the path: the name checked would not be
    # the database reached. Refused before any connection is made.
    with pytest.raises(database.Refused, match="could reach another database"):
        database.prepare(0.1, url)


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL connection is what is checked")
def test_the_harness_refuses_a_connection_that_reaches_another_database(database_url):
    from sqlalchemy.engine import make_url

    reached = make_url(database_url).database
    database.refuse_unless_connected_to(database_url)  # reaches the one it names
    other = make_url(database_url).set(database="bench_named", query={"dbname": reached})
    with pytest.raises(database.Refused, match=f"reached the database '{reached}'"):
        database.refuse_unless_connected_to(other.render_as_string(hide_password=False))
