"""What the pages say once members removed an ended program from their accounts (a
newcomer's try on demo program 3: the roster said every past meeting's attendance was "not
recorded yet" and "0 of 2 places taken" while /staff and the reports said it was recorded).

The rule: the pages tell the truth from what is kept (DESIGN §4: only counts stay).

- A meeting whose attendance was recorded stays recorded when the rows of who came go:
  the roster says how many came (the rows left and the meeting's kept count,
  Occurrence.attended_count), never who of those removed; the meeting's attendance page
  says the same, not "Nobody has a confirmed place yet".
- An ended program keeps how many took part (Program.enrolled_count): the places line
  says how many places were taken, and a roster with nobody left says everyone removed
  their place (the counts stay), not "No requests yet".
- Someone with nothing of an ended program on their account reads that it has ended, with
  its last day, and nothing about requests or scheduling.
- Withdrawing then says there is nothing of the program on the account (nothing to
  remove either), not "You can remove it from your account instead".
"""

from __future__ import annotations

from tests.programs.test_ended_programs import DAY_AFTER, build, signed_in, text
from tests.support.accounts import make_account

REMOVE = "/programs/{id}/remove"
# The build's program has 2 places; at its first meeting both members came, at its second
# only the other member (tests/programs/test_ended_programs.py build).
GONE = (
    "No places are kept any more: members removed them from their accounts, or they went "
    "after the time places are kept. The counts stay."
)


def removed(app, auth, clock, staff, member, other_member, *, everyone: bool) -> dict:
    """The build's program, the day after its end, removed by the member (`everyone`:
    by the other member and the one waiting too)."""
    made = build(app, clock, staff, member, other_member)
    for account in (member, other_member, made["waiter"]) if everyone else (member,):
        client = signed_in(app, auth, clock, account, DAY_AFTER)
        assert client.post(REMOVE.format(id=made["id"]), data={"confirm": "yes"}).status_code == 303
    return made


def roster_after(app, auth, clock, staff, member, other_member, everyone: bool):
    """After `removed`: the program, a client of its staff the day after, and its roster."""
    made = removed(app, auth, clock, staff, member, other_member, everyone=everyone)
    runner = signed_in(app, auth, clock, staff, DAY_AFTER)
    return made, runner, text(runner.get(f"/programs/{made['id']}/roster"))


def test_the_roster_keeps_what_was_recorded_when_everyone_removed_it(
    app, auth, clock, staff, member, other_member
):
    made, runner, roster = roster_after(app, auth, clock, staff, member, other_member, True)
    pid = made["id"]
    assert "2 came" in roster
    assert "1 came" in roster
    assert "attendance not recorded yet" not in roster
    assert "2 of 2 places were taken." in roster
    assert "0 of 2" not in roster
    assert GONE in roster
    assert "No requests yet." not in roster
    for account in (member, other_member, made["waiter"]):
        assert account.pseudonym not in roster

    first, second = made["meetings"]
    for meeting, came in ((first, "2 people came."), (second, "1 person came.")):
        page = text(runner.get(f"/programs/{pid}/meetings/{meeting}/attendance"))
        assert came in page
        assert "Nobody has a confirmed place yet." not in page
        assert GONE in page
        assert "Save attendance" not in page
        assert member.pseudonym not in page
        assert other_member.pseudonym not in page


def test_a_meeting_counts_those_left_and_those_removed(
    app, auth, clock, staff, member, other_member
):
    made, runner, roster = roster_after(app, auth, clock, staff, member, other_member, False)
    pid = made["id"]
    # First meeting: the other member's row and the member's kept count; never "2 of 1".
    # Second: the member's "did not come" went with the place, the other member's stays.
    assert "2 came" in roster
    assert "2 of 1 came" not in roster
    assert "1 of 1 came" in roster
    assert "2 of 2 places were taken." in roster
    assert other_member.pseudonym in roster
    assert member.pseudonym not in roster
    assert GONE not in roster
    page = text(runner.get(f"/programs/{pid}/meetings/{made['meetings'][0]}/attendance"))
    assert other_member.pseudonym in page
    assert member.pseudonym not in page
    assert "1 more person came whose place is no longer kept." in page


def test_a_running_program_s_roster_is_as_before(app, auth, clock, staff, member, other_member):
    made = build(app, clock, staff, member, other_member)
    runner = signed_in(app, auth, clock, staff, clock())
    roster = text(runner.get(f"/programs/{made['id']}/roster"))
    assert "2 of 2 places taken." in roster
    assert "were taken" not in roster
    assert "2 of 2 came" in roster
    assert "1 of 2 came" in roster


def test_the_page_of_an_ended_program_says_it_ended_to_those_without_a_place(
    app, auth, clock, staff, member, other_member
):
    made = removed(app, auth, clock, staff, member, other_member, everyone=False)
    pid = made["id"]
    stranger = make_account(app, "birch-member")
    for account in (member, stranger):
        page = text(signed_in(app, auth, clock, account, DAY_AFTER).get(f"/programs/{pid}"))
        assert "This program has ended. Its last day was 7 December 2026." in page
        assert "Nothing of it is on your account." in page
        for said in (
            "No meetings are scheduled yet",
            "When it meets",
            "isn't taking requests",
            "Requests from",
            "Ask for a place",
            "Join the waiting list",
            "Remove this program from your account",
        ):
            assert said not in page


def test_withdrawing_after_removal_says_there_is_nothing_on_the_account(
    app, auth, clock, staff, member, other_member
):
    made = removed(app, auth, clock, staff, member, other_member, everyone=False)
    pid = made["id"]
    client = signed_in(app, auth, clock, member, DAY_AFTER)
    nothing = "This program has ended, and there is nothing of it on your account."
    for page in (
        text(client.get(f"/programs/{pid}/withdraw")),
        text(
            client.post(f"/programs/{pid}/withdraw", data={"confirm": "yes"}, follow_redirects=True)
        ),
    ):
        assert nothing in page
        assert "remove it from your account instead" not in page
        assert "Yes, withdraw" not in page
        assert f'href="{REMOVE.format(id=pid)}"' not in page


def test_the_same_in_spanish(app, auth, clock, staff, member, other_member):
    made = removed(app, auth, clock, staff, member, other_member, everyone=True)
    pid = made["id"]
    es = {"Accept-Language": "es"}
    runner = signed_in(app, auth, clock, staff, DAY_AFTER)
    roster = text(runner.get(f"/programs/{pid}/roster", headers=es))
    assert "2 vinieron" in roster
    assert "1 vino" in roster
    assert "Se ocuparon 2 de 2 cupos." in roster
    assert "Ya no se guarda ningún lugar: las personas los quitaron de sus cuentas" in roster
    meeting = made["meetings"][0]
    page = text(runner.get(f"/programs/{pid}/meetings/{meeting}/attendance", headers=es))
    assert "Vinieron 2 personas." in page
    client = signed_in(app, auth, clock, member, DAY_AFTER)
    show = text(client.get(f"/programs/{pid}", headers=es))
    assert "Este programa terminó. Su último día fue el 7 de diciembre de 2026." in show
    assert "No hay nada de él en tu cuenta." in show
    withdraw = text(client.get(f"/programs/{pid}/withdraw", headers=es))
    assert "Este programa terminó y no hay nada de él en tu cuenta." in withdraw
    for page in (roster, show, withdraw):
        assert "came" not in page
        assert "ended" not in page
