"""Every docstring example in the package runs (pytest's collector skips methods of
slotted dataclasses, so the stdlib doctest runner is used)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import wwwauth

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(wwwauth.__path__, prefix="wwwauth.")
    if not info.name.startswith("wwwauth.integrations") and info.name != "wwwauth.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
