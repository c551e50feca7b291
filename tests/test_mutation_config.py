"""make mutation's settings point at real files, and every listed equivalent explains itself."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tools.mutation import AT_IMPORT, DOMAINS, EQUIVALENTS, ON_POSTGRESQL

ROOT = Path(__file__).resolve().parent.parent


def domain_of(mutant: str) -> str | None:
    """The domain whose files hold the mutant (advocacy.events.rsvps.x_f__mutmut_1); a
    package's own mutants are named by the package (advocacy.stories.identity.x_f__mutmut_1
    is in advocacy/stories/identity/__init__.py)."""
    module = mutant.rpartition(".")[0].replace(".", "/")
    paths = (Path(f"{module}.py"), Path(f"{module}/__init__.py"))
    for domain, (files, _) in DOMAINS.items():
        if any(path.match(pattern) for path in paths for pattern in files):
            return domain
    return None


def test_every_domain_names_files_and_tests_that_exist():
    for domain, (files, tests) in DOMAINS.items():
        for pattern in files:
            assert list(ROOT.glob(pattern)), (domain, pattern)
        for path in tests:
            assert (ROOT / path).exists(), (domain, path)


# What a module that holds no rule is called (the rules live in the services; these only
# declare shapes, wire requests or hold text), and the few such modules named otherwise.
HOLDS_NO_RULE = ("__init__.py", "forms.py", "models.py", "*views.py", "errors.py")
NAMED_BUT_NO_RULE = {
    "advocacy/reports/cli.py": "wires `flask report export` to reports/export.py",
    "advocacy/help/demo_resources.py": "the demo's help texts, no code",
}


def test_every_module_that_holds_rules_is_mutated_by_a_domain():
    """A new service module joins a domain (issue 11: the services' mutation score);
    leaving one out silently would let its rules go untested by mutation."""
    mutated = {
        path.as_posix()
        for files, _ in DOMAINS.values()
        for pattern in files
        for path in (p.relative_to(ROOT) for p in ROOT.glob(pattern))
    }
    folders = ("accounts", "events", "programs", "stories", "moderation", "privacy",
               "staff", "reports", "notices", "help")  # fmt: skip
    left_out = sorted(
        path.relative_to(ROOT).as_posix()
        for folder in folders
        for path in (ROOT / "advocacy" / folder).rglob("*.py")
        if not any(path.match(name) for name in HOLDS_NO_RULE)
        and "views" not in path.parts
        and path.relative_to(ROOT).as_posix() not in mutated | NAMED_BUT_NO_RULE.keys()
    )
    assert left_out == []


def test_every_equivalent_mutant_names_its_change_and_reason():
    listed = tomllib.loads(EQUIVALENTS.read_text())["equivalent"]
    names = [entry["mutant"] for entry in listed]
    assert len(names) == len(set(names))
    for entry in listed:
        assert entry.keys() == {"mutant", "change", "reason"}, entry
        assert domain_of(entry["mutant"]) is not None, entry["mutant"]
        changed = entry["change"].strip().splitlines()
        assert changed, entry["mutant"]
        assert all(line[:1] in "+-" for line in changed), entry["mutant"]
        assert len(entry["reason"]) > 20, entry["mutant"]


def test_kept_results_seed_a_new_work_folder_but_never_overwrite_one(tmp_path, monkeypatch):
    from tools import mutation

    monkeypatch.setattr(mutation, "RESULTS", tmp_path / "results")
    meta = {
        "exit_code_by_key": {"advocacy.x.x_f__mutmut_1": 1, "advocacy.x.x_f__mutmut_2": 0},
        "hash_by_function_name": {"x_f": "abc123"},
        "type_check_error_by_key": {},
        "durations_by_key": {"advocacy.x.x_f__mutmut_1": 0.5},
        "estimated_durations_by_key": {},
    }
    old = tmp_path / "old" / "mutants" / "advocacy" / "x.py.meta"
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps(meta))
    mutation.keep_results("demo", tmp_path / "old")

    new = tmp_path / "new"
    mutation.restore_results("demo", new)
    seeded = json.loads((new / "mutants" / "advocacy" / "x.py.meta").read_text())
    assert seeded == {
        "exit_code_by_key": {"advocacy.x.x_f__mutmut_1": 1, "advocacy.x.x_f__mutmut_2": 0},
        "hash_by_function_name": {"x_f": "abc123"},
        "durations_by_key": {},
        "estimated_durations_by_key": {},
    }
    mutation.restore_results("demo", tmp_path / "old")  # a folder's own results stay
    assert json.loads(old.read_text()) == meta


def test_results_of_a_file_no_longer_in_the_domain_do_not_count(tmp_path):
    from tools import mutation

    folder = tmp_path / "security"  # a domain's work folder
    for path, key in (
        ("advocacy/security.py", "advocacy.security.x_f__mutmut_1"),
        ("advocacy/gone.py", "advocacy.gone.x_f__mutmut_1"),
        ("advocacy/privacy/rules.py", "advocacy.privacy.rules.x_f__mutmut_1"),
    ):
        meta = folder / "mutants" / f"{path}.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"exit_code_by_key": {key: 0}}))

    assert mutation.load_results(folder) == {"advocacy.security.x_f__mutmut_1": 0}


@pytest.mark.parametrize("listing", [ON_POSTGRESQL, AT_IMPORT], ids=["postgresql", "import"])
def test_every_mutant_killed_alone_names_its_change_test_and_reason(listing):
    listed = tomllib.loads(listing.read_text())["killed"]
    equivalents = {
        entry["mutant"] for entry in tomllib.loads(EQUIVALENTS.read_text())["equivalent"]
    }
    names = [entry["mutant"] for entry in listed]
    assert len(names) == len(set(names))
    assert set(names) & equivalents == set()  # killed, or equivalent: never both
    for entry in listed:
        assert entry.keys() == {"mutant", "change", "test", "reason"}, entry
        assert domain_of(entry["mutant"]) is not None, entry["mutant"]
        assert all(line[:1] in "+-" for line in entry["change"].strip().splitlines())
        path, _, name = entry["test"].partition("::")
        assert f"def {name}(" in (ROOT / path).read_text(), entry["test"]
        assert len(entry["reason"]) > 20, entry["mutant"]


def test_no_mutant_is_listed_as_killed_both_on_postgresql_and_at_import():
    def names(listing):
        return {entry["mutant"] for entry in tomllib.loads(listing.read_text())["killed"]}

    assert names(ON_POSTGRESQL) & names(AT_IMPORT) == set()


@pytest.mark.parametrize("kind", ["on_postgresql", "at_import"])
def test_a_mutant_listed_as_killed_alone_counts_only_when_its_test_fails(monkeypatch, kind):
    from tools import mutation

    change = "-    a\n+    b"
    entry = {"change": change, "test": "tests/x.py::test_y", "reason": "only a new process tells"}
    results = {"advocacy.x.x_f__mutmut_1": 0, "advocacy.x.x_f__mutmut_2": 1}
    lists = {"on_postgresql": {}, "at_import": {}} | {kind: {"advocacy.x.x_f__mutmut_1": entry}}
    runs = []
    monkeypatch.setattr(mutation, "MUTATION_POSTGRES_URL", "postgresql+psycopg://db.example/m")
    monkeypatch.setattr(mutation, "change_of", lambda _folder, _name: change)
    for fails, killed_there, survived in ((True, 1, []), (False, 0, ["advocacy.x.x_f__mutmut_1"])):

        def run_alone(_folder, name, test, database, f=fails):
            runs.append((name, test, database))
            return f

        monkeypatch.setattr(mutation, "killed_alone", run_alone)
        counted = mutation.score("x", results, {}, **lists)
        assert counted.killed == 1
        assert getattr(counted, f"killed_{kind}") == killed_there
        assert counted.killed_on_postgresql + counted.killed_at_import == killed_there
        assert counted.survived == survived
        assert counted.ratio == (1.0 if fails else 0.5)
    # PostgreSQL's list runs on the mutation database; the import list on the tests' own.
    expected = "postgresql+psycopg://db.example/m" if kind == "on_postgresql" else None
    assert runs == [("advocacy.x.x_f__mutmut_1", "tests/x.py::test_y", expected)] * 2
    # A change that no longer matches is a survivor whatever the test says.
    monkeypatch.setattr(mutation, "change_of", lambda _folder, _name: "-    a\n+    c")
    monkeypatch.setattr(mutation, "killed_alone", lambda *_args: True)
    counted = mutation.score("x", results, {}, **lists)
    assert counted.survived == ["advocacy.x.x_f__mutmut_1"]
    assert counted.stale == ["advocacy.x.x_f__mutmut_1"]


def with_results(monkeypatch, folder, results: dict, mutmut_run) -> None:
    """run_domain over `results` (a dict the fake mutmut run may change), in `folder`,
    keeping nothing on disk."""
    from tools import mutation

    monkeypatch.setattr(mutation, "prepare", lambda domain: folder)
    monkeypatch.setattr(mutation, "restore_results", lambda domain, folder: None)
    monkeypatch.setattr(mutation, "keep_results", lambda domain, folder: None)
    monkeypatch.setattr(mutation, "load_results", lambda folder: dict(results))
    monkeypatch.setattr(mutation, "mutmut", mutmut_run)


def test_with_nothing_known_to_do_mutmut_still_runs_once_without_names(tmp_path, monkeypatch):
    """Kept results may all be killed while a function changed since: only mutmut, run
    without names, makes that function's new mutants and runs those without a result."""
    from tools import mutation

    results = {"x.x_f__mutmut_1": 1}
    runs = []

    def mutmut_run(folder, command, option, children, *names, capture=False):
        runs.append(names)
        results["x.x_f__mutmut_2"] = 0  # a changed function's new mutant, run: survives
        return ""

    with_results(monkeypatch, tmp_path, results, mutmut_run)

    got = mutation.run_domain("demo", skip=set(), fresh=False)

    assert runs == [()]
    assert got == {"x.x_f__mutmut_1": 1, "x.x_f__mutmut_2": 0}


def test_a_listed_equivalent_is_run_until_it_has_survived_once(tmp_path, monkeypatch):
    """A listed mutant is counted as equivalent only once it survived: one never run (its
    function changed since) is run; one that survived already is not run again."""
    from tools import mutation

    results = {"x.x_f__mutmut_1": 0, "x.x_f__mutmut_2": None, "x.x_f__mutmut_3": 0}
    runs = []

    def mutmut_run(folder, command, option, children, *names, capture=False):
        runs.append(names)
        results.update(dict.fromkeys(names, 0))  # each survives
        return ""

    with_results(monkeypatch, tmp_path, results, mutmut_run)

    mutation.run_domain("demo", skip={"x.x_f__mutmut_1", "x.x_f__mutmut_2"}, fresh=False)

    assert runs == [("x.x_f__mutmut_2", "x.x_f__mutmut_3")]


def test_a_catalogue_changed_since_reaches_mutmut_s_own_copy(tmp_path, monkeypatch):
    # mutmut copies the package's non-Python files into mutants/ once; a stale catalogue
    # there made the new tests fail in mutmut's stats run, which then dropped them all.
    from tools import mutation

    monkeypatch.setattr(mutation, "WORK", tmp_path)
    catalogue = "advocacy/translations/es/LC_MESSAGES/messages.mo"
    stale = tmp_path / "security" / "mutants" / catalogue
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an older catalogue")
    folder = mutation.prepare("security")
    assert stale.read_bytes() == (mutation.ROOT / catalogue).read_bytes()
    assert (folder / catalogue).read_bytes() == (mutation.ROOT / catalogue).read_bytes()
