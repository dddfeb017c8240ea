"""The pytest plugin of pywwwauth: a ``wwwauth_check`` fixture and readable problem reports.

Installed with pywwwauth as the ``pytest11`` entry point ``wwwauth``, so pytest loads it in
every run; it adds one fixture and one hook and does nothing else until a test uses
them (``-p no:wwwauth`` turns it off). It needs no framework and no hypothesis.

* ``wwwauth_check(response)`` (or ``wwwauth_check(status, headers)``) is
  :func:`wwwauth.testing.assert_auth_response`: it fails the test with the status, each
  authentication field line and each problem with the RFC section it breaks.

  .. code-block:: python

      def test_login_required(client, wwwauth_check):
          wwwauth_check(client.get("/orders"))

* ``assert check_response(response) == []`` fails with each problem written out, not
  the reprs of :class:`~wwwauth.testing.Problem` values.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

__all__ = ["pytest_assertrepr_compare", "wwwauth_check"]


@pytest.fixture
def wwwauth_check() -> Callable[..., None]:
    """:func:`wwwauth.testing.assert_auth_response`, as a fixture.

    Takes a response object of requests, httpx (and the Starlette, FastAPI, Litestar test
    clients), Flask/werkzeug, Django, aiohttp or http.client, or ``(status, headers)``;
    ``strict=`` and ``warnings=`` as :func:`~wwwauth.testing.assert_auth_response`.
    """
    from .testing import assert_auth_response

    return assert_auth_response


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    """Write out the problems when a list of :class:`~wwwauth.testing.Problem` is compared."""
    checks = sys.modules.get("wwwauth._response_checks")
    if op != "==" or checks is None:  # not imported: no Problem exists
        return None
    problem_type: type = checks.Problem
    for problems, other in ((left, right), (right, left)):
        if (
            isinstance(problems, list)
            and problems
            and all(isinstance(problem, problem_type) for problem in problems)
            and isinstance(other, list)
        ):
            count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
            lines = [f"{count} found, expected {len(other) or 'none'}:"]
            for problem in problems:
                first, *detail = str(problem).split("\n")
                lines += [f"- {first} [{problem.code}]", *("  " + line for line in detail)]
            return lines
    return None
