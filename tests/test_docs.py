"""The documentation site is real: every code example in docs/ runs, and the site builds
with warnings as errors (``mkdocs build --strict``) with every public name in its API
reference.

Each page's ```python blocks run in order in one namespace, in a fresh interpreter per
page (the Django pages configure Django); a block that starts with ``>>>`` is a doctest
whose output must match. Blocks in other languages (sh, console, text) are not run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))
IN_CI = os.environ.get("CI", "").lower() == "true"

FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", flags=re.MULTILINE | re.DOTALL)
RUN_AS = {"python"}
NOT_RUN = {"sh", "console", "text", "toml", "http", "json"}

# Runs one page: its python blocks in order, in one namespace. Django pages get a
# configured Django first (their examples are modules of a project).
PAGE_RUNNER = r"""
import doctest, re, sys, types
from pathlib import Path

text = Path(sys.argv[1]).read_text(encoding="utf-8")
fence = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", flags=re.MULTILINE | re.DOTALL)
blocks = [body for language, body in fence.findall(text) if language == "python"]
page = types.ModuleType("docs_page")  # the page's namespace, importable (ROOT_URLCONF)
sys.modules["docs_page"] = page
if any("django" in block or "rest_framework" in block for block in blocks):
    import django
    from django.conf import settings
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
        DATABASES={},
        ROOT_URLCONF="docs_page",
        ALLOWED_HOSTS=["testserver"],
        REST_FRAMEWORK={
            "EXCEPTION_HANDLER": "wwwauth.integrations.djangorestframework.exception_handler",
        },
    )
    django.setup()
for index, block in enumerate(blocks):
    where = f"{sys.argv[1]}, python block {index + 1}"
    if block.lstrip().startswith(">>>"):
        test = doctest.DocTestParser().get_doctest(block, page.__dict__, where, where, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test, clear_globs=False)
        page.__dict__.update(test.globs)  # the test ran in a copy
        if runner.failures:
            sys.exit(f"{where}: {runner.failures} doctest failure(s)")
    else:
        exec(compile(block, where, "exec"), page.__dict__)
"""


def blocks_of(page: str) -> list[tuple[str, str]]:
    """(language, body) of each fenced block of a page."""
    return FENCE.findall((DOCS / page).read_text(encoding="utf-8"))


def test_the_site_has_the_pages() -> None:
    guides = {page for page in PAGES if not page.startswith("api/")}
    assert {"index.md", "guides/parsing.md", "guides/serializing.md", "guides/cli.md"} <= guides
    assert sum(language == "python" for page in PAGES for language, _ in blocks_of(page)) > 30


@pytest.mark.parametrize("page", PAGES)
def test_every_block_is_runnable_or_plainly_not_python(page: str) -> None:
    """Python examples are tagged ``python`` (so they run), never ``py`` or ``pycon``."""
    for language, _ in blocks_of(page):
        assert language in RUN_AS | NOT_RUN, f"{page}: a ```{language} block"


@pytest.mark.parametrize(
    "page", [page for page in PAGES if any(lang == "python" for lang, _ in blocks_of(page))]
)
def test_the_examples_of_the_page_run(page: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PAGE_RUNNER, str(DOCS / page)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def console_commands() -> list[tuple[str, str]]:
    """(page, command) for each ``$ wwwauth ...`` line of the ```console blocks."""
    return [
        (page, line.removeprefix("$ "))
        for page in PAGES
        for language, body in blocks_of(page)
        if language == "console"
        for line in body.splitlines()
        if line.startswith("$ ") and "wwwauth" in line
    ]


@pytest.mark.parametrize(("page", "command"), console_commands())
def test_the_commands_shown_run(page: str, command: str, tmp_path: Path) -> None:
    """Each command runs as shown: no usage error, no traceback (its output is not pinned:
    the guide describes it)."""
    shim = tmp_path / "wwwauth"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m wwwauth "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    completed = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env={
            **os.environ,
            "PATH": os.pathsep.join([str(tmp_path), os.environ.get("PATH", "")]),
            "PYTHONPATH": str(ROOT / "src"),
        },
    )
    assert completed.returncode in (0, 1), f"{page}: {command}\n{completed.stderr}"
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.stdout.strip(), command


def need_mkdocs() -> None:
    """Skip when the docs extra is missing; under CI=true that is a failure instead."""
    missing = [
        name
        for name in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python")
        if importlib.util.find_spec(name.split(".")[0]) is None
    ]
    if missing:
        message = f"{', '.join(missing)} not installed: pip install -e '.[docs]'"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built with warnings as errors (the same command as .ci/run)."""
    need_mkdocs()
    site_dir = tmp_path_factory.mktemp("site")
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return site_dir


def test_the_site_builds_strictly(site: Path) -> None:
    for page in PAGES:
        if page == "which-status.md":  # included by guides/which-status.md
            continue
        path = Path(page)
        built = site / path.parent / ("" if path.name == "index.md" else path.stem) / "index.html"
        assert built.is_file(), page
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        # docs/hooks.py fences docstring examples and turns reST roles into code
        assert '<span class="err">```</span>' not in text, html
        assert not re.search(r":(func|class|meth|attr|data):`", text), html


def api_pages() -> list[tuple[str, str]]:
    """(page, module) for each ``::: module`` page of the API reference."""
    found: list[tuple[str, str]] = []
    for page in PAGES:
        if page.startswith("api/"):
            text = (DOCS / page).read_text(encoding="utf-8")
            found.extend(
                (page, module) for module in re.findall(r"^::: (\S+)$", text, re.MULTILINE)
            )
    return found


# Prints {module: its public names that are not submodules} as JSON, each module imported
# in a configured Django (the REST framework adapter reads settings on import); a module
# whose framework is missing maps to null, an object that is not a module to [].
PUBLIC_NAMES = r"""
import importlib, json, sys, types
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"])
django.setup()
names = {}
for module in sys.argv[1:]:
    try:
        imported = importlib.import_module(module)
    except ImportError:
        parent, _, attribute = module.rpartition(".")
        try:  # a single object documented on its own (wwwauth.decide.decide)
            getattr(importlib.import_module(parent), attribute)
            names[module] = []
        except (ImportError, AttributeError):
            names[module] = None
        continue
    names[module] = [
        name
        for name in getattr(imported, "__all__", ())
        if not isinstance(getattr(imported, name), types.ModuleType)
    ]
print(json.dumps(names))
"""


@pytest.fixture(scope="module")
def public_names() -> dict[str, list[str] | None]:
    completed = subprocess.run(
        [sys.executable, "-c", PUBLIC_NAMES, *(module for _, module in api_pages())],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    names: dict[str, list[str] | None] = json.loads(completed.stdout)
    return names


@pytest.mark.parametrize(("page", "module"), api_pages())
def test_the_api_reference_has_every_public_name(
    site: Path, public_names: dict[str, list[str] | None], page: str, module: str
) -> None:
    names = public_names[module]
    if names is None:
        pytest.skip(f"{module} does not import here (its framework is not installed)")
    html = (site / page.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    for name in names:
        anchor = f"{module}.{name}"
        if anchor == "wwwauth.decide":  # the function shares its module's name
            anchor = "wwwauth.decide.decide"
        assert f'id="{anchor}"' in html, f"{page} does not document {anchor}"


def test_every_public_module_has_an_api_page() -> None:
    documented = {module for _, module in api_pages()}
    expected = {
        "wwwauth",
        *(
            f"wwwauth.{name}"
            for name in ("basic", "bearer", "digest", "dpop", "negotiate", "schemes")
            + ("ext_value", "testing", "strategies", "formatting")
        ),
        *(
            f"wwwauth.integrations.{name}"
            for name in ("requests", "httpx", "asgi", "wsgi", "server", "protect", "verifiers")
            + ("django", "djangorestframework", "flask", "aiohttp", "litestar")
            + ("fastapi", "starlette")
        ),
    }
    assert expected <= documented
