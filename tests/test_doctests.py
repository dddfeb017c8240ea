"""Every docstring example in the package runs (pytest's collector skips methods of
slotted dataclasses, so the stdlib doctest runner is used)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

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


def test_readme_examples() -> None:
    """The README's ``>>>`` examples run, each code block as written."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    examples = "\n".join(block for block in blocks if block.startswith(">>>"))
    test = doctest.DocTestParser().get_doctest(examples, {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).attempted > 10
    assert runner.failures == 0
