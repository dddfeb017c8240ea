"""Fixtures shared by the interoperability tests: real tools, or a clear skip (a failure in CI)."""

from __future__ import annotations

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
