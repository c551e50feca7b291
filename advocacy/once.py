"""Double submits make one thing: a form sent twice (a double tap, a retry on a slow
connection) creates one story, one invite, one event, one program, one set of program
meetings, one account.

The rule:

- every create form carries `once`, a random mark (`secrets.token_urlsafe(16)`: exactly
  22 characters of A-Z, a-z, 0-9, "-" and "_") made afresh on every render by the template
  global `once_mark()` (in `<input type="hidden" name="once">`), so a form corrected
  after a refusal is a new send;
- a view marked `@once(then="endpoint")` reads the mark of a sent form first: none means
  nothing is checked (a page rendered before marks existed); malformed is a calm 400 and
  nothing is written; one already recorded means nothing is done again: a 303 to `then`
  (given the view's own address arguments) with a calm message;
- otherwise the view runs, and the first commit of the request that writes something
  records the mark's keyed hash (`sent_forms`) in the same transaction as what the view
  made: both are kept, or neither;
- two copies at once: the second waits for the first's transaction (SQLite's write lock)
  and finds the mark, or fails on the mark's primary key (PostgreSQL), or is refused by a
  rule the first copy used up (a pseudonym now taken, an invite now spent); it is rolled
  back and answered like a copy that came later.

`sent_forms` holds the keyed hash and when it was sent (UTC), never who sent it or what
the form said; the purge forgets a mark a day after it was sent (privacy/rules.py,
"sent_form"). The view decides alone what writing means: slow work such as hashing a
password runs wherever the view puts it, and no write is started before it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import String, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from advocacy import clock
from advocacy.database import WROTE, UTCDateTime
from advocacy.extensions import db
from advocacy.privacy import registry

FIELD = "once"
MARK_BYTES = 16
MARK_LENGTH = 22  # base64url of 16 bytes, without padding
MARK_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")
ALREADY_SENT = _l("That was already sent, and it was saved once. Here it is.")

# In `g` while a marked view runs: the keyed hash to record, and whether it was.
PENDING = "once_pending"
RECORDED = "once_recorded"
# In Session.info between before_commit and after_commit: this commit adds the mark.
ADDING = "advocacy.once_adding"


class SentForm(db.Model):
    """A form that was sent and acted on: the keyed hash of its mark, and when (UTC)."""

    __tablename__ = "sent_forms"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def once_mark() -> str:
    """Return a fresh mark for a form's hidden `once` input (template global, per render)."""
    return secrets.token_urlsafe(MARK_BYTES)


def well_formed(text: str) -> bool:
    """Whether untrusted text has exactly a mark's shape: 22 characters of base64url."""
    return len(text) == MARK_LENGTH and set(text) <= MARK_ALPHABET


def mark_hash(mark: str) -> str:
    """Return the keyed hash of a mark as sent by this sender to this form (64 hex digits).

    HMAC-SHA256 under SHA-256("sent-form:" + secret key) of four lines: the endpoint, the
    address arguments (sorted (name, value) pairs), the sender (the signed-in account's id,
    or else the session's CSRF secret) and the mark. Bound so, a mark read off a shared
    device neither matches someone else's send nor another form: nobody can make a
    member's form count as "already sent", or learn whether they sent it.
    """
    sender = (
        str(current_user.id) if current_user.is_authenticated else session.get("csrf_token", "")
    )
    scope = [request.endpoint or "", repr(sorted((request.view_args or {}).items())), sender]
    key = hashlib.sha256(b"sent-form:" + current_app.secret_key.encode()).digest()
    return hmac.new(key, "\n".join([*scope, mark]).encode(), hashlib.sha256).hexdigest()


def posted_mark() -> str | None:
    """Return the keyed hash of the sent form's mark, or None if it has none (or is a GET).

    A calm 400 (nothing read further, nothing written) for a malformed mark or several.
    """
    values = request.form.getlist(FIELD)
    if not values:
        return None
    if len(values) > 1 or not well_formed(values[0]):
        abort(400)
    return mark_hash(values[0])


def was_sent(key_hash: str) -> bool:
    """Whether a form with this mark was already acted on (committed by any request)."""
    found = db.session.scalar(select(SentForm.key_hash).where(SentForm.key_hash == key_hash))
    return found is not None


def once(then: str, said: Any = ALREADY_SENT) -> Callable:
    """Make a create view act on each sent form once (the rule: this module's docstring).

    then: the endpoint a copy is sent to (303), given the view's address arguments;
    said: the calm message shown there.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            key = posted_mark()
            if key is None:
                return view(*args, **kwargs)
            if was_sent(key):
                return answer_copy(then, said)
            setattr(g, PENDING, key)
            try:
                response = view(*args, **kwargs)
            except IntegrityError:
                db.session.rollback()
                if was_sent(key):  # the other copy won the race
                    return answer_copy(then, said)
                raise
            finally:
                recorded = g.pop(RECORDED, False)
                g.pop(PENDING, None)
            if not recorded and was_sent(key):
                # Refused by what the other copy did meanwhile (a name taken, an invite spent).
                db.session.rollback()
                return answer_copy(then, said)
            return response

        wrapped.once_then = then  # read by the route-table test
        return wrapped

    return decorator


def answer_copy(then: str, said: Any) -> Any:
    """Answer a copy of a form already acted on: a calm message, and where it went."""
    flash(said, "info")
    return redirect(url_for(then, **(request.view_args or {})), code=303)


@event.listens_for(Session, "before_commit")
def record_mark(session: Session) -> None:
    """Add the pending mark to the first commit of a marked view that writes anything."""
    if not has_request_context() or session.in_nested_transaction():
        return
    key = g.get(PENDING)
    if key is None or g.get(RECORDED):
        return
    if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
        session.add(SentForm(key_hash=key, sent_at=clock.now()))
        session.info[ADDING] = True


@event.listens_for(Session, "after_commit")
def note_recorded(session: Session) -> None:
    """Once the mark is committed, later commits of the request add it no more."""
    if session.info.pop(ADDING, False):
        setattr(g, RECORDED, True)


def register_once(app: Flask) -> None:
    """Let every template draw a mark with `once_mark()`."""
    app.add_template_global(once_mark)


def expired(now: datetime, days: int) -> Any:
    """Marks sent more than `days` before now (exactly `days` old is still kept)."""
    return SentForm.sent_at < now - timedelta(days=days)


registry.register_purger(
    "sent_form",
    "sent forms",
    count=lambda now, days: registry.count_where(SentForm, expired(now, days)),
    batch=lambda now, days, size: len(registry.delete_batch(SentForm, expired(now, days), size)),
)
