"""Pseudonym and password rules, word for word, each bound tried on both sides.

The rules, written here from the policy: a pseudonym of 3 to 30 characters, of
letters, numbers, spaces, dots, dashes, apostrophes and underscores, with at least one
letter or number, that looks like neither an email address nor a phone number (7
digits or more) and is not reserved; a password of 15 to 128 characters (NIST SP
800-63B rev 4). A refused join writes nothing and spends no invite; a join whose name
or invite was taken while its password was hashed is refused on that field.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from advocacy.accounts import invites, joining, policy
from advocacy.accounts.errors import JoinRefused, PasswordRefused, PseudonymRefused
from advocacy.accounts.models import Account, Invite, RetiredName, Role
from advocacy.accounts.policy import pseudonym_key, validated_password
from advocacy.accounts.services import change_pseudonym, validated_pseudonym
from advocacy.extensions import db
from tests.accounts.helpers import change_meanwhile
from tests.support.event_rules import notices_of, person

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SITE = "Pathways"
LENGTH = "Choose a pseudonym of 3 to 30 characters."
CHARACTERS = "Use letters, numbers, spaces, dots, dashes, apostrophes or underscores."
NO_LETTER = "Please include at least one letter or number."
EMAIL = "That looks like an email address. For your safety, choose a pseudonym instead."
PHONE = "That looks like a phone number. For your safety, choose a pseudonym instead."
RESERVED = "That name is reserved. Please choose another."
TOO_SHORT = "Use at least 15 characters. A few words in a row work well."
TOO_LONG = "Use at most 128 characters."
DIFFER = "The two passwords don't match. Please type them again."
TAKEN = "That pseudonym is taken. Please choose another, or ask for a suggestion."
INVITE_USED_UP = (
    "That invite code can't be used. It may have expired or been used up. "
    "Please ask the person who gave it to you for a new one."
)
# 27 characters, no name in it, no short unit repeated.
WORDS = "quiet river lantern morning"


def pseudonym_refusals(raw: str) -> list[str]:
    with pytest.raises(PseudonymRefused) as refused:
        validated_pseudonym(raw, site_name=SITE, now=NOW)
    return [str(message) for message in refused.value.messages]


def password_refusals(password: str) -> list[str]:
    with pytest.raises(PasswordRefused) as refused:
        validated_password(password, pseudonym="Quiet Fern", site_name=SITE)
    return [str(message) for message in refused.value.messages]


# Pseudonyms


@pytest.mark.parametrize("raw", ["Bo7", "Fern" + "a" * 26, "  Quiet   Fern  "])
def test_pseudonyms_of_3_to_30_characters_are_accepted(in_request, raw):
    assert validated_pseudonym(raw, site_name=SITE, now=NOW) == " ".join(raw.split())


@pytest.mark.parametrize("raw", ["Bo", "Fern" + "a" * 27, "", "  B  "])
def test_pseudonyms_shorter_than_3_or_longer_than_30_are_refused(in_request, raw):
    assert pseudonym_refusals(raw) == [LENGTH]


@pytest.mark.parametrize("raw", ["river!", "fern+wren", "wren<b>"])
def test_other_characters_are_refused(in_request, raw):
    assert pseudonym_refusals(raw) == [CHARACTERS]


@pytest.mark.parametrize("raw", ["---", "_ . '", "..."])
def test_a_pseudonym_of_separators_only_is_refused(in_request, raw):
    assert pseudonym_refusals(raw) == [NO_LETTER]


@pytest.mark.parametrize("raw", ["river.com", "Fern.ORG here"])
def test_an_email_like_pseudonym_is_refused(in_request, raw):
    assert pseudonym_refusals(raw) == [EMAIL]


def test_an_at_sign_counts_as_an_email_address(in_request):
    assert pseudonym_refusals("fern@home") == [CHARACTERS, EMAIL]


def test_six_digits_are_a_name_seven_a_phone_number(in_request):
    assert validated_pseudonym("fern 123 456", site_name=SITE, now=NOW) == "fern 123 456"
    assert pseudonym_refusals("fern 123 4567") == [PHONE]


@pytest.mark.parametrize("raw", ["Admin", "STAFF", "Moderator", "Pathways", "PATHWAYS"])
def test_reserved_names_and_the_site_name_are_refused(in_request, raw):
    assert pseudonym_refusals(raw) == [RESERVED]


def test_every_problem_is_named_at_once(in_request):
    assert pseudonym_refusals("x@y.com " + "1" * 30) == [LENGTH, CHARACTERS, EMAIL, PHONE]


def test_a_changed_name_is_held_back_180_days_from_now(in_request):
    account = person("cedar-member")
    change_pseudonym(account, "Quiet Fern", site_name=SITE, now=NOW)
    db.session.expire_all()
    assert account.pseudonym == "Quiet Fern"
    assert db.session.scalar(select(RetiredName.retired_until)) == NOW + timedelta(days=180)
    (notice,) = notices_of(account)
    assert (notice.kind, notice.created_at) == ("pseudonym_changed", NOW)
    ends = NOW + timedelta(days=180)
    with pytest.raises(PseudonymRefused) as refused:
        validated_pseudonym("Cedar Member", site_name=SITE, now=ends - timedelta(seconds=1))
    assert [str(message) for message in refused.value.messages] == [TAKEN]
    assert validated_pseudonym("Cedar Member", site_name=SITE, now=ends) == "Cedar Member"


def test_a_new_spelling_of_the_same_name_retires_nothing(in_request):
    account = person("cedar-member")
    change_pseudonym(account, "Cedar Member", site_name=SITE, now=NOW)
    assert account.pseudonym == "Cedar Member"
    assert db.session.scalar(select(func.count()).select_from(RetiredName)) == 0
    assert notices_of(account) == []


# Passwords


@pytest.mark.parametrize("length", [15, 128])
def test_passwords_of_15_to_128_characters_are_accepted(in_request, length):
    password = (WORDS + " ") * 5
    assert (
        validated_password(password[:length], pseudonym="Quiet Fern", site_name=SITE)
        == (password[:length])
    )


def test_a_password_of_14_characters_is_too_short(in_request):
    assert password_refusals(WORDS[:14]) == [TOO_SHORT]


@pytest.mark.parametrize("password", [((WORDS + " ") * 5)[:129], "a" * 129])
def test_a_password_of_129_characters_is_too_long_and_nothing_else_is_said(in_request, password):
    assert password_refusals(password) == [TOO_LONG]


# Joining


def join(**changes) -> None:
    code = invites.create_invite(
        role=Role.MEMBER, uses=1, expires_in=timedelta(days=7), now=NOW, inviter=None
    )
    db.session.commit()  # made earlier, as an invite is: the join request finds it stored
    fields = {
        "invite_code": code,
        "pseudonym": "Quiet Fern",
        "password": WORDS,
        "password_confirm": WORDS,
        "now": NOW,
        "open_joining": False,
        "site_name": SITE,
    }
    joining.register_account(**(fields | changes))


def refused_join(**changes) -> dict[str, list[str]]:
    """The problems a join is refused with, as the form shows them."""
    with pytest.raises(JoinRefused) as refused:
        join(**changes)
    return {field: [str(m) for m in messages] for field, messages in refused.value.problems.items()}


def test_a_join_is_stamped_with_now(in_request):
    join()
    db.session.expire_all()
    assert db.session.scalar(select(Account.created_at)) == NOW
    assert db.session.scalar(select(Invite.uses_left)) == 0


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"password_confirm": WORDS + "!"}, {"password_confirm": [DIFFER]}),
        ({"pseudonym": "Bo"}, {"pseudonym": [LENGTH]}),
        ({"password": WORDS[:14], "password_confirm": WORDS[:14]}, {"password": [TOO_SHORT]}),
    ],
)
def test_a_refused_join_writes_nothing_and_keeps_the_invite(in_request, changes, problems):
    assert refused_join(**changes) == problems
    assert db.session.scalar(select(func.count()).select_from(Account)) == 0
    assert db.session.scalar(select(Invite.uses_left)) == 1


def test_a_name_taken_while_the_password_was_hashed_is_refused_calmly(in_request, monkeypatch):
    """The hashing runs outside any transaction: someone may take the name meanwhile."""
    someone_joins_as_quiet_fern = insert(Account).values(
        pseudonym="Quiet Fern",
        pseudonym_key=pseudonym_key("Quiet Fern"),
        password_hash="-",
        role="member",
        session_token="other-session",
        created_at=NOW,
    )
    change_meanwhile(monkeypatch, "hash", lambda other: other.execute(someone_joins_as_quiet_fern))

    assert refused_join() == {"pseudonym": [TAKEN]}


def test_an_invite_used_up_while_the_password_was_hashed_is_refused_on_the_invite_code(
    in_request, monkeypatch
):
    """The invite is spent last, by one conditional update: another join may take its
    last use meanwhile, and this one is then refused as for any used-up invite."""
    change_meanwhile(
        monkeypatch, "hash", lambda other: other.execute(update(Invite).values(uses_left=0))
    )

    assert refused_join() == {"invite_code": [INVITE_USED_UP]}
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Account)) == 0


# Suggestions: a pseudonym is two words and a two-digit number (10 to 99); a passphrase
# is five common words separated by single spaces (about 51 bits: 1,177 words, NIST SP
# 800-63B's advice to allow and suggest long passphrases), never one that could distress
# someone who survived trafficking (a newcomer was offered "polio cure stud tiara trash").
DISTRESSING_WORDS = (
    "agony aids alarm alibi anger armed arson ashes bash blade blast bleak boss bribe bride "
    "bully bust cage chain chaos chase claw coke coma crook crush cult curse cut debt decay "
    "dowry drown elope evade evict evil fang fetal fever filth flirt foe frisk gag gore grab "
    "grave grief grope gut harm hate hump hunt hurt islam jab judge juror jury lash lure lurk "
    "lying mace marry moan mule nag panic panty pest poach polio prude punch rabid rage raid "
    "riot ruin scam scare scary scold scorn shock shove shun siren slain slam slash slum smash "
    "snare sneer sting swear taunt theft thigh thong throb thud thump trap trash trial vice "
    "viral virus wages widow womb wound wrath wreck"
)
DISTRESSING = DISTRESSING_WORDS.split()


def test_no_suggested_passphrase_word_could_distress_a_survivor():
    words = set(policy.passphrase_words())
    assert words.isdisjoint(DISTRESSING)
    # Enough words are left for five to hold about 51 bits (log2(1,177) * 5 = 51.0).
    assert len(words) == 1177
    assert {"acorn", "tiara", "lantern"} - words == {"lantern"}  # the rest as the EFF wrote it


@pytest.mark.parametrize(("drawn", "number"), [("lowest", "10"), ("highest", "99")])
def test_a_suggested_pseudonym_ends_in_a_two_digit_number(monkeypatch, drawn, number):
    monkeypatch.setattr(
        policy.secrets, "randbelow", lambda bound: 0 if drawn == "lowest" else bound - 1
    )
    suggestion = policy.suggest_pseudonym()
    assert suggestion[-2:] == number
    assert not suggestion[-3].isdigit()


def test_a_suggested_passphrase_is_five_words_apart_by_single_spaces(monkeypatch):
    words = policy.suggest_passphrase().split(" ")
    assert len(words) == 5
    assert all(word.isalpha() for word in words)
    drawn = iter(["amber", "quay", "lantern", "morning", "cedar"])
    monkeypatch.setattr(policy.secrets, "choice", lambda word_list: next(drawn))
    assert policy.suggest_passphrase() == "amber quay lantern morning cedar"
