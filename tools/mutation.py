"""`make mutation`: change the code under test in small ways and check that a test fails.

Runs mutmut over the modules in DOMAINS below, one domain at a time and with only the
tests that cover it, then writes a score per domain to .mutation/score.md and prints it.
Each domain has a work folder, .mutation/<domain>/: a copy of the repository whose
pyproject.toml adds the domain's files and tests to the shared [tool.mutmut] settings.

    python -m tools.mutation                  # every domain
    python -m tools.mutation security events  # some of them
    python -m tools.mutation --fresh events   # forget earlier results first

Results are kept in the work folders between runs: a mutant already killed is not run again;
survivors and mutants not yet checked (never run, or no test covered them) are: new
tests may kill them now. Each run also writes its results to tools/mutation_results/
(committed), so a fresh clone starts where the last run ended: a function whose code
changed since then gets new mutants, which are run; --fresh forgets all results. A mutant that
changes nothing a caller can see is listed in tools/mutation_equivalents.toml with the
reason and the exact change; it is left out of the score (killed / (all - equivalent)),
and reported as stale when the change no longer matches. Timeouts count as killed, as
in mutmut's own report. Exit status 1 when a domain scores under THRESHOLD.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.toml"
# Mutants only PostgreSQL can tell apart (make test's second pass kills them), each with
# the test that does: checked on every run, on ADVOCACY_MUTATION_POSTGRES_URL.
ON_POSTGRESQL = ROOT / "tools" / "mutation_killed_on_postgresql.toml"
MUTATION_POSTGRES_URL = os.environ.get(
    "ADVOCACY_MUTATION_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/mutation"
)
# Mutants whose change takes effect when a module is imported (a decorator's mark): mutmut
# switches mutants inside a process that imported the code already, so only a process of
# their own sees them. Each names the test that kills it, run alone against it on every run.
AT_IMPORT = ROOT / "tools" / "mutation_killed_at_import.toml"
RESULTS = ROOT / "tools" / "mutation_results"
CATALOGUES = "advocacy/translations/*/LC_MESSAGES/*.mo"
THRESHOLD = 0.85
# mutmut's exit codes (mutmut.stats.status_by_exit_code): 0 survived, None not run,
# 33 no test covers it; any other code is a failing test, a timeout or a crash.
SURVIVED, NO_TESTS = 0, 33


# domain: (the files whose mutants count, the tests that cover them)
DOMAINS: dict[str, tuple[list[str], list[str]]] = {
    # With the tests of what security.py's helpers guard: the language form's origin check
    # (sent_from_this_site), the visitors' forms (visitors_only) and forms sent again.
    "security": (
        ["advocacy/security.py"],
        ["tests/test_security.py", "tests/test_headers.py", "tests/accounts/test_limits.py",
         "tests/test_language_choice.py", "tests/test_csrf.py", "tests/accounts/test_hardening.py"],
    ),
    "privacy": (
        ["advocacy/privacy/*.py", "advocacy/*/privacy.py"],
        ["tests/privacy", "tests/accounts/test_settings.py"],
    ),
    "accounts": (
        [f"advocacy/accounts/{name}.py" for name in (
            "services", "joining", "invites", "second_factor", "recovery", "reset_log",
            "standing", "mentoring", "role_words")],
        # With the completion tests: undoing a completion takes back mentor eligibility
        # (mentoring.take_back_eligibility), which nothing in accounts or staff does.
        ["tests/accounts", "tests/staff", "tests/notices", "tests/programs/test_completion.py"],
    ),
    # Three accounts modules that nearly every request calls get their own domains, each
    # with the tests of its rules: with all of tests/accounts, one mutant took minutes.
    "accounts-limits": (
        ["advocacy/accounts/limits.py"],
        ["tests/accounts/test_limit_rules.py", "tests/accounts/test_limits.py",
         "tests/accounts/test_shared_limits.py", "tests/accounts/test_hardening.py",
         "tests/test_throttles.py"],
    ),
    "accounts-policy": (
        ["advocacy/accounts/policy.py"],
        ["tests/accounts/test_name_rules.py", "tests/accounts/test_invisible_rules.py",
         "tests/accounts/test_password_rules.py", "tests/accounts/test_confusables.py",
         "tests/accounts/test_mark_rules.py",
         "tests/accounts/test_limit_rules.py", "tests/accounts/test_join.py",
         "tests/staff/test_standing_rules.py"],
    ),
    "accounts-sessions": (
        ["advocacy/accounts/sessions.py", "advocacy/accounts/loading.py"],
        ["tests/accounts/test_session_rules.py", "tests/accounts/test_session_limit_rules.py",
         "tests/accounts/test_return_address_rules.py", "tests/accounts/test_sessions.py",
         "tests/accounts/test_session_ends.py", "tests/accounts/test_pending_step_secrecy.py",
         "tests/test_csrf.py", "tests/notices/test_unread_count.py"],
    ),
    # Of tests/privacy only the RSVP purge reaches the events services (tests/events has the rest).
    "events": (
        [
            "advocacy/events/scheduling.py",
            "advocacy/events/rsvps.py",
            "advocacy/events/finding.py",
            "advocacy/events/attendance.py",
            "advocacy/events/hosts.py",
            "advocacy/events/telling.py",
            "advocacy/events/listing.py",
            "advocacy/events/recurrence.py",
            "advocacy/events/series_calendar.py",
            "advocacy/events/calendar.py",
        ],
        ["tests/events", "tests/notices/test_change_notices.py", "tests/privacy/test_purge.py"],
    ),
    "programs": (
        [f"advocacy/programs/{name}.py" for name in (
            "services", "catalog", "hosts", "attendance", "completion", "sessions",
            "removal")],
        ["tests/programs", "tests/privacy"],
    ),
    "stories": (
        [f"advocacy/stories/{name}.py" for name in (
            "services", "reading", "publishing", "reports")],
        ["tests/stories", "tests/privacy", "tests/moderation/test_review_findings.py"],
    ),
    # The identity check a story goes through before a mentor reads it (issue 15).
    "identity": (
        ["advocacy/stories/identity/*.py"],
        ["tests/stories/test_identity.py", "tests/stories/test_identity_table.py",
         "tests/stories/test_identity_linear.py"],
    ),
    "moderation": (
        ["advocacy/moderation/services.py", "advocacy/moderation/reported.py"],
        ["tests/stories", "tests/staff", "tests/privacy", "tests/test_paging.py"],
    ),
    # What the review page says about the identity check, and the break (issue 15).
    "moderation-care": (
        ["advocacy/moderation/care.py"],
        ["tests/moderation"],
    ),
    # The staff workspace, roles and the mentor pathway (issue 13).
    "staff": (
        [f"advocacy/staff/{name}.py" for name in (
            "workspace", "pathway", "directory", "roles", "standing", "services", "asking",
            "handover", "audit_lines")],
        ["tests/staff"],
    ),
    # Funder reports: counting, suppression and its audit, CSV (issue 13).
    "reports": (
        [f"advocacy/reports/{name}.py" for name in (
            "counting", "suppression", "audit", "history", "services", "export", "charts")],
        ["tests/reports"],
    ),
    # What members are told: notices, their changes, the unread count.
    "notices": (
        [f"advocacy/notices/{name}.py" for name in (
            "services", "changes", "story_notices", "unread", "hosting")],
        ["tests/notices", "tests/events/test_staff_changes.py",
         "tests/events/test_program_meeting_notices.py", "tests/staff/test_role_hosts.py",
         "tests/staff/test_asking_first.py", "tests/staff/test_deletion_hosts.py"],
    ),
    "help": (
        ["advocacy/help/services.py"],
        ["tests/help"],
    ),
    # The request's edge: body types, typed form fields, forms sent twice.
    "edge": (
        ["advocacy/edge.py", "advocacy/fields.py", "advocacy/once.py"],
        ["tests/test_edge.py", "tests/test_typed_fields.py", "tests/test_untrusted_numbers.py",
         "tests/test_once.py", "tests/test_once_rules.py", "tests/test_csrf.py"],
    ),
}  # fmt: skip


@dataclass
class Score:
    """How one domain's mutants fared."""

    domain: str
    killed: int
    survived: list[str]
    unchecked: int
    equivalent: int
    stale: list[str]
    killed_on_postgresql: int = 0
    killed_at_import: int = 0

    @property
    def killed_in_all(self) -> int:
        return self.killed + self.killed_on_postgresql + self.killed_at_import

    @property
    def counted(self) -> int:
        return self.killed_in_all + len(self.survived) + self.unchecked

    @property
    def ratio(self) -> float:
        return self.killed_in_all / self.counted if self.counted else 1.0


def prepare(domain: str) -> Path:
    """Bring the domain's work folder up to date with the repository; return its path.

    Tracked and new (not ignored) files, and the compiled catalogues, are copied when they
    differ; files gone from the
    repository are removed; mutmut's own mutants/ folder is kept, with its results.
    """
    folder = WORK / domain
    listed = subprocess.run(  # noqa: S603
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    # Git ignores the compiled catalogues (make builds them), but the app offers a language
    # only when its catalogue is compiled: without them the Spanish tests would fail.
    compiled = [path.relative_to(ROOT).as_posix() for path in ROOT.glob(CATALOGUES)]
    wanted = {name for name in [*listed, *compiled] if (ROOT / name).is_file()}
    for name in wanted:
        copy_if_changed(ROOT / name, folder / name)
        # mutmut copies the package's other files (catalogues, data) into mutants/ once and
        # never again: a catalogue changed since would fail the new tests' stats run, and
        # mutmut then silently runs every survivor against the old tests only.
        package_file = name.startswith("advocacy/") and not name.endswith(".py")
        if package_file and (folder / "mutants").is_dir():
            copy_if_changed(ROOT / name, folder / "mutants" / name)
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith("mutants/") and relative not in wanted:
            path.unlink()
    files, tests = DOMAINS[domain]
    settings = (
        f"[tool.mutmut]\nonly_mutate = {json.dumps(files)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
    )
    pyproject = (ROOT / "pyproject.toml").read_text().replace("[tool.mutmut]\n", settings)
    (folder / "pyproject.toml").write_text(pyproject)
    return folder


def copy_if_changed(source: Path, target: Path) -> None:
    """Copy `source` to `target` unless `target` already holds the same bytes."""
    if not target.exists() or target.read_bytes() != source.read_bytes():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def result_files(folder: Path) -> list[Path]:
    """mutmut's result files in a work folder, sorted: of the files its domain mutates now.

    A file since deleted, split or taken out of the domain leaves its old results behind
    (in the work folder and in tools/mutation_results/); they no longer count.
    """
    metas = sorted((folder / "mutants").rglob("*.py.meta"))
    if folder.name not in DOMAINS:
        return metas
    patterns = DOMAINS[folder.name][0]
    return [
        meta
        for meta in metas
        if (ROOT / (path := source_of(folder, meta))).is_file()
        and any(Path(path).match(pattern) for pattern in patterns)
    ]


def source_of(folder: Path, meta: Path) -> str:
    """The repository path of the file a result file is about (advocacy/security.py)."""
    return meta.relative_to(folder / "mutants").as_posix().removesuffix(".meta")


def load_results(folder: Path) -> dict[str, int | None]:
    """Every mutant's last exit code, read from mutmut's files in the work folder."""
    results: dict[str, int | None] = {}
    for meta in result_files(folder):
        results.update(json.loads(meta.read_text())["exit_code_by_key"])
    return results


def restore_results(domain: str, folder: Path) -> None:
    """Seed mutmut's result files from tools/mutation_results/<domain>.json where the work
    folder has none; mutmut keeps a result only while its function's hash is unchanged."""
    saved = RESULTS / f"{domain}.json"
    if not saved.exists():
        return
    for path, kept in json.loads(saved.read_text()).items():
        meta = folder / "mutants" / f"{path}.meta"
        if not meta.exists():
            meta.parent.mkdir(parents=True, exist_ok=True)
            empty = {"durations_by_key": {}, "estimated_durations_by_key": {}}
            meta.write_text(json.dumps(kept | empty))


def keep_results(domain: str, folder: Path) -> None:
    """Write the domain's results (per file: function hashes, exit code by mutant) to
    tools/mutation_results/<domain>.json, sorted, for the next clone."""
    kept = {}
    for meta in result_files(folder):
        data = json.loads(meta.read_text())
        kept[source_of(folder, meta)] = {
            key: data[key] for key in ("hash_by_function_name", "exit_code_by_key")
        }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{domain}.json").write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n")


def load_equivalents() -> dict[str, dict[str, str]]:
    """Listed equivalent mutants by name: {'change': the diff lines, 'reason': why}."""
    listed = tomllib.loads(EQUIVALENTS.read_text()).get("equivalent", [])
    return {entry["mutant"]: entry for entry in listed}


def load_kills(listing: Path) -> dict[str, dict[str, str]]:
    """Mutants listed as killed by one test run alone (ON_POSTGRESQL, AT_IMPORT), by name:
    {'mutant', 'change', 'test', 'reason'}."""
    listed = tomllib.loads(listing.read_text()).get("killed", [])
    return {entry["mutant"]: entry for entry in listed}


def killed_alone(folder: Path, mutant: str, test: str, database_url: str | None) -> bool:
    """Run one test against the mutant in a new process, on `database_url` (None: the
    tests' own SQLite database): True if the test fails (exit 1).

    mutmut's trampoline reads MUTANT_UNDER_TEST, so the mutated copy in `mutants/` runs
    the mutant from the first import on; a usage error or a database that does not answer
    is no kill.
    """
    environment = {**os.environ, "MUTANT_UNDER_TEST": mutant}
    environment.pop("ADVOCACY_TEST_DATABASE_URL", None)
    if database_url is not None:
        environment["ADVOCACY_TEST_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p", "no:xdist"]
    done = subprocess.run(  # noqa: S603
        [*command, test], cwd=folder / "mutants", env=environment, capture_output=True, check=False
    )
    return done.returncode == 1


def change_of(folder: Path, mutant: str) -> str:
    """The changed lines of a mutant: the '-' and '+' lines `mutmut show` prints."""
    shown = mutmut(folder, "show", mutant, capture=True)
    lines = [line for line in shown.splitlines() if line[:1] in "+-"]
    return "\n".join(line for line in lines if line[:3] not in ("+++", "---"))


def mutmut(folder: Path, *args: str, capture: bool = False) -> str:
    """Run mutmut in a work folder; return its output when captured."""
    command = [str(Path(sys.executable).with_name("mutmut")), *args]
    done = subprocess.run(command, cwd=folder, capture_output=capture, text=True, check=False)  # noqa: S603
    return done.stdout if capture else ""


def run_domain(domain: str, skip: set[str], *, fresh: bool) -> dict[str, int | None]:
    """Run the domain's mutants not yet known to be killed; return every mutant's result.

    The first time, mutmut makes the mutants and runs them all. Later, only survivors,
    mutants never run and mutants no test covered (new tests may cover them now);
    listed equivalents that survived are not run again (one never run is, so that it
    can count as equivalent). A function changed since the last run gets new mutants,
    which the second pass runs.
    """
    folder = prepare(domain)
    if not fresh:
        restore_results(domain, folder)
    tried: set[str] = set()
    for attempt in range(2):
        results = load_results(folder)
        todo = [n for n, code in results.items() if code in (None, SURVIVED, NO_TESTS)]
        todo = [
            name
            for name in todo
            if not (name in skip and results[name] == SURVIVED) and name not in tried
        ]
        if attempt and not todo:
            break
        # Without names (nothing known to do), mutmut still makes the mutants of functions
        # changed since the kept results, and runs every mutant without a result.
        mutmut(folder, "run", "--max-children", str(os.cpu_count() or 2), *todo)
        tried.update(todo or load_results(folder))  # no names: mutmut ran them all
    keep_results(domain, folder)
    return load_results(folder)


def score(
    domain: str,
    results: dict[str, int | None],
    listed: dict[str, dict],
    on_postgresql: dict[str, dict] | None = None,
    at_import: dict[str, dict] | None = None,
) -> Score:
    """Count the domain's mutants. An equivalent one counts only if its change still
    matches; one listed as killed on PostgreSQL (or at import) only if its change matches
    and its test, run now alone against it on PostgreSQL (on SQLite), fails."""
    on_postgresql, at_import = on_postgresql or {}, at_import or {}
    survived, stale, equivalent, postgresql, imported = [], [], 0, 0, 0
    folder = WORK / domain
    for name, code in sorted(results.items()):
        if code != SURVIVED:
            continue
        entry = listed.get(name) or on_postgresql.get(name) or at_import.get(name)
        matches = entry is not None and change_of(folder, name) == entry["change"].strip()
        database = MUTATION_POSTGRES_URL if name in on_postgresql else None
        if matches and name in listed:
            equivalent += 1
        elif matches and killed_alone(folder, name, entry["test"], database):
            postgresql += name in on_postgresql
            imported += name in at_import
        else:
            survived.append(name)
            if entry is not None:
                stale.append(name)
    unchecked = sum(1 for code in results.values() if code in (None, NO_TESTS))
    killed = sum(1 for code in results.values() if code not in (None, NO_TESTS, SURVIVED))
    return Score(domain, killed, survived, unchecked, equivalent, stale, postgresql, imported)


def report(scores: list[Score]) -> str:
    """A Markdown table of scores, then every surviving mutant to kill or explain."""
    lines = [
        "| domain | killed | killed on PostgreSQL | killed at import | survived "
        "| not run / no test | equivalent | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        mark = "" if s.ratio >= THRESHOLD else " (under 85 %)"
        lines.append(
            f"| {s.domain} | {s.killed} | {s.killed_on_postgresql} | {s.killed_at_import} | "
            f"{len(s.survived)} | "
            f"{s.unchecked} | {s.equivalent} | {s.ratio:.1%}{mark} |"
        )
    lines.append("")
    for s in scores:
        for name in s.survived:
            note = " (listed, but its change differs now or its test no longer kills it)"
            note = note if name in s.stale else ""
            show = f"cd .mutation/{s.domain} && ../../.venv/bin/mutmut show {name}"
            lines.append(f"- survived{note}: `{name}`: {show}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("domains", nargs="*", help=f"any of {', '.join(DOMAINS)} (default: all)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results first")
    options = parser.parse_args(argv)
    unknown = sorted(set(options.domains) - set(DOMAINS))
    if unknown:
        parser.error(f"unknown domain {', '.join(unknown)}; choose from {', '.join(DOMAINS)}")
    listed, on_postgresql, at_import = (
        load_equivalents(),
        load_kills(ON_POSTGRESQL),
        load_kills(AT_IMPORT),
    )
    scores = []
    for domain in options.domains or list(DOMAINS):
        if options.fresh:
            shutil.rmtree(WORK / domain / "mutants", ignore_errors=True)
        skip = set(listed) | set(on_postgresql) | set(at_import)
        results = run_domain(domain, skip=skip, fresh=options.fresh)
        scores.append(score(domain, results, listed, on_postgresql, at_import))
    text = report(scores)
    (WORK / "score.md").write_text(text)
    print(text)
    return 0 if all(s.ratio >= THRESHOLD for s in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
