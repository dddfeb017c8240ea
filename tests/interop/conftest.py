"""Fixtures shared by the interoperability tests: real tools, or a clear skip (a failure in CI)."""

from __future__ import annotations

import json
import os

import pytest

from .install_tools import which

# Under CI a missing tool fails the suite: a green run proves the whole matrix ran.
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(tool: str) -> str:
    """The path of a real tool the test runs; skips (fails under CI=true) when it is missing."""
    path = which(tool)
    if path is None:
        message = f"{tool} is not installed: run python3 tests/interop/install_tools.py"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


# The README's interoperability matrix is made from what the tests saw: with
# WWWAUTH_INTEROP_RESULTS=path, each case appends one JSON line
# {"table": ..., "scenario": ..., "column": ..., "outcome": ...} to that file.
# table: "our clients vs real servers" or "real clients vs our middleware";
# outcome: "pass", "fail", or "known: <whose bug, in a few words>" for a documented
# failure of the other implementation.
RESULTS_ENV = "WWWAUTH_INTEROP_RESULTS"


def record(table: str, scenario: str, column: str, outcome: str) -> None:
    """Append one cell of the interoperability matrix (only when the env var names a file)."""
    path = os.environ.get(RESULTS_ENV)
    if not path:
        return
    line = json.dumps({"table": table, "scenario": scenario, "column": column, "outcome": outcome})
    with open(path, "a", encoding="utf-8") as file:
        file.write(line + "\n")
