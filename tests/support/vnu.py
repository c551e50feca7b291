"""The W3C Nu HTML checker (vnu.jar, from the npm package vnu-jar that `make vnu`
installs into tools/vnu/node_modules), run once over a folder of pages.

One Java start checks every page: starting the JVM and loading the schemas is most of
its time (about 4 s), each page after that a few milliseconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

JAR = Path(__file__).resolve().parents[2] / "tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar"


@dataclass(frozen=True)
class Problem:
    """One error the checker reports: the page's file name, its line and its message."""

    page: str
    line: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message}\n    {self.extract.strip()}"


def java_or_skip() -> str:
    """Return the java command, and the jar's presence checked; where either is missing,
    skip saying how to get them (with CI=true, fail: CI must run the checker)."""
    java = shutil.which("java")
    missing = [what for what, there in (("java", java), (str(JAR), JAR.exists())) if not there]
    if missing:
        said = f"the HTML checker needs {' and '.join(missing)}: run `make vnu`"
        if os.environ.get("CI") == "true":
            pytest.fail(said)
        pytest.skip(said)
    return java


def check_folder(folder: Path) -> list[Problem]:
    """Run vnu once over every .html file in `folder`; return its errors (never warnings)."""
    java = java_or_skip()
    finished = subprocess.run(  # noqa: S603 (our own jar, our own folder)
        [
            java,
            "-jar",
            str(JAR),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            "--skip-non-html",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(finished.stderr)["messages"]
    return [
        Problem(
            page=message.get("url", "").rsplit("/", 1)[-1],
            line=message.get("lastLine"),
            message=message["message"],
            extract=message.get("extract", ""),
        )
        for message in messages
    ]
