"""The invite rules at the service: who may invite, spending a use, the open invites list.

Written from the rules: a role without invite rights (a member) may invite nobody, nor
may an inviter whose role changed while the code was hashed; no two invites share a
selector (the first four characters, which find the invite); the last use of an invite
is spent once, even by two people who both read it while it had a use; an invite is open
while it has a use left and until its expiry (at that moment it is over); the list shows
open invites soonest to expire first, ties by id (the order made), at most 100, and one
more so the page can say there are more; each shows who made it (an invite from the
command line has nobody).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from advocacy.accounts import invites
from advocacy.accounts.errors import AccountChanged, InviteInvalid, NotAllowed
from advocacy.accounts.models import Account, Invite, Role
from advocacy.extensions import db
from tests.accounts.helpers import change_meanwhile
from tests.support.event_rules import person

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def stored_invite(
    expires_at: datetime, *, uses_left: int = 1, maker: Account | None = None, **fields
) -> Invite:
    """An invite row as create_invite leaves it (its code is never needed here)."""
    invite = Invite(
        **fields,
        selector=f"S{db.session.scalar(select(func.count()).select_from(Invite)):05d}",
        code_hash="-",
        role=Role.MEMBER,
        uses_left=uses_left,
        expires_at=expires_at,
        created_at=NOW - timedelta(days=1),
        created_by_id=maker.id if maker else None,
    )
    db.session.add(invite)
    db.session.flush()
    return invite


def listed(viewer: Account, now: datetime = NOW) -> list[int]:
    return [invite.id for invite, _maker in invites.open_invites(viewer, now=now)]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR, Role.STAFF, Role.ADMIN])
def test_a_member_may_invite_nobody(in_request, role):
    assert invites.may_invite(Role.MEMBER, role) is False
    with pytest.raises(NotAllowed):
        invites.create_invite(
            role=role,
            uses=1,
            expires_in=timedelta(days=7),
            now=NOW,
            inviter=person("river-member", Role.MEMBER),
        )
    assert db.session.scalar(select(func.count()).select_from(Invite)) == 0


def test_no_invite_is_made_by_a_mentor_made_a_member_while_its_code_was_hashed(
    app, mentor, in_request, monkeypatch
):
    """The right to invite was checked before the code was hashed (outside any
    transaction): a role taken away meanwhile must stop the invite."""
    made_a_member = update(Account).where(Account.id == mentor.id).values(role=Role.MEMBER)
    change_meanwhile(monkeypatch, "hash_code", lambda other: other.execute(made_a_member))

    with pytest.raises(AccountChanged):
        invites.create_invite(
            role=Role.MEMBER,
            uses=1,
            expires_in=timedelta(days=7),
            now=NOW,
            inviter=db.session.get(Account, mentor.id),
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Invite)) == 0


def test_a_code_whose_selector_an_invite_has_is_drawn_again(in_request, monkeypatch):
    drawn = iter(["K7QM-2XRD-9FTB", "K7QM-8HNP-3VTA", "T3VA-2XRD-9FTB"])
    monkeypatch.setattr(invites, "new_code", lambda: next(drawn))

    made = [
        invites.create_invite(
            role=Role.MEMBER, uses=1, expires_in=timedelta(days=7), now=NOW, inviter=None
        )
        for _ in range(2)
    ]

    assert made == ["K7QM-2XRD-9FTB", "T3VA-2XRD-9FTB"]
    assert sorted(db.session.scalars(select(Invite.selector))) == ["K7QM", "T3VA"]
    assert invites.usable_invite("T3VA-2XRD-9FTB", now=NOW) is not None


def test_the_last_use_is_spent_once_even_when_two_read_it_while_it_was_left(in_request):
    code = invites.create_invite(
        role=Role.MENTOR, uses=1, expires_in=timedelta(days=7), now=NOW, inviter=None
    )
    read_while_left = invites.usable_invite(code, now=NOW)
    assert read_while_left is not None

    assert invites.redeem_invite(invites.usable_invite(code, now=NOW), now=NOW) == Role.MENTOR
    with pytest.raises(InviteInvalid):
        invites.redeem_invite(read_while_left, now=NOW)

    assert db.session.scalar(select(Invite.uses_left)) == 0


def test_an_invite_is_open_while_it_has_a_use_left_and_until_its_expiry(in_request):
    admin = person("wren-admin", Role.ADMIN)
    last_use = stored_invite(NOW + SECOND, uses_left=1)
    stored_invite(NOW + timedelta(days=1), uses_left=0)
    stored_invite(NOW, uses_left=5)  # expires at this very moment

    assert listed(admin) == [last_use.id]


def test_open_invites_come_soonest_to_expire_first_and_ties_by_id(in_request):
    admin = person("wren-admin", Role.ADMIN)
    # A tie stored out of id order, and one stored in it: each comes back by id (on
    # PostgreSQL, without the tie-breaker, the second comes back reversed).
    for invite_id, days in [(2, 1), (1, 1), (3, 3), (4, 2), (5, 3), (6, 3)]:
        stored_invite(NOW + timedelta(days=days), id=invite_id)

    assert listed(admin) == [1, 2, 4, 3, 5, 6]


def test_at_most_100_are_listed_and_one_more_says_there_are_more(in_request):
    admin = person("wren-admin", Role.ADMIN)
    made = [stored_invite(NOW + timedelta(minutes=n)) for n in range(102, 0, -1)]
    soonest_first = [invite.id for invite in reversed(made)]

    assert listed(admin) == soonest_first[:101]


def test_each_open_invite_names_its_maker_and_the_command_lines_name_nobody(in_request):
    admin, mentor = person("wren-admin", Role.ADMIN), person("heron-mentor", Role.MENTOR)
    by_mentor = stored_invite(NOW + timedelta(days=1), maker=mentor)
    by_command_line = stored_invite(NOW + timedelta(days=2))

    rows = [(invite.id, maker) for invite, maker in invites.open_invites(admin, now=NOW)]

    assert rows == [(by_mentor.id, "heron-mentor"), (by_command_line.id, None)]
    assert [(invite.id, maker) for invite, maker in invites.open_invites(mentor, now=NOW)] == [
        (by_mentor.id, "heron-mentor")
    ]
