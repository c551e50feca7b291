"""Every language's catalogue has every string the code marks, translated (issue 18,
item 3): no entry missing, none fuzzy, none empty, none merely copying the English (but
for the names kept as in English, GLOSSARY.es.md), and the same placeholders.

The strings the code has are extracted here exactly as `make translations` does (its
KEYWORDS, babel.cfg), so a string added without `make translations` and a translation
fails this test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "advocacy" / "translations"
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
# %(name)s / %(num)d, a bare %s, {name}: what a translation must carry over.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
NOT_WORDS = re.compile(r"[\W\d_]+")  # numbers, punctuation, spaces (Unicode-aware)


def kept_names(glossary: Path) -> list[str]:
    """The names a translation may keep as in English: the glossary's list between
    <!-- kept: start --> and <!-- kept: end -->, longest first."""
    text = glossary.read_text(encoding="utf-8")
    listed = text.split("<!-- kept: start -->", 1)[1].split("<!-- kept: end -->", 1)[0]
    names = [line[2:].strip() for line in listed.splitlines() if line.startswith("- ")]
    return sorted(names, key=len, reverse=True)


def extracted(tmp_path: Path) -> Catalog:
    """The strings the code marks, as `make translations` extracts them."""
    makefile = (ROOT / "Makefile").read_text()
    keywords = re.search(r"^KEYWORDS := (.+)$", makefile, re.M).group(1).split()
    target = tmp_path / "messages.pot"
    argv = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), *keywords]
    CommandLineInterface().run([*argv, "-o", str(target), str(ROOT)])
    with open(target, "rb") as handle:
        return read_po(handle)


def only_kept_names(text: str, names: list[str]) -> bool:
    """Whether text is made only of kept names, placeholders, numbers and punctuation."""
    rest = PLACEHOLDER.sub(" ", text)
    for name in names:
        rest = rest.replace(name, " ")
    return NOT_WORDS.sub("", rest) == ""


def forms(value: str | tuple) -> list[str]:
    return list(value) if isinstance(value, tuple) else [value]


def problems(catalogue: Catalog, expected: Catalog, names: list[str]) -> list[str]:
    """What keeps `catalogue` from being complete for the strings of `expected`."""
    found = []
    for message in expected:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        entry = catalogue.get(key, message.context)
        english = forms(message.id)
        if entry is None:
            found.append(f"missing: {key!r}")
            continue
        if entry.fuzzy:
            found.append(f"fuzzy: {key!r}")
        translated = forms(entry.string)
        if not all(translated) or len(translated) < len(english):
            found.append(f"empty: {key!r}")
            continue
        copied = [t for t in translated if t in english and not only_kept_names(t, names)]
        if copied:
            found.append(f"copied from the English: {key!r}")
        # Each form uses only values the code gives; the last (plural) form uses them all.
        given = set(PLACEHOLDER.findall(" ".join(english)))
        if any(not set(PLACEHOLDER.findall(t)) <= given for t in translated) or set(
            PLACEHOLDER.findall(translated[-1])
        ) != set(PLACEHOLDER.findall(english[-1])):
            found.append(f"placeholders differ: {key!r}")
    return found


@pytest.fixture(scope="module")
def code_strings(tmp_path_factory) -> Catalog:
    return extracted(tmp_path_factory.mktemp("extracted"))


@pytest.fixture(scope="module")
def names() -> list[str]:
    return kept_names(TRANSLATIONS / "GLOSSARY.es.md")


def read(path: Path) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle)


def test_there_is_a_spanish_catalogue():
    assert [p.relative_to(TRANSLATIONS).parts[0] for p in CATALOGUES] == ["es"]


def test_every_template_with_a_marked_string_is_extracted(code_strings):
    """Babel skips, without a word, a template it cannot parse (an extension missing)."""
    read_from = {
        str(Path(where).resolve().relative_to(ROOT))
        for message in code_strings
        for where, _line in message.locations
    }
    marked = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "templates").rglob("*")
        if p.is_file() and re.search(r"\b(_|ngettext|gettext)\(", p.read_text())
    }
    assert marked - read_from == set()


# A number, then (perhaps after one word) a noun counted by it: "%(num)s recovery codes".
COUNTED = re.compile(
    r"%\(\w+\)[sd] (?:\w+ )?(?:days|hours|minutes|weeks|months|years|meetings|characters|"
    r"words|codes|times|people|stories|reports|requests|programs|events|sessions|places)\b"
)


def test_a_number_before_a_noun_is_said_with_ngettext(code_strings):
    """Languages differ in how many forms a counted noun has (Spanish 3, Polish 4): a
    sentence with "%(num)s days" must come from ngettext, never from gettext."""
    single = [m.id for m in code_strings if isinstance(m.id, str) and COUNTED.search(m.id)]
    assert single == []


def test_the_counted_noun_finder_finds_them():
    assert COUNTED.search("You have %(left)s recovery codes left.")
    assert COUNTED.search("At most %(max)s meetings.")
    assert not COUNTED.search("%(name)s is now a mentor.")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_a_catalogue_has_every_string_of_the_code_and_no_other(path, code_strings):
    """`make translations` was run after the last string changed (strict on every branch:
    what remains is translating, checked below)."""
    catalogue = read(path)
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    need = {m.id if isinstance(m.id, str) else m.id[0] for m in code_strings if m.id}
    assert sorted(need - have) == []  # missing: run make translations
    assert sorted(have - need) == []  # no longer in the code: run make translations


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_a_catalogue_translates_every_string(path, code_strings, names):
    assert problems(read(path), code_strings, names) == []


# The check itself, on small catalogues written here.
def fixture_catalogues(tmp_path: Path, entries: list[tuple]) -> tuple[Catalog, Catalog]:
    """(the code's strings, a Spanish .po written to disk and read back) from entries of
    (English, Spanish[, fuzzy]); a Spanish of None leaves the entry out."""
    code, spanish = Catalog(), Catalog(locale="es")
    for english, translated, *fuzzy in entries:
        code.add(english)
        if translated is not None:
            spanish.add(english, translated, flags=["fuzzy"] if fuzzy else [])
    path = tmp_path / "messages.po"
    with open(path, "wb") as handle:
        write_po(handle, spanish)
    return code, read(path)


COMPLETE = [
    ("Quick exit", "Salida rápida"),
    (("%(num)s day", "%(num)s days"), ("un día", "%(num)s de días", "%(num)s días")),
    ("Download as CSV", "Descargar en CSV"),
    ("CSV", "CSV"),  # a kept name
    ("TOTP: %(code)s", "TOTP: %(code)s"),  # kept name, placeholder, punctuation
    ("%(num)s", "%(num)s"),
]


def test_a_complete_catalogue_passes(tmp_path):
    code, spanish = fixture_catalogues(tmp_path, COMPLETE)
    assert problems(spanish, code, ["CSV", "TOTP"]) == []


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (("Your stories", None), "missing: 'Your stories'"),
        (("Your stories", "Tus historias", "fuzzy"), "fuzzy: 'Your stories'"),
        (("Your stories", ""), "empty: 'Your stories'"),
        (
            (("%(num)s story", "%(num)s stories"), ("una historia", "", "")),
            "empty: '%(num)s story'",
        ),
        (("Your stories", "Your stories"), "copied from the English: 'Your stories'"),
        (("Export CSV", "Export CSV"), "copied from the English: 'Export CSV'"),
        (("Hello %(name)s", "Hola %(nombre)s"), "placeholders differ: 'Hello %(name)s'"),
        (("Hello %(name)s", "Hola"), "placeholders differ: 'Hello %(name)s'"),
    ],
)
def test_each_kind_of_gap_fails(tmp_path, entry, problem):
    code, spanish = fixture_catalogues(tmp_path, [*COMPLETE, entry])
    assert problems(spanish, code, ["CSV", "TOTP"]) == [problem]


def test_the_glossary_lists_the_kept_names():
    assert {"CSV", "TOTP", "English", "Español"} <= set(kept_names(TRANSLATIONS / "GLOSSARY.es.md"))
