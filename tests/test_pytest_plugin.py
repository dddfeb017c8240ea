"""The pytest plugin: the wwwauth_check fixture, the report of Problem lists, the entry point.

Each inner pytest run loads the plugin with ``-p`` and no entry points (whether or not
pywwwauth is installed with its entry point, the plugin is then registered once).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    return pytester


def _run(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    pytester.makepyfile(source)
    return pytester.runpytest_inprocess("-p", "wwwauth.pytest_plugin", "-p", "no:cacheprovider")


def test_wwwauth_check_passes_a_right_response_and_fails_a_wrong_one(run: pytest.Pytester) -> None:
    result = _run(
        run,
        """
        def test_right(wwwauth_check):
            wwwauth_check(401, [("WWW-Authenticate", 'Basic realm="x"')])

        def test_wrong(wwwauth_check):
            wwwauth_check(401, {"WWW-Authenticate": "Basic realm=x"})

        def test_warning_let_through(wwwauth_check):
            wwwauth_check(401, {"WWW-Authenticate": 'Basic realm="x", Bearer'}, warnings=False)
        """,
    )
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       wwwauth_check(401, {*})",
            "E       AssertionError: 1 problem with the 401 response:",
            "E         WWW-Authenticate: Basic realm=x",
            (
                "E       - error: WWW-Authenticate: the realm of the Basic challenge is not a "
                "quoted-string (RFC 9110 §11.5: realm MUST be sent quoted)"
            ),
        ]
    )
    assert "def assert_auth_response" not in result.stdout.str()  # __tracebackhide__


def test_wwwauth_check_takes_a_response_object(run: pytest.Pytester) -> None:
    result = _run(
        run,
        """
        import httpx

        def test_two_lines(wwwauth_check):
            headers = [("WWW-Authenticate", 'Basic realm="x"'), ("WWW-Authenticate", "Negotiate")]
            wwwauth_check(httpx.Response(401, headers=headers))
        """,
    )
    result.assert_outcomes(passed=1)


def test_a_problem_list_compared_to_empty_is_written_out(run: pytest.Pytester) -> None:
    result = _run(
        run,
        """
        from wwwauth.testing import check_response

        def test_it():
            assert check_response(401, {"WWW-Authenticate": 'Basic realm="x'}) == []
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E       assert 1 problem found, expected none:",
            (
                "E         - error: WWW-Authenticate does not parse strictly: Unterminated "
                "quoted-string [not-strict]"
            ),
            'E                   Basic realm="x',
        ]
    )
    assert "Problem(level=" not in result.stdout.str()


def test_other_comparisons_are_left_to_pytest(run: pytest.Pytester) -> None:
    result = _run(
        run,
        """
        import wwwauth.testing

        def test_it():
            assert [1, 2] == []
        """,
    )
    result.assert_outcomes(failed=1)
    assert "found, expected" not in result.stdout.str()


def test_the_plugin_imports_no_framework_and_not_the_kit() -> None:
    code = (
        "import sys, pytest; import wwwauth.pytest_plugin; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'requests', 'httpx', "
        "'starlette', 'flask', 'werkzeug', 'django', 'aiohttp', 'litestar', 'hypothesis'}), "
        "'wwwauth.testing' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["[]", "False"]


def test_the_entry_point_is_declared() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["pytest11"] == {"wwwauth": "wwwauth.pytest_plugin"}
