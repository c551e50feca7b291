"""The rule of advocacy/once.py at the decorator, with small views written for the test.

A view marked @once records the form's mark with its first commit that writes anything,
in that same transaction; a commit with nothing written (before slow work) records
nothing; a savepoint is not the view's commit. A copy that loses the race to the other
(at the commit, or refused by what the other did meanwhile) is rolled back and sent
where the first went; a failure that is not a copy is not hidden.

Runs unchanged on SQLite and, in the PostgreSQL pass, on PostgreSQL: "the other copy"
commits on a connection of its own while the view does its slow work, outside any
transaction (database.commit_before_slow_work), as two requests would.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest
from flask import get_flashed_messages, session
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from advocacy import config
from advocacy.database import commit_before_slow_work
from advocacy.extensions import db
from advocacy.once import SentForm, mark_hash, once
from advocacy.stories.models import Story
from tests.support.accounts import make_account

MARK = "A" * 22


def keyed(*lines: str) -> str:
    """HMAC-SHA256 under SHA-256("sent-form:" + the tests' SECRET_KEY) of the lines: the
    endpoint, the address arguments, the sender and the mark (advocacy/once.py)."""
    key = hashlib.sha256(b"sent-form:" + config.TestConfig.SECRET_KEY.encode()).digest()
    return hmac.new(key, "\n".join(lines).encode(), hashlib.sha256).hexdigest()


# The meetings form of program 7, sent signed out with no session (no sender).
KEY_HASH = keyed("programs.new_meeting", "[('program_id', 7)]", "", MARK)
ALREADY_SENT = "That was already sent, and it was saved once. Here it is."
NO_SUCH_ACCOUNT = 2**31 - 1


@pytest.fixture
def author(app) -> int:
    return make_account(app, "river-member").id


@pytest.fixture
def sent(app, clock):
    """Inside the request of a create form sent with MARK (the meetings form of program 7)."""
    with app.test_request_context("/programs/7/meetings/new", method="POST", data={"once": MARK}):
        yield


def draft(author_id: int, now) -> Story:
    return Story(
        author_id=author_id,
        title="A quiet morning",
        body="Plain words.",
        status="draft",
        created_at=now,
        updated_at=now,
    )


def other_copy_records_the_mark(at) -> None:
    """The other copy of the form commits its mark first, on a connection of its own."""
    with db.engine.begin() as connection:
        connection.execute(insert(SentForm).values(key_hash=KEY_HASH, sent_at=at))


def stories() -> int:
    return db.session.scalar(select(func.count()).select_from(Story))


def marks() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(select(SentForm.key_hash, SentForm.sent_at))]


@pytest.mark.parametrize("write", ["added", "flushed", "changed", "deleted"])
def test_the_first_commit_that_writes_records_the_mark_in_its_transaction_once(
    sent, clock, author, write
):
    existing = draft(author, clock())
    db.session.add(existing)
    db.session.commit()
    before_any_write, after_first_write = [], []

    def view():
        commit_before_slow_work()  # nothing written yet: a commit that records nothing
        before_any_write.extend(marks())
        if write in ("added", "flushed"):
            db.session.add(draft(author, clock()))
            if write == "flushed":
                db.session.flush()
        elif write == "changed":
            db.session.get(Story, existing.id).title = "Changed"
        else:
            db.session.delete(db.session.get(Story, existing.id))
        db.session.commit()
        after_first_write.extend(marks())
        db.session.add(draft(author, clock()))  # a later commit writes, but records no more
        db.session.commit()
        return "made"

    assert once(then="programs.roster")(view)() == "made"
    assert before_any_write == []
    assert after_first_write == [(KEY_HASH, clock())]
    assert marks() == [(KEY_HASH, clock())]
    assert get_flashed_messages() == []


def test_a_savepoint_is_not_the_views_commit(sent, clock, author):
    def view():
        with db.session.begin_nested():
            db.session.add(draft(author, clock()))
        db.session.rollback()  # the savepoint's write goes with its transaction
        db.session.add(draft(author, clock()))
        db.session.commit()
        return "made"

    assert once(then="programs.roster")(view)() == "made"
    assert (stories(), marks()) == (1, [(KEY_HASH, clock())])


def test_a_form_already_acted_on_is_not_acted_on_again(sent, clock):
    other_copy_records_the_mark(clock())
    called = []

    response = once(then="programs.roster")(lambda: called.append(True))()

    assert (response.status_code, response.location) == (303, "/programs/7/roster")
    assert called == []
    assert get_flashed_messages(with_categories=True) == [("info", ALREADY_SENT)]


def test_a_copy_that_loses_at_the_commit_is_rolled_back_and_sent_where_the_first_went(
    sent, clock, author
):
    def view():
        commit_before_slow_work()
        other_copy_records_the_mark(clock())  # while this copy hashed a password, say
        db.session.add(draft(author, clock()))
        db.session.commit()
        return "made"

    response = once(then="programs.roster", said="Here it is, calmly.")(view)()

    assert (response.status_code, response.location) == (303, "/programs/7/roster")
    assert get_flashed_messages(with_categories=True) == [("info", "Here it is, calmly.")]
    assert (stories(), marks()) == (0, [(KEY_HASH, clock())])


def test_a_copy_refused_by_what_the_first_did_is_answered_as_a_copy(sent, clock, author):
    def view():
        commit_before_slow_work()
        other_copy_records_the_mark(clock())
        db.session.add(draft(author, clock()))  # then refused (a name now taken): no commit
        return "That pseudonym is taken.", 200

    response = once(then="programs.roster")(view)()

    assert (response.status_code, response.location) == (303, "/programs/7/roster")
    assert get_flashed_messages() == [ALREADY_SENT]
    assert (stories(), marks()) == (0, [(KEY_HASH, clock())])


def test_a_refusal_with_no_copy_anywhere_is_the_views_own_answer(sent, clock):
    response = once(then="programs.roster")(lambda: ("Please give it a title.", 400))()

    assert response == ("Please give it a title.", 400)
    assert (marks(), get_flashed_messages()) == ([], [])


def test_a_failure_that_is_not_a_copy_is_not_hidden(sent, clock):
    def view():
        db.session.add(draft(NO_SUCH_ACCOUNT, clock()))
        db.session.commit()

    with pytest.raises(IntegrityError):
        once(then="programs.roster")(view)()
    db.session.rollback()
    assert (stories(), marks(), get_flashed_messages()) == (0, [], [])


def test_only_the_views_own_commits_record_the_mark(sent, clock, author):
    """A write committed after the view answered (by a later hook) records nothing."""
    response = once(then="programs.roster")(lambda: ("Please give it a title.", 400))()
    db.session.add(draft(author, clock()))
    db.session.commit()

    assert response == ("Please give it a title.", 400)
    assert (stories(), marks()) == (1, [])


def test_a_session_outside_any_request_commits_as_always(app, clock):
    """Scripts and the purge commit with no request (nor `g`) around: nothing is asked."""
    with app.app_context():
        engine = db.engine
    with Session(engine) as session:
        session.add(SentForm(key_hash=KEY_HASH, sent_at=clock()))
        session.commit()
    with app.app_context():
        assert marks() == [(KEY_HASH, clock())]


def test_a_visitor_s_mark_is_bound_to_their_session_s_csrf_secret(app):
    with app.test_request_context("/programs/7/meetings/new", method="POST"):
        session["csrf_token"] = "visitor-secret"
        assert mark_hash(MARK) == keyed(
            "programs.new_meeting", "[('program_id', 7)]", "visitor-secret", MARK
        )


def test_a_request_to_no_route_hashes_an_empty_endpoint(app):
    with app.test_request_context("/no/such/page", method="POST"):
        assert mark_hash(MARK) == keyed("", "[]", "", MARK)


def test_the_decorator_names_where_a_copy_goes_for_the_route_table_test():
    def view() -> str:
        return "made"

    assert once(then="stories.mine")(view).once_then == "stories.mine"
