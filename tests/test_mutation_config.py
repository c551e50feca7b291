"""make mutation's settings point at real files, and every listed equivalent explains itself."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tools.mutation import DOMAINS, EQUIVALENTS

ROOT = Path(__file__).resolve().parent.parent


def test_every_domain_names_files_and_tests_that_exist():
    for domain, (files, tests) in DOMAINS.items():
        for pattern in files:
            assert list(ROOT.glob(pattern)), (domain, pattern)
        for path in tests:
            assert (ROOT / path).exists(), (domain, path)


def test_every_equivalent_mutant_names_its_change_and_reason():
    listed = tomllib.loads(EQUIVALENTS.read_text())["equivalent"]
    names = [entry["mutant"] for entry in listed]
    assert len(names) == len(set(names))
    for entry in listed:
        assert entry.keys() == {"mutant", "change", "reason"}, entry
        assert entry["mutant"].split(".")[1] in DOMAINS, entry["mutant"]
        changed = entry["change"].strip().splitlines()
        assert changed, entry["mutant"]
        assert all(line[:1] in "+-" for line in changed), entry["mutant"]
        assert len(entry["reason"]) > 20, entry["mutant"]
