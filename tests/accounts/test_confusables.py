"""Look-alike pseudonyms: one key for names that look the same, refusals shown at once.

Expected keys are written by hand from the rule: NFKC, separators to one "-", edge
punctuation dropped, UTS #39 skeleton (0/O and 1/l/I one letter), case folded, marks on
Latin, Greek and Cyrillic letters dropped, and rn→m, vv→w, i→l.
"""

import unicodedata

import pytest
from sqlalchemy import func, select

from advocacy.accounts.models import Account, Invite
from advocacy.accounts.policy import pseudonym_key
from advocacy.extensions import db
from tests.accounts.helpers import codes_in, invite_code, join
from tests.support.accounts import PASSWORD, make_account

TAKEN = "That pseudonym is taken"
RESERVED = "That name is reserved"
MIXED = "letters from one alphabet only"
INVISIBLE = "invisible or text-direction characters"

# (existing name, look-alike typed at /join, the key both must have)
CONFUSABLE_PAIRS = [
    # Cyrillic
    ("demo-mentor", "demo-m\u0435ntor", "demo-mentor"),
    ("maple-staff", "m\u0430ple-staff", "maple-staff"),
    ("cocoa", "\u0441\u043e\u0441\u043e\u0430", "cocoa"),
    ("river-keeper", "r\u0456ver-keeper", "rlver-keeper"),
    ("poppy", "\u0440\u043e\u0440\u0440\u0443", "poppy"),
    ("hope-tree", "h\u043epe-tree", "hope-tree"),
    # Greek
    ("Nova-Sky", "\u039dova-Sky", "nova-sky"),
    ("Tokyo-Kite", "\u03a4okyo-Kite", "tokyo-klte"),
    ("quiet-aspen", "quiet-\u03b1spen", "qulet-aspen"),
    ("opal", "\u03bfpal", "opal"),
    ("Bravo", "\u0392ravo", "bravo"),
    # Full-width
    ("Maple", "\uff2d\uff41\uff50\uff4c\uff45", "maple"),
    ("stone-path", "\uff53\uff54\uff4f\uff4e\uff45-\uff50\uff41\uff54\uff48", "stone-path"),
    ("Lark7", "\uff2c\uff41\uff52\uff4b\uff17", "lark7"),
    # Digits for letters, and I for l
    ("Clover", "C1over", "clover"),
    ("Oak-Moon", "0ak-M00n", "oak-moon"),
    ("willow", "wi11ow", "wlllow"),
    ("hollow", "h0ll0w", "hollow"),
    ("Ivy-Rose", "lvy-Rose", "lvy-rose"),
    ("Kai-Bloom", "KaI-Bloom", "kal-bloom"),
    # Letter pairs
    ("meadow", "rneadow", "meadow"),
    ("Harmony", "Harrnony", "harmony"),
    ("wren", "vvren", "wren"),
    # Combining marks
    ("renee", "ren\u00e9e", "renee"),
    ("jose", "jose\u0301", "jose"),
    ("Zoe", "Zo\u00eb", "zoe"),
    ("nina-grey", "n\u00efna-grey", "nlna-grey"),
    ("sky-harbor", "sky-h\u00e1rbor", "sky-harbor"),
    # Separators
    ("demo-staff", "demo_staff", "demo-staff"),
    ("quiet river", "quiet_river", "qulet-rlver"),
    ("blue-heron", "blue . heron", "blue-heron"),
    ("sun-beam", "sun'beam", "sun-beam"),
    # Edge punctuation
    ("demo-staff", "demo-staff.", "demo-staff"),
    ("river-song", "-river-song-", "rlver-song"),
    # Case
    ("Quiet Fern", "QUIET FERN", "qulet-fem"),
    ("cedar", "CeDaR", "cedar"),
]

# Close to each other, or in other scripts, yet distinct: all must be able to join.
DISTINCT_NAMES = [
    "maple",
    "marble",
    "mable",
    "cedar",
    "cider",
    "river",
    "rover",
    "Zoe",
    "Zoey",
    "Ana",
    "Anna",
    "Hannah",
    "sam2",
    "sam3",
    "lark2",
    "lark3",
    "mentor-anna",
    "staff-room",
    "Admiral",
    "O'Brien",
    "Jo Ann",
    "Noor",
    "Nour",
    "Kat",
    "Kit",
    "Dawn",
    "Down",
    "Ember",
    "Amber",
    "\uff33\uff55\uff4e\uff4e\uff59",  # full-width Latin is one script
    "\u041c\u0430\u0440\u0438\u044f",  # Мария
    "\u041e\u043b\u0435\u0433-2",  # Олег-2
    "\u0395\u03bb\u03ad\u03bd\u03b7",  # Ελένη
    "\u03a3\u03bf\u03c6\u03af\u03b1",  # Σοφία
    "\u3055\u304f\u3089",  # さくら
    "\u5c0f\u96e8\u70b9",  # 小雨点
    "\ud558\ub298\ube5b",  # 하늘빛
    "\u0644\u064a\u0644\u0649",  # ليلى
    "\u05e0\u05d5\u05e2\u05d4",  # נועה
]


def account_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Account))


def uses_left(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Invite.uses_left))


def test_tables_are_big_enough():
    assert len(CONFUSABLE_PAIRS) >= 30
    assert len(DISTINCT_NAMES) >= 30
    assert len(set(DISTINCT_NAMES)) == len(DISTINCT_NAMES)


@pytest.mark.parametrize(("existing", "look_alike", "key"), CONFUSABLE_PAIRS)
def test_look_alikes_share_one_key(existing, look_alike, key):
    assert pseudonym_key(existing) == key
    assert pseudonym_key(look_alike) == key
    # A key is a fixed point: keying it again changes nothing.
    assert pseudonym_key(key) == key


@pytest.mark.parametrize(("existing", "look_alike", "key"), CONFUSABLE_PAIRS)
def test_a_look_alike_of_a_taken_name_is_taken(app, client, clock, existing, look_alike, key):
    make_account(app, existing)
    code = invite_code(app, clock())
    body = join(client, code, pseudonym=look_alike).get_data(as_text=True)
    assert TAKEN in body
    assert codes_in(join(client, code, pseudonym=look_alike)) == []
    assert account_count(app) == 1
    assert uses_left(app) == 1


@pytest.mark.parametrize("app_overrides", [{"OPEN_JOINING": True}])
def test_distinct_names_all_join_beside_each_other(app, client, clock):
    for name in DISTINCT_NAMES:
        response = join(client, "", pseudonym=name, password="amber quay lantern morning")
        assert len(codes_in(response)) == 10, name
        client.post("/logout")
    with app.app_context():
        stored = db.session.scalars(select(Account.pseudonym)).all()
    # Shown as typed, after NFKC: full-width letters become ordinary ones.
    assert sorted(stored) == sorted(unicodedata.normalize("NFKC", name) for name in DISTINCT_NAMES)


@pytest.mark.parametrize(
    "pseudonym",
    [
        "\u0410dmin",  # Cyrillic А
        "adm1n",
        "ADMINISTRATOR",
        "\uff53\uff54\uff41\uff46\uff46",  # ｓｔａｆｆ
        "staff.",
        "_Support_",
        "m0derator",
        "Ment\u03bfr",  # Greek ο
        "m\u00e9ntor",  # a mark on a letter
        "Anonym\u043eus",
        "SYSTEM",
        "Pathways",
        "\u03a1athways",  # Greek Ρ
        "PATHWAYS!",
    ],
)
def test_reserved_names_and_their_look_alikes_are_reserved(app, client, clock, pseudonym):
    body = join(client, invite_code(app, clock()), pseudonym=pseudonym).get_data(as_text=True)
    assert RESERVED in body
    assert TAKEN not in body
    assert account_count(app) == 0


@pytest.mark.parametrize("app_overrides", [{"SITE_NAME": "Harbor House"}])
def test_the_configured_site_name_is_reserved(app, client, clock):
    body = join(client, invite_code(app, clock()), pseudonym="harbor_h0use").get_data(as_text=True)
    assert RESERVED in body
    # The default name is an ordinary one once the site has another.
    assert codes_in(join(client, invite_code(app, clock()), pseudonym="Pathways"))


@pytest.mark.parametrize(
    "pseudonym",
    [
        "quiet\u200bfern",  # zero-width space
        "quiet\u200dfern",  # zero-width joiner
        "moss\u00adgreen",  # soft hyphen
        "dew\u2060drop",  # word joiner
        "ash\u034fgrove",  # combining grapheme joiner
        "sky\ufe0fbird",  # variation selector
        "river\u202eblue",  # right-to-left override
        "lark\u2066song\u2069",  # isolate
        "\u200fnoor-day",  # right-to-left mark
        "\u2800\u2800\u2800",  # braille blank
    ],
)
def test_invisible_and_direction_characters_are_refused(app, client, clock, pseudonym):
    body = join(client, invite_code(app, clock()), pseudonym=pseudonym).get_data(as_text=True)
    assert INVISIBLE in body
    assert account_count(app) == 0


@pytest.mark.parametrize(
    "pseudonym", ["demo-m\u0435ntor", "Olga-\u041e\u043b\u044c\u0433\u0430", "\u03b1lpha-one"]
)
def test_mixed_scripts_are_refused_calmly(app, client, clock, pseudonym):
    body = join(client, invite_code(app, clock()), pseudonym=pseudonym).get_data(as_text=True)
    assert MIXED in body
    assert TAKEN not in body  # nobody holds these names
    assert account_count(app) == 0


def test_join_shows_every_problem_at_once_and_keeps_input(app, client, clock):
    code = invite_code(app, clock())
    response = join(client, code, pseudonym="\u0410dmin", password="short", confirm="shorter")
    body = response.get_data(as_text=True)
    for message in (MIXED, RESERVED, "at least 15 characters", "don&#39;t match"):
        assert message in body
    assert 'value="\u0410dmin"' in body
    assert f'value="{code}"' in body
    assert "highlighted fields" in body
    assert account_count(app) == 0
    assert uses_left(app) == 1


def test_taken_and_password_problems_come_together(app, client, clock):
    make_account(app, "quiet-fern")
    code = invite_code(app, clock())
    body = join(client, code, pseudonym="Quiet_Fern", password="password").get_data(as_text=True)
    assert TAKEN in body
    assert "at least 15 characters" in body
    assert "too easy to guess" in body
    assert uses_left(app) == 1


def test_without_a_good_invite_nobody_learns_a_name_is_taken(app, client, clock):
    make_account(app, "quiet-fern")
    body = join(client, "AAAA-BBBB-CCCC", pseudonym="QUIET FERN", password="short").get_data(
        as_text=True
    )
    assert "invite code can" in body
    assert "at least 15 characters" in body
    assert TAKEN not in body
    assert account_count(app) == 1


def test_a_refused_join_spends_no_invite_use(app, client, clock):
    make_account(app, "quiet-fern")
    code = invite_code(app, clock())
    assert TAKEN in join(client, code, pseudonym="qu1et fern").get_data(as_text=True)
    assert uses_left(app) == 1
    assert codes_in(join(client, code, pseudonym="steady-harbor"))
    assert uses_left(app) == 0


def test_changing_to_a_look_alike_shows_every_problem(app, client, auth, member):
    make_account(app, "demo-mentor", role="mentor")
    auth.login(member)
    response = client.post(
        "/account/pseudonym", data={"pseudonym": "d\u0435mo_mentor", "password": PASSWORD}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert TAKEN in body
    assert MIXED in body
    with app.app_context():
        assert db.session.get(Account, member.id).pseudonym == member.pseudonym


def test_changing_case_or_separators_of_your_own_name_is_fine(app, client, auth):
    account = make_account(app, "steady harbor")
    auth.login(account)
    response = client.post(
        "/account/pseudonym", data={"pseudonym": "Steady_Harbor", "password": PASSWORD}
    )
    assert response.status_code == 303
    with app.app_context():
        changed = db.session.get(Account, account.id)
        assert (changed.pseudonym, changed.pseudonym_key) == ("Steady_Harbor", "steady-harbor")


@pytest.mark.parametrize("typed", ["STEADY_H\u0430RBOR.", "steady harb0r", "ｓｔｅａｄｙ-harbor"])
def test_signing_in_with_a_look_alike_of_your_own_name_finds_your_account(app, client, typed):
    make_account(app, "steady-harbor")
    response = client.post("/login", data={"pseudonym": typed, "password": PASSWORD})
    assert response.status_code == 303
    assert client.get("/account").status_code == 200
    # The password still decides.
    client.post("/logout")
    wrong = client.post("/login", data={"pseudonym": typed, "password": PASSWORD + "x"})
    assert "That pseudonym and password don" in wrong.get_data(as_text=True)
    assert client.get("/account").status_code != 200


def test_a_hash_sign_never_reaches_a_migrated_key():
    assert pseudonym_key("demo-mentor#2") == "demo-mentor-2"
    assert pseudonym_key("#demo-mentor#") == "demo-mentor"


def test_create_admin_goes_through_the_rules(app, runner):
    refused = runner.invoke(args=["create-admin", "--pseudonym", "\u0410dmin"])
    assert refused.exit_code != 0
    assert RESERVED in refused.output
    assert account_count(app) == 0
    assert runner.invoke(args=["create-admin", "--pseudonym", "harbor-admin"]).exit_code == 0
    assert account_count(app) == 1


@pytest.mark.sqlite_only  # no database: once is enough
def test_no_character_makes_more_than_three_of_a_key():
    """accounts.pseudonym_key holds 120 characters and a name at most 30 (after NFKC): the
    UTS #39 skeleton, with the folds, must make at most 3 characters of any one. Every code
    point is tried, as the name's rules see it (already NFKC-normalized)."""
    widest = max(
        len(pseudonym_key(text))
        for text in (unicodedata.normalize("NFKC", chr(point)) for point in range(0x110000))
        if len(text) == 1
    )
    assert widest <= 3
