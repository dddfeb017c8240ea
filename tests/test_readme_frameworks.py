"""The README's framework examples are real: each runs as written and passes mypy --strict."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "### Frameworks"

# Django's examples are modules of a configured project: configure one, then run them.
DJANGO_RUNNER = """
import runpy, sys
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
    DATABASES={},
)
django.setup()
runpy.run_path(sys.argv[1], run_name="__main__")
"""


def framework_blocks() -> list[str]:
    """The ```python blocks of the README's framework section, in order."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{SECTION}\n")
    end = re.compile(r"\n##{1,2} ").search(text, start + len(SECTION) + 2)
    section = text[start : end.start() if end else len(text)]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_section_has_an_example_per_framework() -> None:
    blocks = "\n".join(framework_blocks())
    for module in ("fastapi", "starlette", "django", "flask", "aiohttp", "litestar"):
        assert f"wwwauth.integrations.{module}" in blocks, module


@pytest.mark.parametrize("index", range(len(framework_blocks())))
def test_each_example_runs(index: int, tmp_path: Path) -> None:
    block = framework_blocks()[index]
    script = tmp_path / f"example_{index}.py"
    script.write_text(block, encoding="utf-8")
    runner = ["-c", DJANGO_RUNNER] if "from django" in block else []
    completed = subprocess.run(
        [sys.executable, *runner, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_the_examples_pass_mypy_strict(tmp_path: Path) -> None:
    paths = []
    for index, block in enumerate(framework_blocks()):
        path = tmp_path / f"example_{index}.py"
        path.write_text(block, encoding="utf-8")
        paths.append(str(path))
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *paths],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
