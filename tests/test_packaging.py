"""The package as published: the sdist and the wheel ``python -m build`` makes, their metadata,
``twine check --strict``, and ``wwwauth.__version__``.

Both archives are built once, offline (``--no-isolation``: the environment's setuptools, which
the test extra pins to the ``[build-system]`` minimum), from a copy of this source tree without
its ``*.egg-info`` (setuptools would take a stale ``SOURCES.txt`` there as part of the manifest,
hiding a file MANIFEST.in misses) and without git, virtual environments and tool caches. Run from an unpacked sdist, the same tests rebuild it from itself; only the comparison
with ``git ls-files`` needs a git checkout, and falls back to the files on disk without one.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from email.parser import Parser
from importlib import metadata
from pathlib import Path, PurePosixPath

import pytest
from packaging.version import Version

import wwwauth
from wwwauth import _version

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# What the sdist leaves out of a checkout: CI plumbing only (MANIFEST.in says why).
NOT_IN_SDIST = (".gitignore", ".ci/")
# The folders the test suite reads besides the package; without git, the sdist must carry
# every file found in them.
DATA_FOLDERS = ("tests", "examples", "benchmarks", "docs")
CACHE_PARTS = frozenset(
    {"__pycache__", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
)
EXTRAS = frozenset(
    {
        "test",
        "dev",
        "bench",
        "hypothesis",
        "requests",
        "httpx",
        "starlette",
        "fastapi",
        "django",
        "djangorestframework",
        "flask",
        "aiohttp",
        "litestar",
        "docs",
    }
)
PROJECT_URLS = frozenset({"Homepage", "Source", "Issues", "Changelog", "Documentation"})


def _need(module: str, why: str) -> None:
    """Skip (fail under CI) when ``module`` is missing: the test extra brings it."""
    if importlib.util.find_spec(module) is None:
        message = f"{module} is not installed ({why}): pip install -e '.[test]'"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def _setuptools_major() -> int:
    try:
        return int(metadata.version("setuptools").split(".")[0])
    except (metadata.PackageNotFoundError, ValueError):
        return 0


@dataclass(frozen=True)
class Dists:
    """The two archives built from the source tree, and what they hold."""

    sdist: Path
    wheel: Path
    sdist_names: frozenset[str]  # relative to the sdist's top folder
    wheel_names: frozenset[str]

    def sdist_text(self, name: str) -> str:
        with tarfile.open(self.sdist) as archive:
            member = archive.extractfile(f"{_sdist_prefix(self.sdist)}/{name}")
            assert member is not None, name
            return member.read().decode("utf-8")

    def wheel_text(self, name: str) -> str:
        with zipfile.ZipFile(self.wheel) as archive:
            return archive.read(name).decode("utf-8")

    @property
    def dist_info(self) -> str:
        (folder,) = {n.split("/")[0] for n in self.wheel_names if ".dist-info/" in n}
        return folder


def _sdist_prefix(sdist: Path) -> str:
    return sdist.name.removesuffix(".tar.gz")


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip("not run from a source tree (no pyproject.toml beside tests/)")
    _need("build", "python -m build makes the sdist and the wheel")
    if _setuptools_major() < 77:
        message = "setuptools>=77 is needed to build offline (PEP 639 license-files)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    source = tmp_path_factory.mktemp("source") / "tree"
    # __pycache__ is copied: MANIFEST.in must keep it out of the sdist.
    skipped = ("*.egg-info", ".git", ".venv", "dist", "build", *(CACHE_PARTS - {"__pycache__"}))
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*skipped))
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    prefix = _sdist_prefix(sdist)
    with tarfile.open(sdist) as archive:
        sdist_names = frozenset(
            str(PurePosixPath(m.name).relative_to(prefix))
            for m in archive.getmembers()
            if m.isfile()
        )
    with zipfile.ZipFile(wheel) as archive:
        wheel_names = frozenset(archive.namelist())
    return Dists(sdist, wheel, sdist_names, wheel_names)


def _parse_metadata(text: str) -> Message:
    return Parser().parsestr(text, headersonly=True)


def _both_metadata(dists: Dists) -> Iterator[tuple[str, Message]]:
    yield "sdist PKG-INFO", _parse_metadata(dists.sdist_text("PKG-INFO"))
    yield "wheel METADATA", _parse_metadata(dists.wheel_text(f"{dists.dist_info}/METADATA"))


# --------------------------------------------------------------------------- the license


def test_the_license_is_mit_in_the_repository_the_sdist_and_the_wheel(dists: Dists) -> None:
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the wwwauth authors" in license_text
    assert dists.sdist_text("LICENSE") == license_text
    assert dists.wheel_text(f"{dists.dist_info}/licenses/LICENSE") == license_text


# --------------------------------------------------------------------------- the sdist


def _git_files() -> list[str] | None:
    """The files git tracks in the source tree, or None when it is not a git checkout."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            check=False,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != ROOT:
            return None
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    names = listed.stdout.decode("utf-8").split("\0")
    return [name for name in names if name and (ROOT / name).is_file()]  # not deleted yet


def _files_on_disk() -> list[str]:
    return [
        path.relative_to(ROOT).as_posix()
        for folder in DATA_FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and not CACHE_PARTS.intersection(path.relative_to(ROOT).parts)
        and path.suffix not in (".pyc", ".pyo")
    ]


def test_the_sdist_carries_every_file_of_the_checkout_but_ci_plumbing(dists: Dists) -> None:
    # Every test, its helpers and data (conftest.py, vectors.py, tests/cli_golden/...), the
    # example apps and what else the tests read: an unpacked sdist passes its own suite.
    files = _git_files()
    if files is None:  # an unpacked sdist, say: what is on disk in the folders tests read
        files = _files_on_disk()
    expected = {name for name in files if not name.startswith(NOT_IN_SDIST)}
    assert sorted(expected - dists.sdist_names) == []


def test_the_sdist_carries_the_test_helpers_by_name(dists: Dists) -> None:
    # The five whose absence made 5 collection errors (issue 14), and the packages' markers.
    for name in (
        "tests/__init__.py",
        "tests/conftest.py",
        "tests/vectors.py",
        "tests/reference.py",
        "tests/authservers.py",
        "tests/interop/__init__.py",
        "tests/adapters/__init__.py",
        "benchmarks/fuzz_readers.py",
        "docs/which-status.md",
        "pyproject.toml",
        "MANIFEST.in",
        "README.md",
        "CHANGELOG.md",
        "SECURITY.md",
        "ARCHITECTURE.md",
    ):
        assert name in dists.sdist_names, name
    assert any(name.startswith("tests/cli_golden/") for name in dists.sdist_names)
    assert any(name.startswith("examples/") for name in dists.sdist_names)


def test_the_sdist_carries_no_caches(dists: Dists) -> None:
    for name in dists.sdist_names:
        parts = PurePosixPath(name).parts
        assert not CACHE_PARTS.intersection(parts), name
        assert not name.endswith((".pyc", ".pyo")), name
        assert parts[0] not in (".ci", ".git", ".venv", "dist", "build"), name


# --------------------------------------------------------------------------- the wheel


def test_the_wheel_carries_the_package_typed_and_nothing_else(dists: Dists) -> None:
    package = ROOT / "src" / "wwwauth"
    modules = {f"wwwauth/{p.relative_to(package).as_posix()}" for p in package.rglob("*.py")}
    assert sorted(modules - dists.wheel_names) == []
    assert "wwwauth/py.typed" in dists.wheel_names  # PEP 561
    tops = {name.split("/")[0] for name in dists.wheel_names}
    assert tops == {"wwwauth", dists.dist_info}  # no tests/, examples/, benchmarks/
    entry_points = dists.wheel_text(f"{dists.dist_info}/entry_points.txt")
    assert re.search(r"^wwwauth = wwwauth\.cli:main$", entry_points, re.MULTILINE)


# --------------------------------------------------------------------------- metadata


def test_the_metadata_of_both_archives(dists: Dists) -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'^version = "([^"]+)"$', pyproject, re.MULTILINE)
    assert version is not None
    for where, message in _both_metadata(dists):
        assert message["Name"] == "pywwwauth", where
        assert message["Version"] == version.group(1), where
        assert Version(message["Metadata-Version"]) >= Version("2.4"), where  # PEP 639
        assert message["License-Expression"] == "MIT", where
        assert message.get_all("License-File") == ["LICENSE"], where
        assert message["Requires-Python"] == ">=3.10", where
        assert message["Author"] == "the wwwauth authors", where
        classifiers = message.get_all("Classifier") or []
        for wanted in (
            "Development Status :: 4 - Beta",
            "Programming Language :: Python :: 3.10",
            "Programming Language :: Python :: 3.11",
            "Programming Language :: Python :: 3.12",
            "Programming Language :: Python :: 3.13",
            "Framework :: FastAPI",
            "Framework :: Django",
            "Framework :: Flask",
            "Framework :: AsyncIO",
            "Typing :: Typed",
            "Topic :: Internet :: WWW/HTTP",
        ):
            assert wanted in classifiers, (where, wanted)
        # PEP 639: the expression replaces license classifiers; setuptools refuses both.
        assert not [c for c in classifiers if c.startswith("License ::")], where
        urls = {entry.split(",")[0] for entry in message.get_all("Project-URL") or []}
        assert urls == PROJECT_URLS, where
        assert set(message.get_all("Provides-Extra") or []) >= EXTRAS, where
        requirements = message.get_all("Requires-Dist") or []
        # Standard library only: every requirement belongs to an extra.
        assert [r for r in requirements if "extra ==" not in r] == [], where
        hypothesis_extra = [r for r in requirements if r.endswith('extra == "hypothesis"')]
        assert [r.split(";")[0] for r in hypothesis_extra] == ["hypothesis>=6.80"], where


def test_the_classifiers_are_known_to_the_package_index(dists: Dists) -> None:
    _need("trove_classifiers", "the list of classifiers the package index accepts")
    import trove_classifiers

    for where, message in _both_metadata(dists):
        unknown = set(message.get_all("Classifier") or []) - trove_classifiers.classifiers
        assert sorted(unknown) == [], where


def test_twine_check_strict_passes_on_both_archives(dists: Dists) -> None:
    _need("twine", "twine check --strict validates what the package index would render")
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dists.sdist), str(dists.wheel)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


# --------------------------------------------------------------------------- __version__


def test_version_is_the_installed_distributions() -> None:
    try:
        expected = metadata.version("pywwwauth")
    except metadata.PackageNotFoundError:
        expected = _version.UNKNOWN_VERSION
    assert wwwauth.__version__ == expected
    Version(wwwauth.__version__)  # PEP 440, or this raises


def test_version_without_an_installed_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert _version.installed_version() == "0+unknown"
    assert Version("0+unknown") < Version("0.0.1")


def test_importing_wwwauth_does_not_read_the_metadata() -> None:
    # In a fresh interpreter: importlib.metadata is loaded on the first read of __version__.
    script = (
        "import sys\n"
        "before = 'importlib.metadata' in sys.modules\n"
        "import wwwauth\n"
        "print(before or 'importlib.metadata' not in sys.modules)\n"
        "print(isinstance(wwwauth.__version__, str), 'importlib.metadata' in sys.modules)\n"
        "print('__version__' in vars(wwwauth))\n"  # read once, then a plain attribute
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.splitlines() == ["True", "True True", "True"]
