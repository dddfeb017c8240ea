#!/usr/bin/env python3
"""Run the interoperability tests and print their matrix as Markdown tables, for the README.

Run from the repository root, with the real tools installed
(``python3 tests/interop/install_tools.py``) and the ``test`` extra:

    python benchmarks/interop_matrix.py            # all of tests/interop
    python benchmarks/interop_matrix.py -k apache  # extra arguments go to pytest

``pytest tests/interop`` runs with ``WWWAUTH_INTEROP_RESULTS`` naming a temporary file,
where each test appends the cells it measured (``tests/interop/conftest.py:record``).
One table is printed per ``table`` value: a row per scenario, a column per client, in
the order the tests ran. A cell is ✓ (passed), ✗ (failed), or ✗ with a note number for
a failure the other implementation is known for, the notes listed under the table.
The exit status is pytest's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KNOWN = "known: "


def read_cells(path: Path) -> dict[str, dict[tuple[str, str], str]]:
    """table -> (scenario, column) -> outcome, in the order first recorded (last one wins)."""
    tables: dict[str, dict[tuple[str, str], str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            cell = json.loads(line)
            tables.setdefault(cell["table"], {})[(cell["scenario"], cell["column"])] = cell[
                "outcome"
            ]
    return tables


def markdown(table: str, cells: dict[tuple[str, str], str]) -> str:
    """One Markdown table with its notes and its counts."""
    rows = list(dict.fromkeys(scenario for scenario, _ in cells))
    columns = list(dict.fromkeys(column for _, column in cells))
    notes: dict[str, int] = {}
    lines = [f"#### {table}", "", "| Scenario | " + " | ".join(columns) + " |"]
    lines.append("|---|" + "---|" * len(columns))
    for row in rows:
        shown = []
        for column in columns:
            outcome = cells.get((row, column))
            if outcome is None:
                shown.append("")
            elif outcome == "pass":
                shown.append("✓")
            elif outcome.startswith(KNOWN):
                number = notes.setdefault(outcome.removeprefix(KNOWN), len(notes) + 1)
                shown.append(f"✗ ({number})")
            else:
                shown.append("✗")
        lines.append(f"| {row} | " + " | ".join(shown) + " |")
    if notes:
        lines.append("")
        lines += [f"({number}) {note}  " for note, number in notes.items()]
    counts = []
    for column in columns:
        outcomes = [cells[(row, column)] for row in rows if (row, column) in cells]
        passed = sum(outcome == "pass" for outcome in outcomes)
        known = sum(outcome.startswith(KNOWN) for outcome in outcomes)
        counts.append(f"{column} {passed}/{len(outcomes)} ({known} known)")
    lines += ["", "Passed: " + "; ".join(counts) + "."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as directory:
        results = Path(directory) / "cells.jsonl"
        results.touch()
        environment = dict(os.environ)
        environment["WWWAUTH_INTEROP_RESULTS"] = str(results)
        source = str(ROOT / "src")
        environment["PYTHONPATH"] = os.pathsep.join(
            [source, *filter(None, [environment.get("PYTHONPATH")])]
        )
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        completed = subprocess.run(
            [*command, "tests/interop", *extra],
            cwd=ROOT,
            env=environment,
            stdout=sys.stderr,  # pytest's report apart from the tables
            check=False,
        )
        tables = read_cells(results)
    for table, cells in tables.items():
        print(markdown(table, cells))
        print()
    return completed.returncode


if __name__ == "__main__":
    raise SystemExit(main())
